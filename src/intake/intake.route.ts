// POST /feedback (one item or an array of 1..500) and GET /feedback/:id, behind a Bearer API key.
// Mounted by src/http/server.ts at /api/v1. Mount it before any global body parser: it parses
// its own JSON so it can answer 413/415/400 with bodies that name the header or field at fault.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { DomainError, NotFound, ValidationError } from '../core/errors.ts';
import type { IntakeService } from '../core/feedback/intake.service.ts';
import type { EventRepo, FeedbackRepo } from '../core/ports.ts';
import type { ApiKeyPrincipal, ApiKeyService } from './api-keys.service.ts';
import { parseFeedbackBody } from './feedback.schema.ts';
import { itemResponse } from './item-response.ts';

export const MAX_BODY = '1mb';

export type IntakeRouterDeps = {
  intake: Pick<IntakeService, 'accept' | 'acceptBatch'>;
  apiKeys: Pick<ApiKeyService, 'verify'>;
  feedback: Pick<FeedbackRepo, 'view'>;
  events: Pick<EventRepo, 'timeline'>;
  /** Unexpected errors (answered 500); defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
};

const CHALLENGE = 'Bearer realm="customer-first"';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createIntakeRouter(deps: IntakeRouterDeps): Router {
  const router = express.Router();
  const logError = deps.logError ?? ((message, error) => console.error(message, error));

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const deny = (error: string, invalidToken: boolean) => {
      res.set('WWW-Authenticate', invalidToken ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE);
      res.status(401).json({ error });
    };
    if (!header) {
      return deny('Missing Authorization header: send "Authorization: Bearer <API key>" (create a key with: npm run cli -- api-key create --name <source>)', false);
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match) return deny('Authorization header must be "Bearer <API key>"', true);
    const principal = await deps.apiKeys.verify(match[1]!);
    if (!principal) return deny('The API key in the Authorization header is not valid: it is unknown, malformed or revoked', true);
    res.locals.principal = principal;
    next();
  };

  const requireJson = (req: Request, res: Response, next: NextFunction) => {
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return next();
    res.status(415).json({
      error: `Content-Type header must be application/json${type ? `, got ${type}` : ' (it was missing)'}`,
    });
  };

  // type: any — requireJson has already checked the header; strict: false so a bare string or
  // number reaches the validator and gets a "body must be an object" answer. A NUL can only
  // arrive as the escape \u0000: note it, so only those bodies are walked to drop it.
  const parseJson = express.json({
    limit: MAX_BODY,
    strict: false,
    type: () => true,
    verify: (_req, res, buf, encoding) => {
      if (encoding !== 'utf-8' || buf.includes('\\u0000')) (res as Response).locals.hasNul = true;
    },
  });

  router.post('/feedback', authenticate, requireJson, parseJson, async (req, res) => {
    const { workspaceId } = res.locals.principal as ApiKeyPrincipal;
    const parsed = parseFeedbackBody(res.locals.hasNul ? stripNul(req.body) : req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error, issues: parsed.issues });
      return;
    }
    if (!parsed.batch) {
      const { id, created } = await deps.intake.accept(workspaceId, parsed.items[0]!);
      if (created) res.status(202).json({ id, status: 'accepted' });
      else res.status(200).json({ id, status: 'accepted', duplicate: true });
      return;
    }
    const results = await deps.intake.acceptBatch(workspaceId, parsed.items);
    const items = results.map(({ id, created }, index) =>
      created ? { index, id, status: 'accepted' } : { index, id, status: 'accepted', duplicate: true },
    );
    res.status(results.some((r) => r.created) ? 202 : 200).json({ items });
  });

  router.get('/feedback/:id', authenticate, async (req, res) => {
    const { workspaceId } = res.locals.principal as ApiKeyPrincipal;
    const id = String(req.params.id);
    if (!UUID.test(id)) {
      res.status(400).json({ error: 'The id in the path must be a UUID', issues: [{ path: 'id', message: 'must be a UUID' }] });
      return;
    }
    const view = await deps.feedback.view(workspaceId, id);
    if (!view) {
      res.status(404).json({ error: `No feedback item with id ${id} in this API key's workspace` });
      return;
    }
    const timeline = await deps.events.timeline(workspaceId, id);
    res.set('Cache-Control', 'no-store').json(itemResponse(view, timeline));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const { status, body } = errorResponse(err);
    if (status >= 500) logError('intake request failed', err);
    res.status(status).json(body);
  });

  return router;
}

type BodyParserError = Error & { type?: string; status?: number; limit?: number };

function errorResponse(err: unknown): { status: number; body: Record<string, unknown> } {
  const e = err as BodyParserError;
  switch (e?.type) {
    case 'entity.too.large':
      return {
        status: 413,
        body: { error: `Request body is larger than ${MAX_BODY.toUpperCase()} (Content-Length); split it into smaller batches` },
      };
    case 'entity.parse.failed':
      return {
        status: 400,
        body: { error: `Request body is not valid JSON: ${e.message}`, issues: [{ path: 'body', message: 'is not valid JSON' }] },
      };
    case 'encoding.unsupported':
      return { status: 415, body: { error: `Content-Encoding header is not supported: ${e.message}` } };
    case 'charset.unsupported':
      return { status: 415, body: { error: `Content-Type header charset is not supported: ${e.message}` } };
  }
  if (err instanceof ValidationError) return { status: 400, body: { error: err.message, issues: err.issues } };
  if (err instanceof NotFound) return { status: 404, body: { error: err.message } };
  if (err instanceof DomainError) return { status: 409, body: { error: err.message } };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, body: { error: `Bad request body: ${e.message}` } };
  }
  return { status: 500, body: { error: 'Internal error: the request was not accepted; retry it (retries are safe)' } };
}

/** Postgres text and jsonb cannot hold U+0000; drop it rather than fail the request. */
function stripNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(stripNul);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripNul(k) as string, stripNul(v)]));
  }
  return value;
}

// POST /feedback (one item or an array of 1..500) and GET /feedback/:id, behind a Bearer API key.
// src/app.ts serves the POST as a raw node:http route (src/http/server.ts) and mounts the router
// at /api/v1. Each parses its own JSON so it can answer 413/415/400 with bodies that name the
// header or field at fault.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { DomainError, NotFound, ValidationError } from '../core/errors.ts';
import type { RawRoute } from '../http/server.ts';
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

/** `post` is a raw node:http route (served without express); `router` mounts at /api/v1. */
export function createIntakeRoutes(deps: IntakeRouterDeps): { post: RawRoute['handler']; router: Router } {
  const logError = deps.logError ?? ((message, error) => console.error(message, error));

  /** The principal, or null once the 401 is answered. */
  const authenticate = async (req: IncomingMessage, res: ServerResponse): Promise<ApiKeyPrincipal | null> => {
    const header = req.headers.authorization;
    const deny = (error: string, invalidToken: boolean) => {
      sendJson(res, 401, { error }, { 'WWW-Authenticate': invalidToken ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE });
      return null;
    };
    if (!header) {
      return deny('Missing Authorization header: send "Authorization: Bearer <API key>" (create a key with: npm run cli -- api-key create --name <source>)', false);
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match) return deny('Authorization header must be "Bearer <API key>"', true);
    const principal = await deps.apiKeys.verify(match[1]!);
    return principal ?? deny('The API key in the Authorization header is not valid: it is unknown, malformed or revoked', true);
  };

  // type: any — the handler has already checked the header; strict: false so a bare string or
  // number reaches the validator and gets a "body must be an object" answer. A NUL can only
  // arrive as the escape \u0000: note it, so only those bodies are walked to drop it.
  const withNul = new WeakSet<IncomingMessage>();
  const parseJson = express.json({
    limit: MAX_BODY,
    strict: false,
    type: () => true,
    verify: (req, _res, buf, encoding) => {
      if (encoding !== 'utf-8' || buf.includes('\\u0000')) withNul.add(req);
    },
  });
  const readBody = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<unknown>((resolve, reject) =>
      parseJson(req as Request, res as Response, (err?: unknown) => (err ? reject(err) : resolve((req as Request).body))),
    );

  const fail = (res: ServerResponse, err: unknown) => {
    if (res.headersSent) return void res.destroy();
    const { status, body } = errorResponse(err);
    if (status >= 500) logError('intake request failed', err);
    sendJson(res, status, body);
  };

  // POST /api/v1/feedback: node:http straight to the service (the hot path: no router, no
  // response helpers), with the same answers the express stack would give.
  async function accept(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await authenticate(req, res);
    if (!principal) return void req.resume();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
      req.resume();
      return sendJson(res, 415, { error: `Content-Type header must be application/json${type ? `, got ${type}` : ' (it was missing)'}` });
    }
    const raw = await readBody(req, res);
    const parsed = parseFeedbackBody(withNul.has(req) ? stripNul(raw) : raw);
    if (!parsed.ok) return sendJson(res, 400, { error: parsed.error, issues: parsed.issues });
    if (!parsed.batch) {
      const { id, created } = await deps.intake.accept(principal.workspaceId, parsed.items[0]!);
      return created ? sendJson(res, 202, { id, status: 'accepted' }) : sendJson(res, 200, { id, status: 'accepted', duplicate: true });
    }
    const results = await deps.intake.acceptBatch(principal.workspaceId, parsed.items);
    const items = results.map(({ id, created }, index) =>
      created ? { index, id, status: 'accepted' } : { index, id, status: 'accepted', duplicate: true },
    );
    sendJson(res, results.some((r) => r.created) ? 202 : 200, { items });
  }

  const router = express.Router();
  router.get('/feedback/:id', async (req, res) => {
    const principal = await authenticate(req, res);
    if (!principal) return;
    const id = String(req.params.id);
    if (!UUID.test(id)) {
      return sendJson(res, 400, { error: 'The id in the path must be a UUID', issues: [{ path: 'id', message: 'must be a UUID' }] });
    }
    const view = await deps.feedback.view(principal.workspaceId, id);
    if (!view) return sendJson(res, 404, { error: `No feedback item with id ${id} in this API key's workspace` });
    const timeline = await deps.events.timeline(principal.workspaceId, id);
    sendJson(res, 200, itemResponse(view, timeline), { 'Cache-Control': 'no-store' });
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => fail(res, err));

  return { post: (req, res) => void accept(req, res).catch((err) => fail(res, err)), router };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
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

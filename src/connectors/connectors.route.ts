// POST /api/v1/connectors/<provider>: webhooks from survey and support tools. The URL names no
// workspace: the request's signature (or shared secret) is checked against every connector of
// that provider, and the one it matches says whose feedback it is. Then the body is mapped
// (src/core/connectors) and accepted like any other item, idempotent on the provider's own id.
// Answers: 401 bad/missing signature (naming the header), 404 unknown or unconfigured provider,
// 413/415/400 body problems, 422 a signed body we cannot map (also kept in connector_rejects),
// 200 {ignored} for events that are not feedback, 202 accepted, 200 duplicate for a redelivery
// (with amended: true when it brought a new comment for the stored item).
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import { ValidationError } from '../core/errors.ts';
import type { IntakeService } from '../core/feedback/intake.service.ts';
import { connectorMappers } from '../core/connectors/mappers.ts';
import { type ConnectorProvider, connectorProviders, isConnectorProvider } from '../core/connectors/map-kit.ts';
import type { Clock } from '../core/ports.ts';
import type { ConnectorsRepo } from '../db/repos/connectors.repo.ts';
import type { ItemAmendRepo } from '../db/repos/item-amend.repo.ts';
import type { RawRoute } from '../http/server.ts';
import type { Logger } from '../logger.ts';
import { cleanJson, cleanText } from './clean-json.ts';
import type { ConnectorSecrets, LiveConnector } from './connector-secrets.ts';
import { presented, SIGNATURE_HEADERS } from './signatures.ts';

export const CONNECTOR_MAX_BODY = '1mb';
export const connectorPath = (provider: ConnectorProvider) => `/api/v1/connectors/${provider}`;

export type ConnectorRouteDeps = {
  intake: Pick<IntakeService, 'accept'>;
  /** null when TOKEN_ENCRYPTION_KEY is not set: no secret can be read, every webhook gets 503. */
  secrets: ConnectorSecrets | null;
  repo: Pick<ConnectorsRepo, 'reject'>;
  /** Applies a later event (Delighted's comment) to an item already accepted. */
  amend: Pick<ItemAmendRepo, 'amend'>;
  /** Called after an amendment enqueued a card refresh (wakes the delivery worker). */
  onAmended?: () => void;
  clock: Clock;
  logger: Logger;
};

export function createConnectorRoutes(deps: ConnectorRouteDeps): { raw: RawRoute[]; router: Router } {
  const log = deps.logger.child({ component: 'connectors' });
  const readRaw = express.raw({ type: () => true, limit: CONNECTOR_MAX_BODY });
  const readBody = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<Buffer>((resolve, reject) =>
      readRaw(req as Request, res as Response, (err?: unknown) => {
        if (err) return reject(err);
        const body = (req as Request).body;
        resolve(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
      }),
    );

  async function handle(provider: ConnectorProvider, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const now = deps.clock.now();
    // Before reading the body: a request without the credential header is refused at once.
    const early = presented(provider, { headers: req.headers, query, body: Buffer.alloc(0), now });
    if (!early.ok) {
      req.resume();
      return send(res, 401, { error: early.error });
    }
    if (!deps.secrets) {
      req.resume();
      log.error('connector webhook refused: TOKEN_ENCRYPTION_KEY is not set, so connector secrets cannot be read', { provider });
      return send(res, 503, { error: 'Connectors are not available: the server has no TOKEN_ENCRYPTION_KEY to read their secrets' });
    }
    const body = await readBody(req, res);
    const credential = presented(provider, { headers: req.headers, query, body, now });
    if (!credential.ok) return send(res, 401, { error: credential.error });
    let candidates = await deps.secrets.load(provider);
    if (candidates.length === 0) candidates = await deps.secrets.load(provider, { fresh: true });
    if (candidates.length === 0) {
      return send(res, 404, { error: `No ${provider} connector is configured: add one with: npm run cli -- connector add ${provider} --secret <secret>` });
    }
    let connector = candidates.find((c) => credential.check(c.secret));
    // A connector added or replaced by the CLI since the cache was filled.
    if (!connector) connector = (await deps.secrets.load(provider, { fresh: true })).find((c) => credential.check(c.secret));
    if (!connector) {
      const where = provider === 'alchemer' || provider === 'delighted' ? `${SIGNATURE_HEADERS[provider]} header (or ?secret=)` : `${SIGNATURE_HEADERS[provider]} header`;
      log.warn('connector webhook with a signature matching no connector', { provider });
      return send(res, 401, { error: `The ${where} does not match the secret of any ${provider} connector` });
    }

    const parsed = parseBody(provider, req.headers['content-type'], body);
    if (parsed.status !== 200) {
      if (parsed.status === 400) await reject(connector, parsed.error, parsed.payload, now);
      return send(res, parsed.status, { error: parsed.error, ...(parsed.status === 400 && { issues: [{ path: 'body', message: 'is not valid JSON' }] }) });
    }
    const mapped = connectorMappers[provider]({ body: parsed.value, query: Object.fromEntries(query), settings: connector.settings });
    if (mapped.status === 'ignored') {
      log.info('connector webhook ignored', { provider, workspaceId: connector.workspaceId, reason: mapped.reason });
      return send(res, 200, { ignored: mapped.reason });
    }
    if (mapped.status === 'unmappable') return unmappable(res, connector, mapped.missing, parsed.value, now);
    try {
      const { id, created } = await deps.intake.accept(connector.workspaceId, mapped.input);
      if (!created && mapped.amends) {
        const { input } = mapped;
        const amended = await deps.amend.amend(connector.workspaceId, { source: input.source, externalId: input.externalId, comment: input.comment, score: input.score, at: now });
        if (amended?.changed) {
          deps.onAmended?.();
          log.info('connector webhook amended an item', { provider, workspaceId: connector.workspaceId, itemId: id });
          return send(res, 200, { id, status: 'accepted', duplicate: true, amended: true });
        }
      }
      log.info(created ? 'connector webhook accepted' : 'connector webhook redelivered', { provider, workspaceId: connector.workspaceId, itemId: id });
      return created ? send(res, 202, { id, status: 'accepted' }) : send(res, 200, { id, status: 'accepted', duplicate: true });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return unmappable(res, connector, err.issues.map((i) => `${i.path} ${i.message}`), parsed.value, now);
    }
  }

  async function unmappable(res: ServerResponse, connector: LiveConnector, missing: string[], payload: unknown, now: Date): Promise<void> {
    const reason = `Cannot map this ${connector.provider} webhook: missing or invalid ${missing.join('; ')}`;
    const rejectId = await reject(connector, reason, payload, now);
    send(res, 422, { error: reason, missing, reject_id: rejectId });
  }

  async function reject(connector: LiveConnector, reason: string, payload: unknown, now: Date): Promise<string> {
    log.warn('connector webhook rejected (kept in connector_rejects)', { provider: connector.provider, workspaceId: connector.workspaceId, reason });
    return deps.repo.reject({ workspaceId: connector.workspaceId, provider: connector.provider, reason, payload, receivedAt: now });
  }

  const fail = (res: ServerResponse, err: unknown) => {
    if (res.headersSent) return void res.destroy();
    const e = err as Error & { type?: string; status?: number };
    if (e?.type === 'entity.too.large') return send(res, 413, { error: `Request body is larger than ${CONNECTOR_MAX_BODY.toUpperCase()} (Content-Length)` });
    if (e?.type === 'encoding.unsupported') return send(res, 415, { error: `Content-Encoding header is not supported: ${e.message}` });
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return send(res, e.status, { error: `Bad request body: ${e.message}` });
    log.error('connector webhook failed', { error: err, stack: e?.stack });
    send(res, 500, { error: 'Internal error: the webhook was not accepted; the provider will retry it' });
  };

  const raw: RawRoute[] = connectorProviders.map((provider) => ({
    method: 'POST',
    path: connectorPath(provider),
    handler: (req, res) => void handle(provider, req, res).catch((err) => fail(res, err)),
  }));
  // Any other /api/v1/connectors/<name> (the known ones are served by the raw routes above).
  const router = express.Router();
  router.post('/:provider', (req, res) => {
    req.resume();
    const name = String(req.params.provider);
    const known = isConnectorProvider(name.toLowerCase());
    send(res, 404, { error: known ? `Not found: use POST ${connectorPath(name.toLowerCase() as ConnectorProvider)}` : `Unknown connector provider "${name}": use one of ${connectorProviders.join(', ')}` });
  });
  return { raw, router };
}

type Parsed = { status: 200; value: unknown } | { status: 400; error: string; payload: unknown } | { status: 415; error: string };

/** JSON (any provider), or Alchemer's form post whose `response` field holds the JSON. */
function parseBody(provider: ConnectorProvider, contentType: string | undefined, body: Buffer): Parsed {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
  const form = provider === 'alchemer' && type === 'application/x-www-form-urlencoded';
  if (!json && !form) {
    const accepted = provider === 'alchemer' ? 'application/json or application/x-www-form-urlencoded' : 'application/json';
    return { status: 415, error: `Content-Type header must be ${accepted}${type ? `, got ${type}` : ' (it was missing)'}` };
  }
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const source = form ? (new URLSearchParams(text).get('response') ?? '') : text;
  if (form && !source) return { status: 400, error: 'Request body has no "response" field: post the current response data in JSON format', payload: cleanText(text) };
  try {
    return { status: 200, value: cleanJson(JSON.parse(source)) };
  } catch (err) {
    return { status: 400, error: `Request body is not valid JSON: ${(err as Error).message}`, payload: cleanText(text) };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

// The HTTP shell with the connector routes (as src/app.ts wires them), on an ephemeral port, and
// helpers to add connectors and post signed webhooks.
import { createIntakeService, type Destination } from '../../src/core/feedback/intake.service.ts';
import type { ConnectorProvider, ConnectorSettings } from '../../src/core/connectors/map-kit.ts';
import type { Clock } from '../../src/core/ports.ts';
import { defaultTable, routeItem } from '../../src/core/routing/match-route.ts';
import { secretAad } from '../../src/connectors/connector-secrets.ts';
import { createConnectorWebhooks } from '../../src/connectors/connector-webhooks.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { createConnectorsRepo } from '../../src/db/repos/connectors.repo.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { createIntakeRepo } from '../../src/db/repos/intake.repo.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { createHttpApp, listen } from '../../src/http/server.ts';
import { createLogger } from '../../src/logger.ts';
import { signedHeaders } from '../helpers/connector-sign.ts';
import type { TestDb } from '../helpers/test-db.ts';

export const NOW = new Date('2025-03-01T10:00:00.000Z');
export const KEY = 'a'.repeat(64);
const DESTINATIONS: Destination[] = [{ platform: 'slack', channel: 'C-FEEDBACK' }];

export async function startConnectors(t: TestDb, opts: { encryptionKey?: string | null } = {}) {
  let now = NOW;
  const clock: Clock = { now: () => now };
  /** Tests move time, they never sleep. */
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const { id: workspaceId } = await ensureDefaultWorkspace(t.db);
  const repos = createRepos(t.db);
  const intake = createIntakeService({
    store: createIntakeRepo(t.db),
    clock,
    routeFor: (input) => routeItem(defaultTable(DESTINATIONS, { slaHours: 24, escalationHours: 2 }), input),
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const encryptionKey = opts.encryptionKey === null ? undefined : (opts.encryptionKey ?? KEY);
  const webhooks = createConnectorWebhooks({ db: t.db, intake, encryptionKey, clock, logger });
  const app = createHttpApp({ routes: [webhooks.mount], rawRoutes: webhooks.raw, readiness: async () => ({ ready: true }), logger });
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  const connectors = createConnectorsRepo(t.db);
  const cipher = createTokenCipher(KEY);

  const addConnector = async (provider: ConnectorProvider, secret: string, settings: ConnectorSettings = {}, ws = workspaceId) =>
    connectors.upsert(ws, provider, settings, (id) => cipher.encrypt(secret, secretAad(id, provider)), NOW);

  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** A delivery signed as the provider signs it (shared-secret providers: the header). */
  const deliver = (provider: ConnectorProvider, secret: string, payload: unknown, extra: Record<string, string> = {}, query = '') => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return post(`/api/v1/connectors/${provider}${query}`, body, { ...signedHeaders(provider, secret, body, now), ...extra });
  };
  const items = () => t.query<{ id: string; source: string; external_id: string; kind: string; score: number | null; comment: string | null; touchpoint: string | null; metadata: any; customer_id: string | null }>(
    'select id, source, external_id, kind, score, comment, touchpoint, metadata, customer_id from feedback_items order by created_at, id',
  );
  const rejects = () => t.query<{ provider: string; reason: string; payload: any; workspace_id: string }>('select provider, reason, payload, workspace_id from connector_rejects order by received_at, id');
  const close = () => server.close(0);
  return { url: server.url, workspaceId, repos, logs, advance, addConnector, post, deliver, items, rejects, close };
}

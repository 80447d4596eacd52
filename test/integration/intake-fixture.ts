// The HTTP shell with only the intake routes (the raw POST and the router), on an ephemeral port.
import { createIntakeService, type Destination } from '../../src/core/feedback/intake.service.ts';
import { defaultTable, routeItem } from '../../src/core/routing/match-route.ts';
import type { Clock } from '../../src/core/ports.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { createIntakeRepo } from '../../src/db/repos/intake.repo.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { createApiKeyService } from '../../src/intake/api-keys.service.ts';
import { createHttpApp, listen } from '../../src/http/server.ts';
import { createIntakeRoutes } from '../../src/intake/intake.route.ts';
import { silentLogger } from '../../src/logger.ts';
import type { TestDb } from '../helpers/test-db.ts';

export const NOW = new Date('2025-03-01T10:00:00.000Z');
export const DESTINATIONS: Destination[] = [
  { platform: 'slack', channel: 'C-FEEDBACK' },
  { platform: 'teams', channel: '19:feedback@thread.tacv2' },
];

export async function startIntake(t: TestDb) {
  const clock: Clock = { now: () => NOW };
  const { id: workspaceId } = await ensureDefaultWorkspace(t.db);
  const apiKeys = createApiKeyService({ db: t.db });
  const { key } = await apiKeys.create(workspaceId, 'survey');
  const repos = createRepos(t.db);
  const intake = createIntakeService({
    store: createIntakeRepo(t.db),
    clock,
    routeFor: (input) => routeItem(defaultTable(DESTINATIONS, { slaHours: 24, escalationHours: 2 }), input),
  });
  const errors: unknown[] = [];
  const routes = createIntakeRoutes({
    intake,
    apiKeys,
    feedback: repos.feedback,
    events: repos.events,
    logError: (_m, e) => errors.push(e),
  });
  const app = createHttpApp({
    routes: [{ path: '/api/v1', handler: routes.router }],
    rawRoutes: [{ method: 'POST', path: '/api/v1/feedback', handler: routes.post }],
    readiness: async () => ({ ready: true }),
    logger: silentLogger,
  });
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  const base = `${server.url}/api/v1`;

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  const get = async (id: string, headers: Record<string, string> = { authorization: `Bearer ${key}` }) => {
    const res = await fetch(`${base}/feedback/${id}`, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };
  const counts = async () =>
    (
      await t.query<{ items: number; jobs: number; events: number; customers: number }>(
        `select (select count(*)::int from feedback_items) as items, (select count(*)::int from outbox) as jobs,
                (select count(*)::int from feedback_events) as events, (select count(*)::int from customers) as customers`,
      )
    )[0]!;
  const close = async () => {
    await server.close(0);
  };
  return { base, key, workspaceId, apiKeys, repos, errors, post, get, counts, close };
}

export const nps = (over: Record<string, unknown> = {}) => ({
  source: 'survey',
  external_id: 'resp-1',
  kind: 'nps',
  score: 4,
  comment: 'Support took three days to answer',
  touchpoint: 'support',
  tags: ['support', 'slow'],
  received_at: '2025-01-15T08:00:00Z',
  customer: { external_id: 'cust-1', email: 'ada@example.com', name: 'Ada', company: 'Acme', segment: 'smb' },
  metadata: { survey_id: 's1' },
  ...over,
});

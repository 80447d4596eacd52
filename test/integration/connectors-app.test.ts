// The real app (src/app.ts wiring): a signed Typeform webhook becomes an item whose card the
// delivery worker posts (to the console port: no chat platform is configured here). PGlite in a
// temporary DATA_DIR by default, Postgres when TEST_DATABASE_URL is set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { secretAad } from '../../src/connectors/connector-secrets.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { createConnectorsRepo } from '../../src/db/repos/connectors.repo.ts';
import { silentLogger } from '../../src/logger.ts';
import { signedHeaders } from '../helpers/connector-sign.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const KEY = 'b'.repeat(64);
const SECRET = 'tf_app_secret_0123456789abcdef';
let t: TestDb | null = null;
let dataDir: string | null = null;
let app: RunningApp;
const consoleOut: string[] = [];

beforeAll(async () => {
  t = process.env.TEST_DATABASE_URL ? await getTestDb() : null;
  dataDir = t ? null : mkdtempSync(join(tmpdir(), 'cf-connectors-app-'));
  const env = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    ...(t ? { DATABASE_URL: t.url } : { DATA_DIR: dataDir! }),
    TOKEN_ENCRYPTION_KEY: KEY,
    // The worker never runs on its own: the test drains it.
    DELIVERY_START_DELAY_MS: '3600000',
  });
  app = await startApp(env, { logger: silentLogger, print: () => {}, consoleWrite: (text) => consoleOut.push(text), host: '127.0.0.1', components: [] });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('accepts a signed Typeform webhook and posts its card', async () => {
  const cipher = createTokenCipher(KEY);
  await createConnectorsRepo(app.ctx.db.db).upsert(app.ctx.workspaceId, 'typeform', {}, (id) => cipher.encrypt(SECRET, secretAad(id, 'typeform')), new Date());
  const body = readFileSync(new URL('../fixtures/connectors/typeform.form_response.json', import.meta.url), 'utf8');
  const res = await fetch(`${app.url}/api/v1/connectors/typeform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders('typeform', SECRET, body, new Date()) },
    body,
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect(await app.ctx.repos.feedback.view(app.ctx.workspaceId, id)).toMatchObject({ source: 'typeform', score: 3, touchpoint: 'Onboarding NPS' });
  expect(await app.worker.drainOnce()).toBeGreaterThan(0);
  expect(consoleOut.join('\n')).toContain('Setup took a week and nobody answered my emails');

  const unknown = await fetch(`${app.url}/api/v1/connectors/qualtrics`, { method: 'POST', body: '{}' });
  expect(unknown.status).toBe(404);
});

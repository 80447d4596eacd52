// `connector add|list|remove` in-process against the test database (PGlite or Postgres), and a
// webhook signed with a secret the CLI stored.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { MISSING_KEY } from '../../src/cli/connector.command.ts';
import { runCli } from '../../src/cli/run.ts';
import { secretAad } from '../../src/connectors/connector-secrets.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { KEY, startConnectors } from './connectors-fixture.ts';

const SECRET = 'tf_secret_9a8b7c6d5e4f3a2b1c0d';
let t: TestDb;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
});

async function cli(args: string[], env: Record<string, string> = { TOKEN_ENCRYPTION_KEY: KEY }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    loadEnv: () => parseEnv(env),
    open: async () => ({ handle: t, workspaceId: (await ensureDefaultWorkspace(t.db)).id, close: async () => {} }),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('connector commands', () => {
  it('adds, lists (never the secret), replaces and removes', async () => {
    const added = await cli(['connector', 'add', 'typeform', '--secret', SECRET, '--nps-field', 'nps_score']);
    expect(added).toEqual({ code: 0, stdout: '/api/v1/connectors/typeform', stderr: 'Added the typeform connector. Paste this URL into typeform:' });
    expect((await cli(['connector', 'add', 'delighted', '--secret', SECRET], { TOKEN_ENCRYPTION_KEY: KEY, PUBLIC_URL: 'https://cx.example.com' })).stdout).toBe(
      'https://cx.example.com/api/v1/connectors/delighted?secret=<your secret>',
    );

    const listed = await cli(['connector', 'list']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split('\n');
    expect(lines[0]).toMatch(/^PROVIDER\s+WEBHOOK URL\s+SETTINGS\s+UPDATED$/);
    expect(lines[1]).toMatch(/^delighted\s+\/api\/v1\/connectors\/delighted\?secret=<your secret>\s+-\s+\d{4}-/);
    expect(lines[2]).toMatch(/^typeform\s+\/api\/v1\/connectors\/typeform\s+nps-field=nps_score\s+\d{4}-/);
    const json = await cli(['connector', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ provider: 'delighted', settings: {} }),
      expect.objectContaining({ provider: 'typeform', url: '/api/v1/connectors/typeform', settings: { npsField: 'nps_score' } }),
    ]);
    for (const run of [added, listed, json]) expect(run.stdout + run.stderr).not.toContain(SECRET);

    // Stored encrypted, bound to its row: it decrypts only with that row's id and provider.
    const [row] = await t.query<{ id: string; secret_ciphertext: string }>("select id, secret_ciphertext from connectors where provider = 'typeform'");
    expect(row!.secret_ciphertext).not.toContain(SECRET);
    const cipher = createTokenCipher(KEY);
    expect(cipher.decrypt(row!.secret_ciphertext, secretAad(row!.id, 'typeform'))).toBe(SECRET);
    expect(() => cipher.decrypt(row!.secret_ciphertext, secretAad(row!.id, 'delighted'))).toThrow();

    const replaced = await cli(['connector', 'add', 'typeform', '--secret', `${SECRET}-rotated`]);
    expect(replaced.stderr).toMatch(/^Replaced the typeform connector/);
    const [after] = await t.query<{ id: string; settings: unknown }>("select id, settings from connectors where provider = 'typeform'");
    expect(after).toEqual({ id: row!.id, settings: {} });

    expect(await cli(['connector', 'remove', 'typeform'])).toMatchObject({ code: 0, stderr: expect.stringMatching(/^Removed the typeform connector/) });
    expect(await cli(['connector', 'remove', 'typeform'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^No typeform connector to remove/) });
    expect((await t.query("select provider from connectors"))).toEqual([{ provider: 'delighted' }]);
  });

  it('fails with one line when TOKEN_ENCRYPTION_KEY is not set', async () => {
    const run = await cli(['connector', 'add', 'zendesk', '--secret', SECRET], {});
    expect(run).toEqual({ code: 1, stdout: '', stderr: MISSING_KEY });
    expect(MISSING_KEY).toMatch(/openssl rand -hex 32/);
    expect(await t.query('select 1 from connectors')).toHaveLength(0);
  });

  it.each([
    [['connector', 'add', 'surveymonkey', '--secret', SECRET], /provider: must be one of alchemer, typeform, delighted, zendesk, intercom/],
    [['connector', 'add', 'typeform'], /--secret/],
    [['connector', 'add', 'typeform', '--secret', 'short'], /at least 16 characters/],
    [['connector', 'add', 'zendesk', '--secret', SECRET, '--nps-field', 'x'], /--nps-field: applies to typeform and alchemer only/],
    [['connector', 'remove'], /needs a provider/],
    [['connector', 'frobnicate'], /use connector add/],
  ])('refuses %j with a usage error', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await t.query('select 1 from connectors')).toHaveLength(0);
  });

  it('lists the connector commands in the usage', async () => {
    const help = await cli(['help']);
    expect(help.stdout).toMatch(/connector add <provider> --secret <secret> \[--nps-field <ref>\]/);
    expect(help.stdout).toMatch(/connector list/);
    expect(help.stdout).toMatch(/connector remove <provider>/);
  });

  it('stores a secret the webhook route then verifies', async () => {
    expect((await cli(['connector', 'add', 'typeform', '--secret', SECRET])).code).toBe(0);
    const app = await startConnectors(t);
    try {
      const body = readFileSync(new URL('../fixtures/connectors/typeform.form_response.json', import.meta.url), 'utf8');
      expect((await app.deliver('typeform', SECRET, body)).status).toBe(202);
    } finally {
      await app.close();
    }
  });
});

describe('npm run cli -- connector (a real process, embedded database)', { timeout: 240_000 }, () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('adds and lists a connector', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-connector-cli-'));
    try {
      const env = { DATA_DIR: dir, TOKEN_ENCRYPTION_KEY: KEY };
      const added = await run(['connector', 'add', 'intercom', '--secret', SECRET], env);
      expect(added).toMatchObject({ code: 0, stdout: '/api/v1/connectors/intercom\n' });
      const listed = await run(['connector', 'list'], env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^PROVIDER .*\nintercom\s+\/api\/v1\/connectors\/intercom\s+-\s+\d{4}-/);
      expect(listed.stdout + listed.stderr + added.stderr).not.toContain(SECRET);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

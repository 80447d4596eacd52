import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Each run is a fresh process (npx + tsx + PGlite start-up and migrations): slow on a busy machine.
const SLOW = { timeout: 240_000 };

type Run = { code: number; stdout: string; stderr: string };

/** `npx tsx src/cli/main.ts ...`, as `npm run cli -- ...` runs it. */
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/main.ts', ...args],
      // DATABASE_URL empty (not inherited, and not taken from a developer's .env).
      { cwd: root, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('cli with the embedded database', SLOW, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cf-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a key, printing only the key on stdout; then lists it', async () => {
    const created = await cli(['api-key', 'create', '--name', 'typeform'], { DATA_DIR: dir });
    expect(created.stderr).toMatch(/shown only once/);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^cf_[A-Za-z0-9_-]{43}\n$/);

    const listed = await cli(['api-key', 'list'], { DATA_DIR: dir });
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+PREFIX\s+CREATED\s+LAST USED\s+STATUS$/);
    expect(lines[1]).toMatch(new RegExp(`^typeform\\s+${created.stdout.slice(0, 11)}….*active$`));
    expect(listed.stdout).not.toContain(created.stdout.trim()); // the key itself is never shown again

    const dup = await cli(['api-key', 'create', '--name', 'typeform'], { DATA_DIR: dir });
    expect(dup).toMatchObject({ code: 1, stdout: '' });
    expect(dup.stderr).toMatch(/already exists/);
  });

  it('refuses plainly while the server holds the data directory', async () => {
    // The test runner is a live process: pretend it is the server.
    writeFileSync(join(dir, 'customer-first.lock'), JSON.stringify({ pid: process.pid, role: 'server' }));
    try {
      const run = await cli(['api-key', 'list'], { DATA_DIR: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim()).toBe(
        `The Customer First server (pid ${process.pid}) is using the embedded database in ${dir}. Stop it first, or set DATABASE_URL to use a Postgres server that both can share.`,
      );
    } finally {
      rmSync(join(dir, 'customer-first.lock'), { force: true });
    }
  });

  it('prints usage on stderr with exit 2 for an unknown command', async () => {
    const run = await cli(['frobnicate'], { DATA_DIR: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Unknown command: frobnicate[\s\S]*Usage: npm run cli/);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('cli with DATABASE_URL (runs when TEST_DATABASE_URL is set)', SLOW, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await getTestDb();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates, lists and revokes without touching DATA_DIR', async () => {
    const env = { DATABASE_URL: t.url!, DATA_DIR: '/nonexistent/should-not-be-used' };
    const created = await cli(['api-key', 'create', '--name', 'zendesk'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^cf_[A-Za-z0-9_-]{43}\n$/);
    const revoked = await cli(['api-key', 'revoke', 'zendesk'], env);
    expect(revoked.code).toBe(0);
    const listed = await cli(['api-key', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'zendesk', revokedAt: expect.any(String) })]);
  });
});

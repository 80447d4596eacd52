// Runs the real server (src/main.ts) as a child process: one node process (node --import tsx),
// so a signal or kill -9 reaches the server itself, not a wrapper. Port 0: the server picks a free
// port and the helper reads the URL from its start-up line.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type ServerProcess = {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches (polls the buffer; rejects on exit or after timeoutMs). */
  waitForStdout(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  waitForStderr(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait for the exit (graceful shutdown). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL and wait: a crash. */
  crash(): Promise<void>;
};

/** Variables a developer's shell or .env could set that would change what the server does. */
const NEUTRAL_ENV: Record<string, string> = {
  SLACK_BOT_TOKEN: '',
  SLACK_SIGNING_SECRET: '',
  SLACK_APP_TOKEN: '',
  SLACK_CLIENT_ID: '',
  SLACK_CLIENT_SECRET: '',
  SLACK_STATE_SECRET: '',
  SLACK_DEFAULT_CHANNEL: '',
  MICROSOFT_APP_ID: '',
  MICROSOFT_APP_PASSWORD: '',
  TEAMS_LOCAL: '',
  TEAMS_DEFAULT_CHANNEL: '',
  DATABASE_URL: '',
  LOOP_WEBHOOK_URL: '',
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  PORT: '0',
};

const spawned = new Set<ChildProcess>();

/** Kills every server this test file spawned that is still running (use in afterAll). */
export async function killSpawnedServers(): Promise<void> {
  await Promise.all(
    [...spawned].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  spawned.clear();
}

/** Spawns the server without waiting for it (for start-up failure tests). */
export function spawnServer(env: Record<string, string>): Omit<ServerProcess, 'url'> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...NEUTRAL_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));

  const waitFor = async (read: () => string, pattern: RegExp | string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    const matches = () => (typeof pattern === 'string' ? read().includes(pattern) : pattern.test(read()));
    while (!matches()) {
      if (done) throw new Error(`server exited before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStdout: (pattern, timeoutMs = 60_000) => waitFor(() => out, pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs = 60_000) => waitFor(() => err, pattern, timeoutMs),
    exited,
    async stop() {
      if (!done) child.kill('SIGTERM');
      return exited;
    },
    async crash() {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Spawns the server and resolves once /readyz answers 200. */
export async function startServer(env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const proc = spawnServer(env);
  try {
    const listening = /listening on (http:\/\/\S+)/;
    await proc.waitForStderr(listening, timeoutMs);
    const url = listening.exec(proc.stderr())![1]!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`${url}/readyz`).catch(() => null);
      if (res?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${url}/readyz never answered 200\nstderr:\n${proc.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { ...proc, url };
  } catch (error) {
    await proc.crash();
    throw error;
  }
}

/** POST one feedback item through the intake API. */
export async function postItem(url: string, key: string, item: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/api/v1/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(item),
  });
}

/** The API key framed on stdout at first start. */
export function firstStartKey(stdout: string): string | null {
  return /First start[\s\S]*?(cf_[A-Za-z0-9_-]{43})/.exec(stdout)?.[1] ?? null;
}

export type ServerDatabase = {
  /** DATA_DIR (a fresh temp dir) or DATABASE_URL (a fresh database when TEST_DATABASE_URL is set). */
  env: Record<string, string>;
  kind: 'pglite' | 'postgres';
  /** Raw SQL; with PGlite only while no server holds the data dir. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

/** The database a spawned server uses: a temp PGlite dir, or a fresh Postgres database. */
export async function serverDatabase(): Promise<ServerDatabase> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  if (process.env.TEST_DATABASE_URL) {
    const { getTestDb } = await import('./test-db.ts');
    const db = await getTestDb();
    return { env: { DATABASE_URL: db.url! }, kind: 'postgres', query: (t, p) => db.query(t, p), close: () => db.close() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'cf-e2e-'));
  const { openDb } = await import('../../src/db/client.ts');
  return {
    env: { DATA_DIR: join(dir, 'data') },
    kind: 'pglite',
    async query(text, params) {
      const db = await openDb({ dataDir: join(dir, 'data') });
      try {
        return await db.query(text, params);
      } finally {
        await db.close();
      }
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

// The real server as a child process: first start prints a key once, /readyz, intake → the card
// printed by the console adapter, JSON errors, graceful SIGTERM, a clear one-line env error.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  firstStartKey,
  killSpawnedServers,
  postItem,
  type ServerDatabase,
  type ServerProcess,
  serverDatabase,
  spawnServer,
  startServer,
} from '../helpers/server.ts';

// Each case starts a real server process (tsx + PGlite): slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 240_000 });

let database: ServerDatabase;
let server: ServerProcess | null = null;
beforeAll(async () => {
  database = await serverDatabase();
});
afterAll(async () => {
  await killSpawnedServers();
  await database?.close();
});

describe('server process', () => {
  it('starts, prints the first API key once, accepts an item and prints its card', async () => {
    server = await startServer(database.env);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toEqual({ ready: true });

    const key = firstStartKey(server.stdout());
    expect(key).not.toBeNull();
    // The key is on stdout only: logs never contain it.
    expect(server.stderr()).not.toContain(key!);
    expect(server.stderr()).toContain('npm run cli -- api-key create --name <source>');
    expect(server.stderr()).toContain('SLACK_BOT_TOKEN');

    const res = await postItem(server.url, key!, {
      source: 'e2e',
      external_id: 'r-1',
      kind: 'nps',
      score: 2,
      comment: 'The export button <!channel> is broken',
      customer: { email: 'jo@example.com', name: 'Jo' },
    });
    expect(res.status).toBe(202);
    await server.waitForStdout('> The export button <!channel> is broken');
    expect(server.stdout()).toMatch(/posted to #console/);
    expect(server.stdout()).toContain('[Claim]');
  });

  it('answers unknown routes and bad bodies with JSON errors', async () => {
    const notFound = await fetch(`${server!.url}/nope`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: 'No route for GET /nope' });

    const key = firstStartKey(server!.stdout())!;
    const bad = await fetch(`${server!.url}/api/v1/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"source": ',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/not valid JSON/);
  });

  it('shuts down gracefully on SIGTERM and does not print a key again on restart', async () => {
    expect(await server!.stop()).toEqual({ code: 0, signal: null });
    server = await startServer(database.env);
    expect(firstStartKey(server.stdout())).toBeNull();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    server = null;
  });
});

describe('start-up errors', () => {
  it('a bad env value stops start-up with one line naming it, and exit code 1', async () => {
    const proc = spawnServer({ ...database.env, PORT: 'not-a-port' });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT /);
    expect(proc.stdout()).toBe('');
  });
});

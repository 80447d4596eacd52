// The HTTP shell in-process: health and readiness, mounted routers, JSON 404, error mapping
// (body-parser 400/413/415, domain errors, 500 without internals), graceful close.
import { afterEach, describe, expect, it } from 'vitest';
import { NotFound, ValidationError } from '../../src/core/errors.ts';
import { createHttpApp, listen, type Readiness, type RunningServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/logger.ts';

let running: RunningServer | null = null;
afterEach(async () => {
  await running?.close(100);
  running = null;
});

const logged: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logged.push(line) });

async function start(readiness: Readiness = async () => ({ ready: true }), slow?: { arrived(): void; wait: Promise<void> }) {
  const app = createHttpApp({
    logger,
    readiness,
    rawRoutes: [
      {
        method: 'POST',
        path: '/raw/hit',
        handler: (req, res) => res.end(JSON.stringify({ raw: req.url })),
      },
    ],
    routes: [
      { path: '/echo', json: { limit: '64b' }, handler: (req, res) => void res.json({ got: req.body }) },
      {
        path: '/fail',
        handler: (req) => {
          if (req.path === '/missing') throw new NotFound('No such item');
          if (req.path === '/invalid') throw new ValidationError('bad input', [{ path: 'score', message: 'must be 0-10' }]);
          throw new Error('relation "secret_table" does not exist');
        },
      },
      {
        path: '/slow',
        handler: async (_req, res) => {
          slow?.arrived();
          await slow?.wait;
          res.json({ done: true });
        },
      },
    ],
  });
  running = await listen(app, { port: 0, host: '127.0.0.1' });
  return running.url;
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('http server', () => {
  it('answers /healthz, and /readyz from the readiness check', async () => {
    let state: Awaited<ReturnType<Readiness>> = { ready: false, reason: 'database migrations are not applied' };
    const url = await start(async () => state);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, reason: 'database migrations are not applied' });
    state = { ready: true };
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('reports an unreachable database as not ready instead of failing', async () => {
    const url = await start(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    });
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, reason: 'connect ECONNREFUSED 127.0.0.1:5432' });
  });

  it('maps body-parser failures to 400, 413 and 415 with a clear message', async () => {
    const url = await start();
    expect(await (await post(`${url}/echo`, '{"a":1}')).json()).toEqual({ got: { a: 1 } });

    const bad = await post(`${url}/echo`, '{"a":');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^Request body is not valid JSON/);

    const big = await post(`${url}/echo`, JSON.stringify({ text: 'x'.repeat(200) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'Request body is too large' });

    const charset = await post(`${url}/echo`, '{}', { 'content-type': 'application/json; charset=klingon' });
    expect(charset.status).toBe(415);
    expect((await charset.json()).error).toMatch(/charset/);
  });

  it('maps domain errors, hides internals of unexpected ones, and answers unknown routes with JSON 404', async () => {
    const url = await start();
    const missing = await fetch(`${url}/fail/missing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'No such item' });

    const invalid = await fetch(`${url}/fail/invalid`);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ error: 'bad input', issues: [{ path: 'score', message: 'must be 0-10' }] });

    const boom = await fetch(`${url}/fail/other`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: 'Internal error' });
    expect(logged.some((l) => JSON.parse(l).level === 'error' && l.includes('secret_table'))).toBe(true);

    const none = await fetch(`${url}/nowhere`, { method: 'DELETE' });
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: 'No route for DELETE /nowhere' });
  });

  it('serves a raw route before express (any case, trailing slash, query), and leaves other methods to express', async () => {
    const url = await start();
    for (const path of ['/raw/hit', '/RAW/Hit/', '/raw/hit?x=1']) {
      const res = await post(`${url}${path}`, '{}');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ raw: path });
    }
    const get = await fetch(`${url}/raw/hit`);
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({ error: 'No route for GET /raw/hit' });
  });

  it('closes gracefully: the request in flight completes, new connections are refused', async () => {
    let release!: () => void;
    let arrived!: () => void;
    const reached = new Promise<void>((r) => {
      arrived = r;
    });
    const wait = new Promise<void>((r) => {
      release = r;
    });
    const url = await start(undefined, { arrived, wait });
    const inFlight = fetch(`${url}/slow`, { headers: { connection: 'close' } });
    await reached;
    const closed = running!.close(5000);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
  });
});

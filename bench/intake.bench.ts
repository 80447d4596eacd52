// `npm run bench -- intake [--items 4000] [--clients 4]`
// Items accepted per second through POST /api/v1/feedback (single items and batches of 500, a few
// concurrent clients), against bare inserts of the same feedback_items rows through the driver
// (postgres.js or PGlite) in the same run, on PGlite and on the real server (BENCH_DATABASE_URL,
// default postgres://postgres@127.0.0.1:5432/test; a fresh database is created and dropped).
// Measured twice: with the delivery worker draining the outbox (console port, no pacing) and
// with it paused, to tell intake's own cost from delivery's share of the machine.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startApp } from '../src/app.ts';
import { parseEnv } from '../src/config/env.ts';
import { openDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { ensureDefaultWorkspace } from '../src/db/workspace.ts';
import { createLogger } from '../src/logger.ts';
import { writeResults } from './results.ts';
import { freshDatabase } from './fresh-db.ts';

const { values } = parseArgs({
  options: { items: { type: 'string', default: '4000' }, clients: { type: 'string', default: '4' } },
});
const ITEMS = Number(values.items);
const CLIENTS = Number(values.clients);
const BATCH = 500;

type Row = Record<string, unknown>;
const body = (run: string, i: number) => ({
  source: 'bench',
  external_id: `${run}-${i}`,
  kind: 'nps',
  score: i % 11,
  comment: `Bench comment ${i}: the export was slow but support was great.`,
  touchpoint: 'bench',
  customer: { external_id: `cust-${i % 200}`, name: `Customer ${i % 200}` },
});

/** Runs `total` units of work over `clients` concurrent loops; returns units per second. */
async function throughput(total: number, clients: number, unit: number, work: (i: number) => Promise<void>) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) await work(i);
    }),
  );
  return (total * unit) / ((performance.now() - start) / 1000);
}

/** Floor: the same rows inserted straight through the driver, no HTTP, no validation, no outbox. */
async function floor(url: string | undefined, dataDir: string) {
  const handle = await openDb({ url, dataDir });
  await migrate(handle, { url });
  const ws = (await ensureDefaultWorkspace(handle.db)).id;
  const insert = `insert into feedback_items (workspace_id, source, external_id, kind, score, comment, touchpoint, received_at, due_at)
    select $1, 'floor', x->>'external_id', x->>'kind', (x->>'score')::int, x->>'comment', x->>'touchpoint', now(), now() + interval '24 hours'
    from jsonb_array_elements($2::jsonb) x`;
  const run = randomUUID();
  const single = await throughput(ITEMS, CLIENTS, 1, async (i) => {
    await handle.query(insert, [ws, JSON.stringify([body(`${run}-s`, i)])]);
  });
  const batches = Math.ceil(ITEMS / BATCH);
  const batch = await throughput(batches, CLIENTS, BATCH, async (b) => {
    const rows: Row[] = Array.from({ length: BATCH }, (_, k) => body(`${run}-b`, b * BATCH + k));
    await handle.query(insert, [ws, JSON.stringify(rows)]);
  });
  await handle.close();
  return { single, batch };
}

async function api(url: string | undefined, dataDir: string) {
  const env = parseEnv({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'error' });
  const app = await startApp(env, {
    logger: createLogger({ level: 'error' }),
    consoleWrite: () => {},
    print: () => {},
    host: '127.0.0.1',
  });
  const key = app.firstStartKey ?? (await app.ctx.apiKeys.create(app.ctx.workspaceId, 'bench')).key;
  // node:http with keep-alive, not fetch: the client shares the process (and the 2 cores) with
  // the server, and undici's fetch costs about as much CPU per request as the server itself.
  const post = (agent: http.Agent, payload: unknown, retried = false): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const data = JSON.stringify(payload);
      const req = http.request(
        `${app.url}/api/v1/feedback`,
        {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            // A retried request may have been stored the first time: then it is a replay (200).
            res.statusCode === 202 || (retried && res.statusCode === 200)
              ? resolve()
              : reject(new Error(`intake answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
          );
        },
      );
      // A kept-alive socket the server closed just now: send again (intake is idempotent).
      req.on('error', (err: NodeJS.ErrnoException) =>
        err.code === 'ECONNRESET' && !retried ? post(agent, payload, true).then(resolve, reject) : reject(err),
      );
      req.end(data);
    });
  const measure = async (run: string) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    try {
      return {
        single: await throughput(ITEMS, CLIENTS, 1, (i) => post(agent, body(`${run}-s`, i))),
        batch: await throughput(Math.ceil(ITEMS / BATCH), CLIENTS, BATCH, (b) =>
          post(agent, Array.from({ length: BATCH }, (_, k) => body(`${run}-b`, b * BATCH + k))),
        ),
      };
    } finally {
      agent.destroy();
    }
  };
  try {
    const delivering = await measure(randomUUID());
    await app.worker.stop();
    const paused = await measure(randomUUID());
    return { delivering, paused };
  } finally {
    await app.close();
  }
}

const rows: string[][] = [];
for (const driver of ['pglite', 'postgres'] as const) {
  const dirs = [mkdtempSync(join(tmpdir(), 'cf-bench-')), mkdtempSync(join(tmpdir(), 'cf-bench-'))];
  const dbs = driver === 'postgres' ? [await freshDatabase(), await freshDatabase()] : [];
  try {
    // The floor is measured before and after the API (mean of both): other work on the machine
    // drifts during a run, and a ratio of two figures taken minutes apart would carry that drift.
    const before = await floor(dbs[0]?.url, dirs[0]!);
    const a = await api(dbs[1]?.url, dirs[1]!);
    const after = await floor(dbs[0]?.url, dirs[0]!);
    const f = { single: (before.single + after.single) / 2, batch: (before.batch + after.batch) / 2 };
    for (const mode of ['single', 'batch'] as const) {
      const line = [
        driver,
        mode === 'single' ? 'single items' : `batches of ${BATCH}`,
        a.delivering[mode].toFixed(0),
        f[mode].toFixed(0),
        (a.delivering[mode] / f[mode]).toFixed(2),
        a.paused[mode].toFixed(0),
        (a.paused[mode] / f[mode]).toFixed(2),
      ];
      rows.push(line);
      console.error(line.join('  '));
    }
  } finally {
    for (const d of dbs) await d.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

writeResults('Intake', [
  `Command: \`npm run bench -- intake --items ${ITEMS} --clients ${CLIENTS}\` (${new Date().toISOString().slice(0, 10)}, 2 cores, Node ${process.version}).`,
  `Items accepted per second through \`POST /api/v1/feedback\` (HTTP, auth, zod validation, then customer upsert, item, event and outbox rows in one statement) against the floor: the same \`feedback_items\` rows inserted directly through the driver in the same run (mean of one measurement before and one after the API's). ${CLIENTS} concurrent clients (node:http, keep-alive), ${ITEMS} items per mode. "API items/s" runs with the delivery worker draining the outbox to the console port (no pacing, so it posts every card as fast as the database lets it); "delivery paused" is the same API with the worker stopped.`,
  `Load average when the run ended: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (other work shares the machine: compare ratios, not absolute figures).`,
  '',
  '| database | mode | API items/s | floor rows/s | ratio | API, delivery paused | ratio |',
  '|---|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
]);

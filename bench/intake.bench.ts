// `npm run bench -- intake [--items 4000] [--clients 4] [--rounds 5] [--drivers pglite,postgres]`
// Items accepted per second through POST /api/v1/feedback (single items and batches of 500, a few
// concurrent clients), against the database doing the same writes alone: the same rows (customer,
// item, event, outbox row) in one prepared statement through the driver, and the narrower floor of
// the item rows alone, in the same run, on PGlite and on the real server (BENCH_DATABASE_URL,
// default postgres://postgres@127.0.0.1:5432/test; a fresh database is created and dropped).
// Measured twice: with the delivery worker draining the outbox (console port, no pacing) and
// with it paused, to tell intake's own cost from delivery's share of the machine. Everything is
// measured in every round, in a rotating order, and the ratios are medians of the rounds' ratios.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startApp } from '../src/app.ts';
import { parseEnv } from '../src/config/env.ts';
import { openDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { preparedRunner } from '../src/db/repos/prepared-statement.ts';
import { ensureDefaultWorkspace } from '../src/db/workspace.ts';
import { createLogger } from '../src/logger.ts';
import { writeResults } from './results.ts';
import { freshDatabase } from './fresh-db.ts';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '4000' },
    clients: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    drivers: { type: 'string', default: 'pglite,postgres' },
  },
});
const ITEMS = Number(values.items);
const CLIENTS = Number(values.clients);
const ROUNDS = Number(values.rounds);
const DRIVERS = values.drivers.split(',').map((d) => d.trim()) as ('pglite' | 'postgres')[];
const BATCH = 500;
type Mode = 'single' | 'batch';

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

/**
 * Floors: rows inserted straight through the driver (postgres.js or PGlite), one statement per
 * request, no HTTP, no auth, no validation. `items`: the feedback_items rows alone. `rows`: every
 * row the API writes for an item — its customer (found by external id, or created), the item, its
 * "received" event and its outbox row — in one hand-written statement.
 */
const FLOOR_ITEMS = `insert into feedback_items (workspace_id, source, external_id, kind, score, comment, touchpoint, received_at, due_at, remind_at, escalate_at)
  select $1, 'floor', x->>'external_id', x->>'kind', (x->>'score')::int, x->>'comment', x->>'touchpoint', now(), now() + interval '24 hours',
    now() + interval '18 hours', now() + interval '2 hours'
  from jsonb_array_elements($2::jsonb) x`;
const FLOOR_ROWS = `with x as (
  select e->>'external_id' as external_id, e->>'kind' as kind, (e->>'score')::int as score, e->>'comment' as comment,
    e->>'touchpoint' as touchpoint, e->'customer'->>'external_id' as cext, e->'customer'->>'name' as cname
  from jsonb_array_elements($2::jsonb) e
),
new_customers as (
  insert into customers (workspace_id, external_id, name)
  select distinct on (cext) $1::uuid, cext, cname from x
  on conflict (workspace_id, external_id) do nothing
  returning id, external_id
),
cust as (
  select id, external_id from new_customers
  union all
  select c.id, c.external_id from customers c where c.workspace_id = $1::uuid and c.external_id in (select cext from x)
),
items as (
  insert into feedback_items (workspace_id, source, external_id, kind, score, comment, touchpoint, customer_id, received_at, due_at, remind_at, escalate_at)
  select $1::uuid, 'floor', x.external_id, x.kind, x.score, x.comment, x.touchpoint, cust.id, now(), now() + interval '24 hours',
    now() + interval '18 hours', now() + interval '2 hours'
  from x join cust on cust.external_id = x.cext
  returning id
),
events as (
  insert into feedback_events (workspace_id, item_id, type, data, at) select $1::uuid, id, 'received', '{}'::jsonb, now() from items
)
insert into outbox (workspace_id, item_id, destination, job)
select $1::uuid, id, 'console:feedback', jsonb_build_object('type', 'item.post', 'platform', 'console', 'channel', 'feedback', 'itemId', id)
from items`;

/** The floors' database, opened once: `measure` inserts ITEMS items and answers items per second. */
async function openFloor(url: string | undefined, dataDir: string) {
  const handle = await openDb({ url, dataDir });
  await migrate(handle, { url });
  const ws = (await ensureDefaultWorkspace(handle.db)).id;
  // The bench's customers exist already (as after the API's first requests), so concurrent first
  // inserts of one customer never race; every item must then land (checked below).
  await handle.query(
    'insert into customers (workspace_id, external_id, name) select $1, $2::jsonb->>(i - 1), null from generate_series(1, 200) i on conflict do nothing',
    [ws, JSON.stringify(Array.from({ length: 200 }, (_, i) => body('x', i).customer.external_id))],
  );
  // Prepared once per connection, as the API's intake statement is.
  const statements = { items: preparedRunner(handle.db, 'bench_floor_items', FLOOR_ITEMS), rows: preparedRunner(handle.db, 'bench_floor_rows', FLOOR_ROWS) };
  const stored = async () => (await handle.query<{ n: number }>("select count(*)::int as n from feedback_items where source = 'floor'"))[0]!.n;
  return {
    async measure(kind: 'items' | 'rows', mode: Mode, items = ITEMS): Promise<number> {
      const run = randomUUID();
      const exec = statements[kind];
      const before = await stored();
      const rate =
        mode === 'single'
          ? await throughput(items, CLIENTS, 1, (i) => exec([ws, JSON.stringify([body(run, i)])]).then(() => {}))
          : await throughput(Math.ceil(items / BATCH), CLIENTS, BATCH, async (b) => {
              const rows: Row[] = Array.from({ length: BATCH }, (_, k) => body(run, b * BATCH + k));
              await exec([ws, JSON.stringify(rows)], BATCH);
            });
      const expected = mode === 'single' ? items : Math.ceil(items / BATCH) * BATCH;
      if ((await stored()) - before !== expected) throw new Error(`the ${kind} floor did not store every item`);
      return rate;
    },
    close: () => handle.close(),
  };
}

// The clients run in a worker thread (its own event loop, on the other core), as the Slack ack
// bench's do: their HTTP work must not queue on the server's event loop, which a real sender's
// never does. They are autocannon's (raw keep-alive sockets, one request in flight on each): it
// costs about half the CPU per request of node:http's client (measured: ~65 against ~115 µs), and
// on two cores every microsecond the client spends is taken from the server it measures.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');
const { url, key, run, requests, batch, clients, body } = workerData;
const make = new Function('run', 'i', 'return (' + body + ')(run, i)');
let next = 0;
let last = 0;
const start = performance.now();
const instance = autocannon({
  url, connections: Math.min(clients, requests), amount: requests, method: 'POST',
  headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' },
  requests: [{ setupRequest: (req) => {
    const r = next++;
    const items = Array.from({ length: batch }, (_, k) => make(run, r * batch + k));
    return { ...req, body: JSON.stringify(batch === 1 ? items[0] : items) };
  } }],
}, (error, result) => {
  // autocannon notices the end at its next one-second tick: time until the last answer instead.
  const seconds = (last - start) / 1000;
  if (error) return parentPort.postMessage({ error: String(error) });
  // Every request must be accepted: the bench's items are all new (202).
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0 || result['2xx'] !== requests) {
    return parentPort.postMessage({ error: 'intake answered ' + result['2xx'] + ' of ' + requests + ' requests with 2xx (' + result.non2xx + ' others, ' + result.errors + ' errors)' });
  }
  parentPort.postMessage((requests * batch) / seconds);
});
instance.on('response', () => { last = performance.now(); });
`;

/** Items per second the API accepted from CLIENTS concurrent clients in a worker thread. */
async function postFromThread(job: { url: string; key: string; run: string; requests: number; batch: number }): Promise<number> {
  const worker = new Worker(CLIENT, { eval: true, workerData: { ...job, clients: CLIENTS, body: body.toString() } });
  try {
    const result = await new Promise<number | { error: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (typeof result !== 'number') throw new Error(result.error);
    return result;
  } finally {
    await worker.terminate();
  }
}

/** The app as `npm start` runs it; `measure` posts ITEMS items, with delivery running or paused. */
async function openApi(url: string | undefined, dataDir: string) {
  const env = parseEnv({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'error' });
  const app = await startApp(env, {
    logger: createLogger({ level: 'error' }),
    consoleWrite: () => {},
    print: () => {},
    host: '127.0.0.1',
  });
  const key = app.firstStartKey ?? (await app.ctx.apiKeys.create(app.ctx.workspaceId, 'bench')).key;
  const pending = async () =>
    (await app.ctx.db.query<{ n: number }>("select count(*)::int as n from outbox where status = 'pending'"))[0]!.n;
  // Every card of a measurement is delivered before the next one starts (untimed), so no
  // measurement (a floor above all) pays for another's delivery; then the worker rests.
  const drain = async () => {
    app.worker.start();
    while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 50));
    await app.worker.stop();
  };
  await app.worker.stop();
  return {
    async measure(delivering: boolean, mode: Mode, items = ITEMS): Promise<number> {
      if (delivering) app.worker.start();
      const url = `${app.url}/api/v1/feedback`;
      const run = randomUUID();
      const rate =
        mode === 'single'
          ? await postFromThread({ url, key, run, requests: items, batch: 1 })
          : await postFromThread({ url, key, run, requests: Math.ceil(items / BATCH), batch: BATCH });
      await drain();
      return rate;
    },
    close: () => app.close(),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const KINDS = ['floorRows', 'api', 'paused', 'floorItems'] as const;
type Kind = (typeof KINDS)[number];

const rows: string[][] = [];
for (const driver of DRIVERS) {
  const dirs = [mkdtempSync(join(tmpdir(), 'cf-bench-')), mkdtempSync(join(tmpdir(), 'cf-bench-'))];
  const dbs = driver === 'postgres' ? [await freshDatabase(), await freshDatabase()] : [];
  const floorDb = await openFloor(dbs[0]?.url, dirs[0]!);
  const apiApp = await openApi(dbs[1]?.url, dirs[1]!);
  try {
    const measure: Record<Kind, (mode: Mode, items?: number) => Promise<number>> = {
      floorRows: (mode, items) => floorDb.measure('rows', mode, items),
      floorItems: (mode, items) => floorDb.measure('items', mode, items),
      api: (mode, items) => apiApp.measure(true, mode, items),
      paused: (mode, items) => apiApp.measure(false, mode, items),
    };
    // Warm-up, untimed: the JIT compiles each path's hot code in its first thousand requests
    // (seen as ~1 s of compiler threads' CPU in a 6-s measurement), for the floors as for the API.
    for (const mode of ['single', 'batch'] as const) for (const kind of KINDS) await measure[kind](mode, 1000);
    // Short rounds, each measuring everything, in an order that rotates from round to round:
    // the machine's speed drifts within minutes, and a ratio of figures taken in one round
    // carries far less of that drift than one of figures taken minutes apart.
    const samples = { single: [] as Record<Kind, number>[], batch: [] as Record<Kind, number>[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['single', 'batch'] as const) {
        const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]!);
        const got = {} as Record<Kind, number>;
        for (const kind of order) got[kind] = await measure[kind](mode);
        samples[mode].push(got);
        console.error(`${driver} ${mode} round ${round + 1}: ${KINDS.map((k) => `${k} ${got[k].toFixed(0)}`).join(', ')}; api ÷ floor ${(got.api / got.floorRows).toFixed(2)}`);
      }
    }
    for (const mode of ['single', 'batch'] as const) {
      const s = samples[mode];
      const med = (k: Kind) => median(s.map((x) => x[k]));
      const ratios = s.map((x) => x.api / x.floorRows);
      const line = [
        driver,
        mode === 'single' ? 'single items' : `batches of ${BATCH}`,
        med('api').toFixed(0),
        med('paused').toFixed(0),
        med('floorRows').toFixed(0),
        `**${median(ratios).toFixed(2)}**`,
        `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
        median(s.map((x) => x.paused / x.floorRows)).toFixed(2),
        med('floorItems').toFixed(0),
        median(s.map((x) => x.api / x.floorItems)).toFixed(2),
      ];
      rows.push(line);
      console.error(line.join('  '));
    }
  } finally {
    await apiApp.close();
    await floorDb.close();
    for (const d of dbs) await d.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

const command = `npm run bench -- intake --items ${ITEMS} --clients ${CLIENTS} --rounds ${ROUNDS}`;
writeResults('Intake', [
  `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}).`,
  `Items accepted per second through \`POST /api/v1/feedback\` (node:http straight to the handler, API-key check, zod validation, then one prepared statement that writes the customer, the item, its event and its outbox row, or skips the customer lookups and writes when this process has stored every customer of the statement with the same details before, as it has the bench's 200 after the warm-up; requests that arrive in one turn of the event loop or while earlier ones are being written share the next statement, at most four in flight on Postgres and one on PGlite, each answered only after its statement committed), ${CLIENTS} concurrent clients in a worker thread (autocannon, keep-alive, one request in flight each), ${ITEMS} items per measurement, single items and batches of ${BATCH}. "API" runs as \`npm start\` does, with the delivery worker in the same process draining every card to the console port (up to 100 a batch; in a burst it lets 100 ms of cards gather between batches); "delivery paused" stops the worker (as with \`PROCESS_ROLE=web\` and \`npm run worker\` elsewhere). After each API measurement the outbox is drained, untimed, so no measurement pays for another's cards.`,
  'The floor is the database doing the same writes with nothing else: the **same rows** the API writes for an item (customer found by external id, item, "received" event, outbox row), one hand-written statement per request, prepared, straight through the driver, no HTTP, auth or validation. The last two columns show the narrower floor of the `feedback_items` rows alone.',
  `Method: ${ROUNDS} rounds after an untimed warm-up (1000 items of each kind and mode, for the JIT); each round measures the floors, the API and the API with delivery paused, one after another, in an order that rotates from round to round. Throughputs are medians over the rounds; each ratio is the median of the rounds' own ratios (range beside it), because this machine's speed drifts by up to 2× within minutes, and figures taken in one round share that drift. Load average when the run ended: ${loadavg().map((l) => l.toFixed(2)).join(', ')}. Target: API ≥ 0.5 × the floor.`,
  '',
  '| database | mode | API items/s | API, delivery paused | floor: same rows/s | **API ÷ floor** | range over rounds | paused ÷ floor | floor: item rows only/s | API ÷ item-only floor |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
]);

// `npm run bench -- slack-ack [--rate 200] [--seconds 10] [--rounds 2] [--dry-run]`
// (or `npx tsx bench/slack-ack.bench.ts`)
// Ack latency of signed Claim clicks at a steady rate (open loop: requests leave on schedule
// whatever the answers do) against the whole app on the real Postgres server (BENCH_DATABASE_URL,
// default postgres://postgres@127.0.0.1:5432/test; a fresh database is created and dropped), and
// against a bare Bolt app answering the same signed requests with a bare ack(), in the same run.
// Every click claims a different open item, so the app does its real work after the ack (actor
// lookup, conditional UPDATE, event and outbox rows, delivery). Slack's Web API is the local fake.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';
import postgres from 'postgres';
import { createSlackComponent } from '../src/adapters/slack/slack.component.ts';
import { startApp } from '../src/app.ts';
import { parseEnv } from '../src/config/env.ts';
import { ActionIds } from '../src/core/messages/action-ids.ts';
import { encodePayload } from '../src/core/messages/payload.ts';
import { silentLogger } from '../src/logger.ts';
import { startFakeSlack } from '../test/helpers/fake-slack.ts';
import { blockAction, signSlackRequest } from '../test/helpers/slack-sign.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const PER_ROUND = RATE * SECONDS;
const WARMUP = Math.min(200, RATE);
const SECRET = 'bench-signing-secret-0123456789abcdef';
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function freshDatabase() {
  const name = `cf_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A bare Bolt app on its own express server: the floor. */
async function startBareBolt(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const router = express.Router();
  const receiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events', router, logLevel: LogLevel.ERROR });
  const app = new App({
    token: 'xoxb-bench',
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl },
    tokenVerificationEnabled: false,
    botId: 'BBOT',
    botUserId: 'UBOT',
  });
  app.action(/^feedback\.claim(:\d+)?$/, async ({ ack }) => {
    await ack();
  });
  const server: Server = createServer(express().use(router));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

type Signed = { body: string; headers: Record<string, string> };

// The load generator runs in a worker thread (its own event loop, on the other core), so the
// client's own HTTP work is not measured as server latency. Plain JS: no TypeScript loader needed.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, requests, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(url);
const latencies = [];
let failed = 0;
function send(req) {
  return new Promise((resolve) => {
    const sent = performance.now();
    const r = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
        headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - sent);
          else failed++;
          resolve();
        });
      },
    );
    r.on('error', () => { failed++; resolve(); });
    r.end(req.body);
  });
}
(async () => {
  const gap = 1000 / rate;
  const inflight = [];
  const t0 = performance.now();
  for (let i = 0; i < requests.length; i++) {
    const wait = t0 + i * gap - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(requests[i]));
  }
  await Promise.all(inflight);
  agent.destroy();
  parentPort.postMessage({ latencies, failed });
})();
`;

/** Fires `requests` at `rate` per second on schedule (open loop); returns each ack latency in ms. */
async function openLoop(url: string, requests: Signed[], rate: number): Promise<number[]> {
  const worker = new Worker(CLIENT, { eval: true, workerData: { url, requests, rate } });
  const { latencies, failed } = await new Promise<{ latencies: number[]; failed: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (failed > 0) throw new Error(`${failed} requests to ${url} failed`);
  return latencies;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function summary(latencies: number[]) {
  const s = [...latencies].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1)! };
}

async function main() {
  const fake = await startFakeSlack();
  const database = await freshDatabase();
  const env = parseEnv({
    NODE_ENV: 'production',
    PORT: '0',
    LOG_LEVEL: 'error',
    DATABASE_URL: database.url,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  const app = await startApp(env, {
    logger: silentLogger,
    print: () => {},
    consoleWrite: () => {},
    host: '127.0.0.1',
    components: [(ctx) => createSlackComponent(ctx, { bolt: { tokenVerification: false, botId: 'BBOT', botUserId: 'UBOT' } })],
  });
  const bare = await startBareBolt(fake.apiUrl);
  try {
    // One open item per click (warm-up included), each click by one of 20 champions.
    const total = WARMUP + PER_ROUND * ROUNDS;
    const ws = app.ctx.workspaceId;
    const now = new Date();
    const itemIds: string[] = [];
    for (let i = 0; i < total; i++) {
      const { item } = await app.ctx.repos.feedback.insert(ws, {
        source: 'bench',
        externalId: `ack-${i}`,
        kind: 'nps',
        score: i % 11,
        comment: 'Slow export',
        touchpoint: null,
        tags: [],
        route: null,
        receivedAt: now,
        dueAt: new Date(now.getTime() + 86_400_000),
        customerId: null,
        metadata: {},
      });
      itemIds.push(item.id);
    }
    // Signed up front (the 5-minute window covers the run) so the client does no crypto on the clock.
    const sign = (i: number): Signed =>
      signSlackRequest(
        SECRET,
        blockAction({
          user: `U${100 + (i % 20)}`,
          actionId: ActionIds.claim,
          value: encodePayload({ v: 1, item: itemIds[i]! }),
          channel: 'C0BENCH',
          responseUrl: fake.responseUrl(`r${i}`),
        }),
      );
    const requests = itemIds.map((_, i) => sign(i));
    const appUrl = `${app.url}/slack/events`;

    // After each app phase, wait for its work after the acks (claims, delivery) to finish, so a
    // backlog never lands in the next measurement.
    let sentToApp = 0;
    const settle = async () => {
      for (let i = 0; i < 600; i++) {
        const [row] = await app.ctx.db.query<{ claimed: number; pending: number }>(
          "select (select count(*)::int from feedback_items where status = 'claimed') as claimed, (select count(*)::int from outbox where status = 'pending') as pending",
        );
        if (row!.claimed >= sentToApp && row!.pending === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the app did not finish the claims');
    };
    // CPU of this process (server side; the client is a worker thread, but process.cpuUsage
    // counts it too, equally for both targets) per request, including the work after the ack.
    const cpu = { bare: 0, app: 0 };
    const measured = async (which: 'bare' | 'app', run: () => Promise<number[]>) => {
      const before = process.cpuUsage();
      const latencies = await run();
      const used = process.cpuUsage(before);
      cpu[which] += (used.user + used.system) / 1000;
      return latencies;
    };
    const toApp = async (slice: Signed[]) => {
      sentToApp += slice.length;
      const latencies = await openLoop(appUrl, slice, RATE);
      await settle();
      return latencies;
    };

    await openLoop(bare.url, requests.slice(0, WARMUP), RATE);
    await toApp(requests.slice(0, WARMUP));
    const floor: number[] = [];
    const ours: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const slice = requests.slice(WARMUP + r * PER_ROUND, WARMUP + (r + 1) * PER_ROUND);
      floor.push(...(await measured('bare', () => openLoop(bare.url, slice, RATE))));
      ours.push(...(await measured('app', () => toApp(slice))));
    }
    const [{ n: open }] = await app.ctx.db.query<{ n: number }>("select count(*)::int as n from feedback_items where status = 'open'");

    const f = summary(floor);
    const o = summary(ours);
    const ratio = o.p99 / f.p99;
    const ms = (v: number) => v.toFixed(2);
    console.log(`bare Bolt : n=${f.n} p50=${ms(f.p50)} ms p99=${ms(f.p99)} ms max=${ms(f.max)} ms`);
    console.log(`Customer First: n=${o.n} p50=${ms(o.p50)} ms p99=${ms(o.p99)} ms max=${ms(o.max)} ms`);
    const cpuPer = (which: 'bare' | 'app', n: number) => (cpu[which] / n).toFixed(2);
    console.log(`process CPU per request: bare ${cpuPer('bare', f.n)} ms, app ${cpuPer('app', o.n)} ms (incl. the client)`);
    console.log(`p99 ratio ${ratio.toFixed(2)} (target ≤ 1.25); items left unclaimed: ${open}`);
    if (!values['dry-run']) {
      writeResults('Slack ack', [
        `Command: \`npm run bench -- slack-ack --rate ${RATE} --seconds ${SECONDS} --rounds ${ROUNDS}\` (or \`npx tsx bench/slack-ack.bench.ts\`; ${new Date().toISOString().slice(0, 10)}, ${(await import('node:os')).cpus().length} cores, Node ${process.version}).`,
        `Signed Claim clicks (\`block_actions\`, form-encoded, HMAC-signed) sent open-loop at a steady ${RATE} requests/s, ${ROUNDS} rounds of ${SECONDS} s alternating between a bare Bolt app (ExpressReceiver, \`ack()\` only) and the whole app on the real Postgres server (same process, same signed requests, ${WARMUP} warm-up requests each). Every click claims a different open item, so after its ack the app resolves the actor, runs the conditional UPDATE, writes the event and outbox rows and the delivery worker runs. Latency is request sent → HTTP response (Bolt answers at \`ack()\`).`,
        '',
        '| target | requests | p50 ms | p99 ms | max ms | process CPU ms/request |',
        '|---|---:|---:|---:|---:|---:|',
        `| bare Bolt (floor) | ${f.n} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.max)} | ${cpuPer('bare', f.n)} |`,
        `| Customer First | ${o.n} | ${ms(o.p50)} | ${ms(o.p99)} | ${ms(o.max)} | ${cpuPer('app', o.n)} |`,
        '',
        `p99 ratio: **${ratio.toFixed(2)}×** the bare floor (target ≤ 1.25×); Slack's limit is 3000 ms. Items left unclaimed after the run: ${open} (every click did its work).`,
      ]);
    }
  } finally {
    await bare.close();
    await app.close();
    await fake.close();
    await database.drop();
  }
}

await main();

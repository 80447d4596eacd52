
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';
import { createSlackComponent } from '../src/adapters/slack/slack.component.ts';
import { type RunningApp, startApp } from '../src/app.ts';
import { parseEnv } from '../src/config/env.ts';
import { ActionIds } from '../src/core/messages/action-ids.ts';
import { encodePayload } from '../src/core/messages/payload.ts';
import { silentLogger } from '../src/logger.ts';
import { startFakeSlackThread } from './fake-slack-thread.ts';
import { blockAction, signSlackRequest } from '../test/helpers/slack-sign.ts';
import { openLoop, type Signed, summary } from './open-loop.ts';
import { writeResults } from './results.ts';
import { freshDatabase } from './fresh-db.ts';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '200,50' },
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '10' },
    configs: { type: 'string', default: 'one,two,http' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const RATES = values.rates.split(',').map(Number);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const WARMUP = 200;
const SECRET = 'bench-signing-secret-0123456789abcdef';

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

/** Open items to claim, and one signed click per item (signed up front: no crypto on the clock). */
async function seedClicks(app: RunningApp, count: number, responseUrl: (i: number) => string, from: number): Promise<Signed[]> {
  const now = new Date();
  const clicks: Signed[] = [];
  for (let i = from; i < from + count; i++) {
    const { item } = await app.ctx.repos.feedback.insert(app.ctx.workspaceId, {
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
      remindAt: new Date(now.getTime() + 86_400_000),
      escalateAt: new Date(now.getTime() + 86_400_000),
      priority: 'normal',
      customerId: null,
      metadata: {},
    });
    // Its card, as delivery posted it: so the claim's refresh updates it in place (chat.update)
    // and the thread job replies under it (chat.postMessage), as in a workspace. Spread over 1000
    // channels: delivery sends at most one message a second per channel, as Slack allows.
    await app.ctx.chatPosts.insert(app.ctx.workspaceId, {
      itemId: item.id,
      platform: 'slack',
      channel: `C0BENCH${String(i % 1000).padStart(3, '0')}`,
      messageId: `1700000000.${String(i).padStart(6, '0')}`,
    });
    const click = blockAction({
      user: `U${100 + (i % 20)}`, // 20 champions
      actionId: ActionIds.claim,
      value: encodePayload({ v: 1, item: item.id }),
      channel: 'C0BENCH',
      responseUrl: responseUrl(i),
    });
    clicks.push(signSlackRequest(SECRET, click));
  }
  return clicks;
}

type Summary = ReturnType<typeof summary>;
type Row = {
  config: string;
  rate: number;
  floor: Summary;
  ours: Summary;
  /** Median over rounds of each round's p99: robust to a stall from other work on the machine. */
  floorRoundP99: number;
  oursRoundP99: number;
  cpuBare: number;
  cpuApp: number;
  /** Web API calls delivery made (updates and replies), and jobs waiting for their slot, at the end. */
  sent: number;
  waiting: number;
};

/** The latest slot a waiting delivery holds. */
const BOOKED_AHEAD = "select max(next_attempt_at) from outbox where status = 'pending' and job ? 'reserved'";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Three ways to run the app: as `npm start` runs it (one process; the delivery worker drains each
 * claim's jobs on the same event loop); as two processes on Postgres (`PROCESS_ROLE=web` here,
 * `npm run worker` as a child process: the deployment the README recommends for volume); and with
 * the worker paused (its jobs wait in the outbox), which isolates the HTTP path.
 */
const CONFIGS = [
  { key: 'one', name: 'one process (npm start), delivery in-process', role: 'all', delivery: 'inline' },
  { key: 'two', name: 'web process + `npm run worker`', role: 'web', delivery: 'process' },
  { key: 'http', name: 'HTTP path, delivery paused', role: 'all', delivery: 'paused' },
] as const;
type Config = (typeof CONFIGS)[number];

/** `npm run worker` on the same database, as a child process; resolves once it is listening. */
async function startWorkerProcess(env: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, ...env, PROCESS_ROLE: 'worker', WORKER_PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !err.includes('Delivery worker listening on'); i++) {
    if (child.exitCode !== null || i > 600) throw new Error(`the worker process did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function measureConfig(config: Config, apiUrl: string, bareUrl: string, responseUrl: (i: number) => string) {
  const database = await freshDatabase();
  const common = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: database.url,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
  };
  const env = parseEnv({
    ...common,
    PORT: '0',
    PROCESS_ROLE: config.role,
    ...(config.delivery === 'paused' ? { DELIVERY_START_DELAY_MS: '3600000' } : {}),
  });
  const app = await startApp(env, {
    logger: silentLogger,
    print: () => {},
    consoleWrite: () => {},
    host: '127.0.0.1',
    components: [(ctx) => createSlackComponent(ctx, { bolt: { tokenVerification: false, botId: 'BBOT', botUserId: 'UBOT' } })],
  });
  const worker = config.delivery === 'process' ? await startWorkerProcess(common) : null;
  const appUrl = `${app.url}/slack/events`;
  let sentToApp = 0;
  let seeded = 0;
  // After each app phase, wait for its work after the acks to finish: every claim, and every
  // delivery that Slack's limits allow now (when delivery runs). What waits for a later slot of the
  // workspace's budget (chat.update: 50 a minute; chat.postMessage: 300) goes at its time, during
  // later rounds, as it would in a workspace; and while the card updates are booked more than 10 s
  // ahead, the worker leaves new card changes queued (worker.ts), which the bench reads off the
  // latest slot held (5 s: short of the worker's 10, so it never waits for a change left queued).
  const deliveries = () =>
    app.ctx.db.query<{ claimed: number; due: number; waiting: number; sent: number; failed: number }>(
      `select (select count(*)::int from feedback_items where status = 'claimed') as claimed,
        (select count(*)::int from outbox where status = 'pending' and next_attempt_at <= now()
          and not (job->>'type' = 'item.changed' and not job ? 'remaining' and (${BOOKED_AHEAD}) > now() + interval '5 seconds')) as due,
        (select count(*)::int from outbox where status = 'pending') as waiting,
        (select count(*)::int from feedback_events where type = 'delivery.attempt' and data->>'ok' = 'true') as sent,
        (select count(*)::int from feedback_events where type = 'delivery.attempt' and data->>'ok' = 'false') as failed`,
    ).then((rows) => rows[0]!);
  const settle = async () => {
    for (let i = 0; i < 1200; i++) {
      const row = await deliveries();
      // Every card update and thread reply sent must have reached the fake Slack.
      if (row.failed > 0) throw new Error(`${row.failed} deliveries to the fake Slack failed`);
      if (row.claimed >= sentToApp && (config.delivery === 'paused' || row.due === 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the app did not finish the claims');
  };
  // CPU of this process per request (server side plus the client thread, equally for both).
  const cpuOf = async (run: () => Promise<number[]>) => {
    const before = process.cpuUsage();
    const latencies = await run();
    const used = process.cpuUsage(before);
    return { latencies, cpuMs: (used.user + used.system) / 1000 };
  };
  const toApp = async (clicks: Signed[], rate: number) => {
    sentToApp += clicks.length;
    const latencies = await openLoop(appUrl, clicks, rate);
    await settle();
    return latencies;
  };

  const rows: Row[] = [];
  try {
    for (const rate of RATES) {
      const perRound = rate * SECONDS;
      const clicks = await seedClicks(app, WARMUP + perRound * ROUNDS, responseUrl, seeded);
      seeded += clicks.length;
      // Statistics for the seeded rows, as autovacuum keeps them in a deployment (otherwise the
      // planner, knowing no rows, may scan every open item of the workspace for each claim).
      await app.ctx.db.query('vacuum analyze feedback_items, outbox, feedback_events');
      await openLoop(bareUrl, clicks.slice(0, WARMUP), rate);
      await toApp(clicks.slice(0, WARMUP), rate);
      const floor: number[] = [];
      const ours: number[] = [];
      const floorRounds: number[] = [];
      const oursRounds: number[] = [];
      let cpuBare = 0;
      let cpuApp = 0;
      // Short rounds, alternating: both targets see the same background load on a shared machine.
      for (let r = 0; r < ROUNDS; r++) {
        const slice = clicks.slice(WARMUP + r * perRound, WARMUP + (r + 1) * perRound);
        const b = await cpuOf(() => openLoop(bareUrl, slice, rate));
        const a = await cpuOf(() => toApp(slice, rate));
        floor.push(...b.latencies);
        ours.push(...a.latencies);
        floorRounds.push(summary(b.latencies).p99);
        oursRounds.push(summary(a.latencies).p99);
        cpuBare += b.cpuMs;
        cpuApp += a.cpuMs;
      }
      const row: Row = {
        config: config.name,
        rate,
        floor: summary(floor),
        ours: summary(ours),
        floorRoundP99: median(floorRounds),
        oursRoundP99: median(oursRounds),
        cpuBare: cpuBare / floor.length,
        cpuApp: cpuApp / ours.length,
        ...(await deliveries().then(({ sent, waiting }) => ({ sent, waiting }))),
      };
      rows.push(row);
      const ms = (v: number) => v.toFixed(2);
      console.log(
        `${config.name}, ${rate}/s: bare p50 ${ms(row.floor.p50)} p99 ${ms(row.floor.p99)} | app p50 ${ms(row.ours.p50)} p99 ${ms(row.ours.p99)} ms | p99 ratio ${(row.ours.p99 / row.floor.p99).toFixed(2)} (median round ${(row.oursRoundP99 / row.floorRoundP99).toFixed(2)}) | CPU/request bare ${ms(row.cpuBare)} app ${ms(row.cpuApp)} ms | delivered ${row.sent}, waiting for Slack's limits ${row.waiting}`,
      );
    }
    const open = (await app.ctx.db.query<{ n: number }>("select count(*)::int as n from feedback_items where status = 'open'"))[0]!.n;
    if (open > 0) throw new Error(`${open} items were left unclaimed`);
    return rows;
  } finally {
    await worker?.stop();
    await app.close();
    await database.drop();
  }
}

async function main() {
  const fake = await startFakeSlackThread();
  const bare = await startBareBolt(fake.apiUrl);
  try {
    const rows: Row[] = [];
    const chosen = values.configs.split(',');
    for (const config of CONFIGS.filter((c) => chosen.includes(c.key))) rows.push(...(await measureConfig(config, fake.apiUrl, bare.url, (i) => fake.responseUrl(`r${i}`))));
    if (!values['dry-run']) write(rows);
  } finally {
    await bare.close();
    await fake.close();
  }
}

function write(rows: Row[]) {
  const ms = (v: number) => v.toFixed(2);
  writeResults('Slack ack', [
    `Command: \`npm run bench -- slack-ack --rates ${RATES.join(',')} --seconds ${SECONDS} --rounds ${ROUNDS}\` (or \`npx tsx bench/slack-ack.bench.ts\`; ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores shared with the Postgres server and other work — load average ${loadavg()[1]!.toFixed(1)} over the last 5 minutes, Node ${process.version}).`,
    `Signed Claim clicks (\`block_actions\`, form-encoded, HMAC-signed) sent open-loop at a steady rate from a worker thread (which opens its keep-alive connections before the clock starts), ${ROUNDS} rounds of ${SECONDS} s per rate alternating between a bare Bolt app (ExpressReceiver, \`ack()\` only: the floor) and the app on the real Postgres server (same process, same signed requests, ${WARMUP} warm-up requests each). Every click claims a different open item (seeded with its card's chat post in one of 1000 channels, then \`vacuum analyze\`d as autovacuum would), so after its ack the app resolves the actor and runs the claim statement (conditional UPDATE, its event and one outbox row in one prepared statement), and delivery updates the card in place (\`chat.update\`) and replies in its thread (\`chat.postMessage\`), within Slack's limits per workspace: 50 card updates a minute (bursts of 20) and 300 messages a minute (bursts of 50). So at these rates the first changes take the bursts and book slots, and once the card updates are booked more than 10 s ahead, the worker leaves further changes queued, untouched, and takes them as the booked slots run down (during later rounds, bare and app alike, as in a workspace: about 2 Web API calls a second). After each app round the bench waits until every claim is stored and every delivery due now is sent; every click did its work: no item was left open, and no delivery failed. Three configurations: the app as \`npm start\` runs it (the delivery worker drains each claim's card-refresh and thread jobs on the same event loop); the web process (\`PROCESS_ROLE=web\`) with \`npm run worker\` as a child process on the same database and cores (it runs below normal CPU priority); and the HTTP path alone (delivery paused). The fake Slack Web API that the cards' updates and thread replies go to runs in a thread of its own, as Slack's servers are elsewhere. Latency is request sent → HTTP response (Bolt answers at \`ack()\`); CPU is this process's (server and client thread) per request, including the work after the ack (not the worker child's).`,
    '',
    '| configuration | rate | bare p50 | bare p99 | app p50 | app p99 | app max | **p99 / floor** | median round p99: bare · app · ratio | CPU ms/req bare · app | Web API calls sent · jobs waiting at the end |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.config} | ${r.rate}/s | ${ms(r.floor.p50)} | ${ms(r.floor.p99)} | ${ms(r.ours.p50)} | ${ms(r.ours.p99)} | ${ms(r.ours.max)} | **${(r.ours.p99 / r.floor.p99).toFixed(2)}** | ${ms(r.floorRoundP99)} · ${ms(r.oursRoundP99)} · ${(r.oursRoundP99 / r.floorRoundP99).toFixed(2)} | ${ms(r.cpuBare)} · ${ms(r.cpuApp)} | ${r.sent} · ${r.waiting} |`,
    ),
    '',
    "All times in ms. Target: p99 ≤ 1.25× the bare floor; Slack's limit is 3000 ms. The median round p99 (each round's p99, median over the rounds) shows the steady state when a stall from other work on the machine lands in one round.",
    '',
    "**Across runs** (20 rounds each, 200/s, 2026-11-26, after the changes below): one process 1.12, 1.15, 1.05, 1.26, 1.05, 1.88, 0.96, **median 1.12**, 5 of 7 within 1.25; the HTTP path alone 1.44, 1.14, 1.49, 0.90, 1.14, 0.78, 1.35, median 1.14. The 1.88 run, begun while the machine was slow (the bare app's CPU per request 1.80 ms against 1.08–1.34 in the others), is the table written that day. The HTTP path alone does strictly less work than one process and scatters as widely: the scatter is this machine's, and whichever configuration runs while it is fast gets the higher ratio (the 4th run measured the HTTP path first: 0.90, then one process 1.26). The last run came after the channel-slot change (pacing.ts), the others before it; the ack path is the same in all.",
    '',
    `Work after the ack (app CPU − bare CPU per click): ${rows.map((r) => `${(r.cpuApp - r.cpuBare).toFixed(1)} ms (${r.config}, ${r.rate}/s)`).join('; ')}. Bolt answers Slack at \`ack()\`, before any of it; what stretches the ack tail is that work on the two cores the client thread, the app, the fake Slack and Postgres share.`,
    '',
    'How this figure came down (one process, 200/s):',
    "- until 2026-11-26, delivery sent each claim's card update and thread reply at once: 400 Web API calls a second, which a real workspace refuses with 429s (`chat.update` is Tier 3). p99 4.46× the floor (4.03× with `npm run worker`);",
    "- then delivery kept to Slack's workspace limits, and a claim became one outbox row (`item.changed`) instead of two. In a rush the worker still claimed each row once, only to book it a slot and put it back: a lease and a settle, about 0.3 ms of app and database CPU per click (measured by draining 2000 claims' rows with the budgets spent). 1.25 to 1.83 over four runs of 10 to 20 rounds;",
    "- now, while a workspace's card updates are booked more than 10 s ahead, the worker leaves its new card changes queued, untouched, and the claim reaches the leased rows through the primary key (its generic plan had hashed them against a scan of the whole outbox, thousands of rows here, at every wake-up). A click costs its claim statement alone, as with delivery paused: a V8 GC observer counted 2–3 young-generation collections per app round, against 4–6 before and 2 per bare round.",
    '',
    "Noise: this machine's speed varies between runs and within them. Young-generation collections stop the event loop for 3–9 ms (bare app and app alike), and a round where a stall from other work lands on a burst of clicks sets the pooled p99: the median round shows the steady state. The HTTP path alone measured 0.61 to 1.96 over eight runs on 2026-11-26.",
  ]);
}

await main();

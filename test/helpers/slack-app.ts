// The whole app (startApp) with Slack pointed at a local fake Web API, on a fresh database (a
// temporary PGlite directory, or a new database on the real server when TEST_DATABASE_URL is set).
// The delivery worker never polls: tests drain it with `deliver()`, so every assertion is
// deterministic. Requests are signed like Slack's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSlackComponent } from '../../src/adapters/slack/slack.component.ts';
import type { SlackAdapter } from '../../src/adapters/slack/slack.adapter.ts';
import { type RunningApp, startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import type { IntakeInput } from '../../src/core/feedback/intake.service.ts';
import type { Clock } from '../../src/core/ports.ts';
import { createOutboxRepo } from '../../src/db/repos/outbox.repo.ts';
import { createLogger, silentLogger } from '../../src/logger.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { type SignOptions, sendSlack } from './slack-sign.ts';
import { getTestDb } from './test-db.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const CARD_CHANNEL = 'C0FEEDBACK';

/** A clock tests move; it starts well after the database's now() so enqueued rows are due. */
export type MovableClock = Clock & { advance(ms: number): void };

export function movableClock(start = '2031-01-06T09:00:00.000Z'): MovableClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

export type SlackTestApp = {
  app: RunningApp;
  clock: MovableClock;
  fake: FakeSlack;
  slack: SlackAdapter;
  workspaceId: string;
  eventsUrl: string;
  send(body: { form: Record<string, string> } | { json: unknown }, opts?: SignOptions): ReturnType<typeof sendSlack>;
  /** Runs the delivery worker until the outbox is empty, moving the clock past per-channel pacing. */
  deliver(): Promise<void>;
  /** Waits for listeners still running after their ack. */
  idle(): Promise<void>;
  /** An item through the intake service (as the HTTP API would), delivered: its card is posted. */
  intake(input: Partial<IntakeInput> & { externalId: string }): Promise<string>;
  close(): Promise<void>;
};

export async function startSlackTestApp(
  opts: { env?: Record<string, string>; clock?: MovableClock; beforeStart?: (fake: FakeSlack) => Promise<void> | void } = {},
): Promise<SlackTestApp> {
  const clock = opts.clock ?? movableClock();
  const fake = await startFakeSlack();
  await opts.beforeStart?.(fake);
  const testDb = process.env.TEST_DATABASE_URL ? await getTestDb() : null;
  const dataDir = testDb ? null : mkdtempSync(path.join(tmpdir(), 'cf-slack-'));
  const env = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'error',
    ...(testDb ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir! }),
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_DEFAULT_CHANNEL: CARD_CHANNEL,
    // The worker never runs on its own: tests drain it.
    DELIVERY_START_DELAY_MS: '3600000',
    ...opts.env,
  });
  let slack: SlackAdapter | null = null;
  const app = await startApp(env, {
    // DEBUG_SLACK_TEST=1 shows the app's errors while debugging a test.
    logger: process.env.DEBUG_SLACK_TEST ? createLogger({ level: 'debug' }) : silentLogger,
    print: () => {},
    consoleWrite: () => {},
    host: '127.0.0.1',
    clock,
    components: [
      (ctx) =>
        createSlackComponent(ctx, {
          bolt: { tokenVerification: false, botId: 'BBOT', botUserId: 'UBOT' },
          onAdapter: (a) => {
            slack = a;
          },
        }),
    ],
  });
  const eventsUrl = `${app.url}/slack/events`;
  const outbox = createOutboxRepo(app.ctx.db.db);
  const deliver = async () => {
    for (let i = 0; i < 200; i++) {
      if ((await app.worker.drainOnce()) > 0) continue;
      if ((await outbox.countByStatus()).pending === 0) return;
      clock.advance(1100); // Slack: one message per second per channel
    }
    throw new Error('delivery did not settle');
  };
  return {
    app,
    clock,
    fake,
    slack: slack!,
    workspaceId: app.ctx.workspaceId,
    eventsUrl,
    send: (body, o) => sendSlack(eventsUrl, SIGNING_SECRET, body, o),
    deliver,
    idle: () => slack!.idle(),
    async intake(input) {
      const { id } = await app.ctx.intake.accept(app.ctx.workspaceId, {
        source: 'survey',
        kind: 'nps',
        score: 3,
        comment: 'The export is slow',
        touchpoint: 'export',
        tags: [],
        customer: { email: 'jo@example.com', name: 'Jo Customer' },
        ...input,
      });
      await deliver();
      return id;
    },
    async close() {
      await app.close();
      await fake.close();
      await testDb?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The button of a posted card with this action id (its value is the payload a click sends). */
export function buttonIn(blocks: any[], actionId: string): { action_id: string; value: string } | null {
  for (const block of blocks ?? []) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements) if (el.action_id === actionId) return el;
  }
  return null;
}

/** All mrkdwn/plain text of a message's blocks, for assertions. */
export function blocksText(blocks: any[]): string {
  return JSON.stringify(blocks ?? []);
}

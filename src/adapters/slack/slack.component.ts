// The Slack part of the app (src/components.ts): its ChatPort, the Bolt routes on the shared
// server (/slack/events, and /slack/install + /slack/oauth_redirect with OAuth), Socket Mode
// start/stop, and the command services it reaches from the AppContext.
import type { AppComponent, AppContext } from '../../app-context.ts';
import type { BoltOptions } from './bolt-app.ts';
import type { SlackOptionalServices } from './context.ts';
import { createSlackAdapter, type SlackAdapter } from './slack.adapter.ts';

export function slackServices(ctx: AppContext): SlackOptionalServices {
  const { scores, learnings, digests, schedules } = ctx.features;
  return {
    scores,
    learnings,
    routes: ctx.routes,
    digest: {
      digestNow: (ws, target, actor) => digests.digestNow(ws, target, actor),
      schedule: (ws, input) => schedules.schedule(ws, input),
      list: (ws) => schedules.list(ws),
      off: (ws, target) => schedules.off(ws, target),
    },
  };
}

/** `bolt`: test knobs (no auth.test against a fake API, bot ids given). */
export function createSlackComponent(
  ctx: AppContext,
  opts: { bolt?: BoltOptions; onAdapter?: (adapter: SlackAdapter) => void } = {},
): AppComponent | null {
  if (ctx.env.slackMode === 'off') return null;
  const slack = createSlackAdapter({
    env: ctx.env,
    db: ctx.db.db,
    clock: ctx.clock,
    logger: ctx.logger,
    services: { actions: ctx.actions, intake: ctx.intake, ...slackServices(ctx) },
    renderCard: ctx.renderCard,
    notifyDelivery: ctx.notifyDelivery,
    ...(opts.bolt ? { bolt: opts.bolt } : {}),
  });
  opts.onAdapter?.(slack);
  const mode = ctx.env.slackMode;
  const channel = ctx.env.SLACK_DEFAULT_CHANNEL;
  return {
    name: 'slack',
    port: slack.chatPort,
    // The router holds absolute paths (/slack/events, ...); Socket Mode's router is empty.
    routes: [{ path: '/', handler: slack.router }],
    describe: () => {
      const how =
        mode === 'socket'
          ? 'Socket Mode (no public URL needed)'
          : mode === 'oauth'
            ? 'multi-workspace OAuth, install at /slack/install, requests at /slack/events'
            : 'single workspace, requests at /slack/events';
      const where = channel ? `new feedback goes to ${channel}` : 'set SLACK_DEFAULT_CHANNEL to post new feedback';
      return [`Slack: ${how}, ${where}`];
    },
    start: () => slack.start(),
    stop: () => slack.stop(),
  };
}

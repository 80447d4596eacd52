// Builds the Bolt app for the configured mode. HTTP modes use an ExpressReceiver whose router is
// mounted on our own HTTP server (same port as the intake API and Teams): `/slack/events` for
// commands, interactivity and events; `/slack/install` and `/slack/oauth_redirect` with OAuth.
// Bolt verifies the signature and the 5-minute timestamp window before anything else runs.
import { App, ExpressReceiver, type InstallationStore } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import { Router } from 'express';
import type { Env } from '../../config/env.ts';
import { BOT_SCOPES } from './scopes.ts';
import { slackClientOptions } from './web-client.ts';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_REDIRECT_PATH = '/slack/oauth_redirect';

export type SlackEnv = Pick<
  Env,
  | 'slackMode'
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_APP_TOKEN'
  | 'SLACK_CLIENT_ID'
  | 'SLACK_CLIENT_SECRET'
  | 'SLACK_STATE_SECRET'
  | 'SLACK_API_URL'
  | 'PUBLIC_URL'
>;

export type BoltOptions = {
  /** false in tests against the fake API, with botId/botUserId given (no auth.test call). */
  tokenVerification?: boolean;
  botId?: string;
  botUserId?: string;
  /** Answer Slack only after the listener finished (FaaS). Default false: ack is sent at once. */
  processBeforeResponse?: boolean;
};

export type BuiltBolt = { app: App; router: Router; receiver: ExpressReceiver | null };

/** GovSlack and other hosts: OAuth authorize lives next to the Web API host. */
function authorizationUrl(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  return new URL('/oauth/v2/authorize', apiUrl).toString();
}

export function buildBolt(env: SlackEnv, logger: SlackLogger, store: InstallationStore | null, opts: BoltOptions = {}): BuiltBolt {
  const clientOptions = slackClientOptions({ apiUrl: env.SLACK_API_URL, logger });
  const common = {
    logger,
    clientOptions,
    // No listener reads Bolt's conversation context: skip its per-request store middleware.
    convoStore: false as const,
    ...(opts.tokenVerification === false ? { tokenVerificationEnabled: false } : {}),
    ...(opts.botId ? { botId: opts.botId } : {}),
    ...(opts.botUserId ? { botUserId: opts.botUserId } : {}),
  };

  if (env.slackMode === 'socket') {
    const app = new App({
      ...common,
      token: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      socketMode: true,
      // The Socket Mode client opens its connection (apps.connections.open) with these options.
      installerOptions: { clientOptions: { ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}), timeout: clientOptions.timeout } },
    });
    return { app, router: Router(), receiver: null };
  }

  const router = Router();
  const receiverBase = {
    signingSecret: env.SLACK_SIGNING_SECRET!,
    endpoints: SLACK_EVENTS_PATH,
    router,
    logger,
    processBeforeResponse: opts.processBeforeResponse ?? false,
  };

  if (env.slackMode === 'oauth') {
    if (!store) throw new Error('Slack OAuth needs an installation store');
    const receiver = new ExpressReceiver({
      ...receiverBase,
      clientId: env.SLACK_CLIENT_ID,
      clientSecret: env.SLACK_CLIENT_SECRET,
      stateSecret: env.SLACK_STATE_SECRET,
      scopes: [...BOT_SCOPES],
      installationStore: store,
      ...(env.PUBLIC_URL ? { redirectUri: new URL(SLACK_REDIRECT_PATH, env.PUBLIC_URL).toString() } : {}),
      installerOptions: {
        installPath: SLACK_INSTALL_PATH,
        redirectUriPath: SLACK_REDIRECT_PATH,
        // One click from /slack/install straight to Slack's consent screen.
        directInstall: true,
        clientOptions: { ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}), timeout: clientOptions.timeout },
        ...(authorizationUrl(env.SLACK_API_URL) ? { authorizationUrl: authorizationUrl(env.SLACK_API_URL) } : {}),
      },
    });
    const app = new App({ ...common, receiver });
    return { app, router, receiver };
  }

  // Single workspace: one bot token.
  const receiver = new ExpressReceiver(receiverBase);
  const app = new App({ ...common, token: env.SLACK_BOT_TOKEN, receiver });
  return { app, router, receiver };
}

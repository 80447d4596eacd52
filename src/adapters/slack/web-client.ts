// Web API client settings in one place for Bolt's clients (modals, users.info, ephemerals).
// @slack/web-api has no timeout and retries ~10 times over 30 minutes by default (PLATFORM.md):
// every client here gets an explicit timeout and one quick retry on a network error, as calls like
// views.open must land within the 3 s trigger window. Delivery sends through delivery-client.ts,
// with the same timeout and no retries of its own (the outbox retries with backoff).
import type { Logger as SlackLogger } from '@slack/logger';
import type { WebClientOptions } from '@slack/web-api';

export const SLACK_TIMEOUT_MS = 10_000;

export function slackClientOptions(opts: { apiUrl?: string; logger?: SlackLogger; timeoutMs?: number }): WebClientOptions {
  return {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    timeout: opts.timeoutMs ?? SLACK_TIMEOUT_MS,
    retryConfig: { retries: 1, factor: 2, minTimeout: 100, maxTimeout: 500, randomize: true },
  };
}

// Web API client settings in one place. @slack/web-api has no timeout and retries ~10 times over
// 30 minutes by default (PLATFORM.md): every client here gets an explicit timeout and a bounded
// retry policy. Delivery clients also reject rate-limited calls, because the outbox owns retries
// (it waits exactly Retry-After and paces per channel).
import type { Logger as SlackLogger } from '@slack/logger';
import { WebClient, type WebClientOptions } from '@slack/web-api';

export const SLACK_TIMEOUT_MS = 10_000;

export type ClientPurpose = 'interactive' | 'delivery';

export function slackClientOptions(
  opts: { apiUrl?: string; logger?: SlackLogger; timeoutMs?: number },
  purpose: ClientPurpose,
): WebClientOptions {
  return {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    timeout: opts.timeoutMs ?? SLACK_TIMEOUT_MS,
    // Interactive calls (views.open within the 3 s trigger window, users.info) get one quick
    // retry on a network error; delivery gets none: the outbox retries with backoff.
    retryConfig:
      purpose === 'delivery' ? { retries: 0 } : { retries: 1, factor: 2, minTimeout: 100, maxTimeout: 500, randomize: true },
    rejectRateLimitedCalls: purpose === 'delivery',
  };
}

export function createWebClient(
  token: string | undefined,
  opts: { apiUrl?: string; logger?: SlackLogger; timeoutMs?: number },
  purpose: ClientPurpose,
): WebClient {
  return new WebClient(token, slackClientOptions(opts, purpose));
}

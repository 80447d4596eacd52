// Bot Connector failures → the delivery worker's error families (src/delivery/errors.ts). The
// worker owns retries (backoff with jitter, Retry-After), so the SDK's own retry is turned off
// for proactive sends (see chat-port.ts) and every failure surfaces here once.
import {
  ChannelNotFound,
  ChatError,
  MessageNotFound,
  NotInChannel,
  PermanentDeliveryError,
  RateLimited,
  TokenRevoked,
} from '../../delivery/errors.ts';

/** Retryable: Teams asks for retries of 412, 502 and 504 (and any 5xx or network failure). */
export class TeamsTransientError extends ChatError {}

export type SendOp = 'post' | 'update' | 'reply' | 'dm';

const DEFAULT_RETRY_AFTER_MS = 1000;

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const s = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof s === 'number' ? s : undefined;
}

function retryAfterMs(error: unknown): number {
  const headers = (error as { response?: { headers?: { get?: (n: string) => string | undefined } } })?.response
    ?.headers;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (raw) {
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const date = Date.parse(raw);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return DEFAULT_RETRY_AFTER_MS;
}

export function toChatError(error: unknown, op: SendOp): ChatError {
  if (error instanceof ChatError) return error;
  const status = statusOf(error);
  const code = (error as { code?: unknown })?.code;
  const detail = `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
  const msg = `Teams ${op} failed${status ? ` (HTTP ${status})` : ''}: ${detail}`.slice(0, 500);
  const options = { cause: error };
  switch (status) {
    case 429:
      return new RateLimited(retryAfterMs(error), msg, options);
    case 401:
      return new TokenRevoked(msg, options);
    case 403:
      // The bot was removed from the team/chat, or the user blocked it.
      return new NotInChannel(msg, options);
    case 404:
      return op === 'update' || op === 'reply' ? new MessageNotFound(msg, options) : new ChannelNotFound(msg, options);
    case 400:
    case 413:
      // The payload itself is wrong or too big: sending it again cannot help.
      return new PermanentDeliveryError(msg, options);
    default:
      return new TeamsTransientError(msg, options);
  }
}

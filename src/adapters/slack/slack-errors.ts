// Slack Web API failures → the typed chat errors the delivery worker understands. One place, one
// table: the worker decides from the class alone (RateLimited → wait, Permanent → dead-letter).
import { ErrorCode } from '@slack/web-api';
import {
  ChannelNotFound,
  MessageNotFound,
  NotInChannel,
  PermanentDeliveryError,
  RateLimited,
  TokenRevoked,
} from '../../delivery/errors.ts';

export const BOT_HANDLE = '@customer-first';

/** Slack's `error` string of a failed call (`not_in_channel`), or null for transport errors. */
export function slackErrorCode(error: unknown): string | null {
  const e = error as { code?: string; data?: { error?: unknown } };
  if (e?.code === ErrorCode.PlatformError && typeof e.data?.error === 'string') return e.data.error;
  if (e?.code === ErrorCode.RateLimitedError) return 'ratelimited';
  return null;
}

/** Errors that mean the installation's token no longer works. */
export const revokedCodes = new Set(['token_revoked', 'account_inactive', 'invalid_auth', 'not_authed', 'team_disabled', 'org_login_required', 'ekm_access_denied']);

const permanentCodes = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'cannot_dm_bot',
  'user_not_found',
  'user_disabled',
  'missing_scope',
]);

/** Maps a Web API error to a typed chat error; anything unknown is returned as is (retried). */
export function toChatError(error: unknown, ctx: { channel?: string } = {}): unknown {
  const e = error as { code?: string; retryAfter?: number; data?: { response_metadata?: { retryAfter?: number } } };
  if (e?.code === ErrorCode.RateLimitedError) {
    return new RateLimited(Math.max(1, e.retryAfter ?? 1) * 1000, undefined, { cause: error });
  }
  const code = slackErrorCode(error);
  if (code === null) return error;
  const where = ctx.channel ? ` (${ctx.channel})` : '';
  switch (code) {
    case 'ratelimited':
      return new RateLimited(Math.max(1, e.data?.response_metadata?.retryAfter ?? 1) * 1000, undefined, { cause: error });
    case 'not_in_channel':
      return new NotInChannel(
        `the bot is not in channel${where}: invite it with /invite ${BOT_HANDLE} in that channel`,
        { cause: error },
      );
    case 'channel_not_found':
      return new ChannelNotFound(`Slack channel not found${where}: check the channel id and that the bot can see it`, {
        cause: error,
      });
    case 'is_archived':
      return new ChannelNotFound(`Slack channel${where} is archived`, { cause: error });
    case 'message_not_found':
    case 'cant_update_message':
    case 'thread_not_found':
      return new MessageNotFound(`Slack message${where} no longer exists (${code})`, { cause: error });
    default:
      if (revokedCodes.has(code)) return new TokenRevoked(`Slack token no longer works (${code})`, { cause: error });
      if (permanentCodes.has(code)) return new PermanentDeliveryError(`Slack rejected the message: ${code}`, { cause: error });
      return error;
  }
}

// Private answers to one person: through the interaction's response_url when there is one (no
// rate-limit tier, works in any conversation), else chat.postEphemeral in the card's channel, else
// a DM from the app.
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Message } from '../../core/messages/model.ts';
import { noticeMessage } from '../../core/messages/text.ts';
import { toBlockKit } from './render/block-kit.ts';

export const SOMETHING_WENT_WRONG = 'Something went wrong on our side and nothing was changed. Please try again in a moment.';

export function asMessage(text: string | Message): Message {
  return typeof text === 'string' ? noticeMessage(text) : text;
}

/** Ephemeral reply via response_url; never replaces the card the button was on. */
export async function respondEphemeral(respond: RespondFn, message: string | Message): Promise<void> {
  const { text, blocks } = toBlockKit(asMessage(message));
  await respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
}

/** Visible to the channel (e.g. `/scores public`). */
export async function respondInChannel(respond: RespondFn, message: Message): Promise<void> {
  const { text, blocks } = toBlockKit(message);
  await respond({ response_type: 'in_channel', replace_original: false, text, blocks });
}

/** For listeners without a response_url (view submissions). */
export async function tellUser(
  client: WebClient,
  where: { user: string; channel?: string | null },
  message: string | Message,
): Promise<void> {
  const { text, blocks } = toBlockKit(asMessage(message));
  if (where.channel) {
    try {
      await client.chat.postEphemeral({ channel: where.channel, user: where.user, text, blocks });
      return;
    } catch {
      // Not in that channel any more (or it is gone): fall back to a DM.
    }
  }
  await client.chat.postMessage({ channel: where.user, text, blocks, unfurl_links: false, unfurl_media: false });
}

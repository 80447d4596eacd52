// The platform-neutral message model. Core builds these; the Slack and Teams renderers translate
// them (src/adapters/*/render). `section.text` is OUR markup (see markup.ts); `quote.text` is
// customer words: always escaped, never parsed.
import type { ActionId } from './action-ids.ts';
import type { ButtonPayload } from './payload.ts';

export type Message = { text: string; blocks: Block[] };

export type Field = { label: string; value: string };

export type Block =
  | { type: 'header'; text: string }
  | { type: 'section'; text: string; fields?: Field[] }
  | { type: 'quote'; text: string }
  | { type: 'context'; items: string[] }
  | { type: 'actions'; buttons: Button[] }
  | { type: 'image'; url: string; alt: string }
  | { type: 'divider' }
  /**
   * People to notify, then `text` (our markup). Each platform renders its own mentions only:
   * Slack user (U…/W…) and user group (S…) ids; Teams people as real <at> mentions.
   */
  | { type: 'mention'; slack: string[]; teams: TeamsMention[]; text: string };

/** A Teams person to @mention: `id` is an AAD object id or a UPN (email); `name` is shown. */
export type TeamsMention = { id: string; name: string };

export type Button = {
  action: ActionId;
  label: string;
  style?: 'primary' | 'danger';
  payload: ButtonPayload;
};

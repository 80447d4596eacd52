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
  | { type: 'divider' };

export type Button = {
  action: ActionId;
  label: string;
  style?: 'primary' | 'danger';
  payload: ButtonPayload;
};

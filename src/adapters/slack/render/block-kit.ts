// Neutral Message → Block Kit. Pure: no I/O, never throws on long text (see limits.ts).
//
// Buttons: `action_id` is the ActionId itself when it is unique within its actions block; a
// repeated action in the same block (e.g. two Snooze buttons) gets `:2`, `:3`, ... appended.
// `value` is the JSON payload. Routing therefore looks up `baseActionId(action_id)`, never the
// bare string.
import type {
  ActionsBlock,
  Button as SlackButton,
  ContextBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { stripMarkup } from '../../../core/messages/markup.ts';
import type { Block, Button, Field, Message } from '../../../core/messages/model.ts';
import { encodePayload } from '../../../core/messages/payload.ts';
import { markupToMrkdwn, quoteMrkdwn, toSlackText } from './escape.ts';
import { slackLimits as L, truncate } from './limits.ts';

export type BlockKitMessage = { text: string; blocks: KnownBlock[] };

export type BlockKitOptions = {
  /** 50 for messages (default); modals and the Home tab allow 100. */
  maxBlocks?: number;
};

export function toBlockKit(message: Message, opts: BlockKitOptions = {}): BlockKitMessage {
  const max = Math.min(Math.max(opts.maxBlocks ?? L.blocksPerMessage, 2), L.blocksPerSurface);
  const blocks = message.blocks.flatMap((block, index) => renderBlock(block, index));
  return { text: fallbackText(message), blocks: capBlocks(blocks, max) };
}

/** The ActionId a (possibly suffixed) `action_id` stands for. */
export const baseActionId = (actionId: string): string => actionId.replace(/:\d+$/, '');

function renderBlock(block: Block, index: number): KnownBlock[] {
  switch (block.type) {
    case 'header': {
      const text = truncate(stripMarkup(block.text).trim(), L.headerText);
      return text ? [{ type: 'header', text: plainText(text) }] : [];
    }
    case 'section':
      return renderSection(block.text, block.fields ?? []);
    case 'quote': {
      const text = block.text.trim();
      return text ? [{ type: 'section', text: mrkdwn(truncate(quoteMrkdwn(text), L.sectionText)) }] : [];
    }
    case 'context':
      return renderContext(block.items);
    case 'actions':
      return chunk(block.buttons, L.actionsElements).map(
        (buttons, n): ActionsBlock => ({
          type: 'actions',
          block_id: `actions-${index}-${n}`,
          elements: renderButtons(buttons),
        }),
      );
    case 'image':
      if (!block.url || block.url.length > L.imageUrl) return [];
      return [
        {
          type: 'image',
          image_url: block.url,
          alt_text: truncate(stripMarkup(block.alt).trim() || 'image', L.altText),
        },
      ];
    case 'divider':
      return [{ type: 'divider' }];
    case 'mention': {
      const ids = slackMentions(block.slack);
      const text = [ids, block.text.trim() ? markupToMrkdwn(block.text) : ''].filter(Boolean).join(' ');
      return text ? [{ type: 'section', text: mrkdwn(truncate(text, L.sectionText)) }] : [];
    }
    default:
      return [];
  }
}

function renderSection(markup: string, fields: Field[]): SectionBlock[] {
  const text = markup.trim() ? truncate(markupToMrkdwn(markup), L.sectionText) : '';
  const fieldTexts = fields.map((f) => {
    const label = f.label.trim() ? `*${markupToMrkdwn(f.label)}*\n` : '';
    return mrkdwn(truncate(`${label}${markupToMrkdwn(f.value) || ' '}`, L.fieldText));
  });
  const groups = chunk(fieldTexts, L.fieldsPerSection);
  if (!text && groups.length === 0) return [];
  const [first, ...rest] = groups;
  const head: SectionBlock = { type: 'section' };
  if (text) head.text = mrkdwn(text);
  if (first) head.fields = first;
  return [head, ...rest.map((group): SectionBlock => ({ type: 'section', fields: group }))];
}

function renderContext(items: string[]): ContextBlock[] {
  const texts = items.filter((item) => item.trim()).map(markupToMrkdwn);
  if (texts.length === 0) return [];
  // More than 10 items: the overflow joins the last element instead of being dropped.
  const kept = texts.length > L.contextElements ? texts.slice(0, L.contextElements - 1) : texts;
  if (texts.length > L.contextElements) kept.push(texts.slice(L.contextElements - 1).join(' · '));
  return [{ type: 'context', elements: kept.map((t) => mrkdwn(truncate(t, L.contextText))) }];
}

function renderButtons(buttons: Button[]): SlackButton[] {
  const seen = new Map<string, number>();
  return buttons.map((button) => {
    const count = (seen.get(button.action) ?? 0) + 1;
    seen.set(button.action, count);
    const element: SlackButton = {
      type: 'button',
      action_id: (count === 1 ? button.action : `${button.action}:${count}`).slice(0, L.actionId),
      text: plainText(truncate(stripMarkup(button.label).trim() || button.action, L.buttonText)),
      value: encodePayload(button.payload).slice(0, L.buttonValue),
    };
    if (button.style) element.style = button.style;
    return element;
  });
}

/** Past the cap (50 in messages): keep one fewer and say how many were left out. */
function capBlocks(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  const more = blocks.length - kept.length;
  kept.push({ type: 'context', elements: [mrkdwn(`… and ${more} more`)] });
  return kept;
}

/** Only well-formed ids become mention syntax: anything else is dropped, never sent as text. */
const SLACK_MENTION_ID = /^[UWS][A-Z0-9]{2,}$/;
function slackMentions(ids: string[]): string {
  return [...new Set(ids)]
    .filter((id) => SLACK_MENTION_ID.test(id))
    .map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`))
    .join(' ');
}

function fallbackText(message: Message): string {
  const text = message.text?.trim() ? message.text : firstText(message.blocks);
  // The notification is made from `text`: it carries the mentions, so they ping.
  const mention = message.blocks.find((b) => b.type === 'mention');
  const ids = mention?.type === 'mention' ? slackMentions(mention.slack) : '';
  const escaped = toSlackText(text) || 'Customer First';
  return ids ? `${ids} ${escaped}` : escaped;
}

function firstText(blocks: Block[]): string {
  for (const block of blocks) {
    if ((block.type === 'header' || block.type === 'section' || block.type === 'quote') && block.text.trim()) {
      return block.text;
    }
  }
  return '';
}

// verbatim: Slack must not auto-parse anything in our text (no mention or channel linking).
function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

function plainText(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

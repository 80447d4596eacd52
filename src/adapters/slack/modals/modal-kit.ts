// Small helpers shared by the modals: Block Kit element builders within Slack's limits, the
// private_metadata envelope, and readers for view.state.values.
import type { InputBlock, InputBlockElement, KnownBlock, PlainTextElement } from '@slack/types';
import { z } from 'zod';
import type { Message } from '../../../core/messages/model.ts';
import { toBlockKit } from '../render/block-kit.ts';
import { truncate } from '../render/limits.ts';

/** Every input's element uses this action id; the block id names the field. */
export const VALUE = 'value';

export function plainText(text: string, max = 2000): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** Modal title, submit and close texts: at most 24 characters. */
export const label24 = (text: string) => plainText(text, 24);

export function input(
  blockId: string,
  label: string,
  element: InputBlockElement,
  opts: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    element,
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.hint ? { hint: plainText(opts.hint) } : {}),
  };
}

/** Summary blocks at the top of a form, rendered (and escaped) like any other message. */
export function summaryBlocks(message: Message): KnownBlock[] {
  return toBlockKit(message).blocks;
}

// private_metadata: what the submission needs to know about where the form came from.
const metadataSchema = z.object({
  v: z.literal(1),
  item: z.string().max(64).optional(),
  channel: z.string().max(64).optional(),
  ts: z.string().max(64).optional(),
  team: z.string().max(64).optional(),
});
export type ModalMetadata = z.infer<typeof metadataSchema>;

export function encodeMetadata(meta: Omit<ModalMetadata, 'v'>): string {
  const clean = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return JSON.stringify({ v: 1, ...clean });
}

export function decodeMetadata(raw: string | undefined): ModalMetadata | null {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// ---- view.state.values readers (block id → action id → state)

export type StateValues = Record<string, Record<string, any>>;

const field = (values: StateValues, blockId: string) => values?.[blockId]?.[VALUE] ?? null;

export function textValue(values: StateValues, blockId: string): string {
  const v = field(values, blockId)?.value;
  return typeof v === 'string' ? v.trim() : '';
}

export function selectedValue(values: StateValues, blockId: string): string | null {
  return field(values, blockId)?.selected_option?.value ?? null;
}

export function selectedUser(values: StateValues, blockId: string): string | null {
  return field(values, blockId)?.selected_user ?? null;
}

export function selectedDate(values: StateValues, blockId: string): string | null {
  return field(values, blockId)?.selected_date ?? null;
}

export function checked(values: StateValues, blockId: string, optionValue: string): boolean {
  const options: { value?: string }[] = field(values, blockId)?.selected_options ?? [];
  return options.some((o) => o.value === optionValue);
}

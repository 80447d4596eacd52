import type { ActionsBlock, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { baseActionId, toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { plain } from '../../src/core/messages/markup.ts';
import type { Block, Button, Message } from '../../src/core/messages/model.ts';
import { parseButtonPayload } from '../../src/core/messages/payload.ts';
import { checkBlockKit } from '../helpers/schemas.ts';

const item = '4f8e2a4c-9b7d-4c1e-8f3a-2b6d9e1c7a50';
const button = (action: Button['action'], label: string, extra: Partial<Button> = {}): Button => ({
  action,
  label,
  payload: { v: 1, item },
  ...extra,
});

const fullCard: Message = {
  text: 'New NPS 3 from Jane Doe',
  blocks: [
    { type: 'header', text: 'NPS 3 · Detractor' },
    {
      type: 'section',
      text: `*${plain('Jane Doe')}* · ${plain('Acme & Co')}`,
      fields: [
        { label: 'Touchpoint', value: plain('onboarding') },
        { label: 'Due', value: 'due in 23 h' },
      ],
    },
    { type: 'quote', text: 'The export is broken.\nPlease fix <!channel>' },
    { type: 'context', items: ['survey · Delighted', `claimed by *${plain('Ana')}*`] },
    { type: 'image', url: 'https://example.com/chart.png', alt: 'NPS trend' },
    { type: 'divider' },
    {
      type: 'actions',
      buttons: [
        button(ActionIds.claim, 'Claim', { style: 'primary' }),
        button(ActionIds.snooze, 'Snooze 1 h', { payload: { v: 1, item, arg: '1h' } }),
        button(ActionIds.snooze, 'Snooze 4 h', { payload: { v: 1, item, arg: '4h' } }),
        button(ActionIds.resolve, 'Resolve', { style: 'danger' }),
      ],
    },
  ],
};

const ofType = <T extends KnownBlock['type']>(blocks: KnownBlock[], type: T) =>
  blocks.filter((b) => b.type === type) as Extract<KnownBlock, { type: T }>[];

describe('toBlockKit', () => {
  it('renders every block type into valid Block Kit with fallback text', () => {
    const out = toBlockKit(fullCard);
    expect(checkBlockKit(out)).toEqual([]);
    expect(out.text).toBe('New NPS 3 from Jane Doe');
    expect(out.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'image',
      'divider',
      'actions',
    ]);
    const header = out.blocks[0] as HeaderBlock;
    expect(header.text).toEqual({ type: 'plain_text', text: 'NPS 3 · Detractor', emoji: true });
    const section = out.blocks[1] as SectionBlock;
    expect(section.text).toEqual({ type: 'mrkdwn', text: '*Jane Doe* · Acme &amp; Co', verbatim: true });
    expect(section.fields?.map((f) => f.text)).toEqual(['*Touchpoint*\nonboarding', '*Due*\ndue in 23 h']);
    expect(out.blocks[4]).toEqual({ type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'NPS trend' });
  });

  it('renders a quote as `> ` lines, fully escaped', () => {
    const quote = toBlockKit(fullCard).blocks[2] as SectionBlock;
    expect(quote.text?.text).toBe('> The export is broken.\n> Please fix &lt;!channel&gt;');
  });

  it('gives buttons the ActionId, a JSON payload value and style; repeats get a suffix', () => {
    const actions = ofType(toBlockKit(fullCard).blocks, 'actions')[0] as ActionsBlock;
    const buttons = actions.elements.map((e) => e as Extract<typeof e, { type: 'button' }>);
    expect(buttons.map((b) => b.action_id)).toEqual([
      'feedback.claim',
      'feedback.snooze',
      'feedback.snooze:2',
      'feedback.resolve',
    ]);
    expect(buttons.map((b) => b.style)).toEqual(['primary', undefined, undefined, 'danger']);
    expect(parseButtonPayload(buttons[2]!.value)).toEqual({ v: 1, item, arg: '4h' });
    // Routing looks up the base id: a suffix is dropped, nothing else is.
    expect(buttons.map((b) => baseActionId(b.action_id ?? ''))).toEqual([
      ActionIds.claim,
      ActionIds.snooze,
      ActionIds.snooze,
      ActionIds.resolve,
    ]);
    expect(['feedback.resolve.submit', 'feedback.claim:x', 'feedback.claim:2:3'].map(baseActionId)).toEqual([
      'feedback.resolve.submit',
      'feedback.claim:x',
      'feedback.claim:2',
    ]);
  });

  it('gives each actions block a unique block_id', () => {
    const msg: Message = {
      text: 'digest',
      blocks: [
        { type: 'actions', buttons: [button(ActionIds.claim, 'Claim')] },
        { type: 'actions', buttons: [button(ActionIds.claim, 'Claim')] },
      ],
    };
    const out = toBlockKit(msg);
    expect(checkBlockKit(out)).toEqual([]);
    const ids = out.blocks.map((b) => b.block_id);
    expect(new Set(ids).size).toBe(2);
  });

  it('always has fallback text, derived from the blocks when the message has none', () => {
    expect(toBlockKit({ text: '', blocks: [{ type: 'header', text: 'Scores' }] }).text).toBe('Scores');
    expect(toBlockKit({ text: '  ', blocks: [{ type: 'section', text: `Hi ${plain('<@U1>')}` }] }).text).toBe(
      'Hi &lt;@U1&gt;',
    );
    expect(toBlockKit({ text: '', blocks: [{ type: 'divider' }] }).text).toBe('Customer First');
    expect(toBlockKit({ text: 'x'.repeat(50_000), blocks: [] }).text.length).toBeLessThanOrEqual(40_000);
  });

  it('skips empty blocks instead of sending invalid ones', () => {
    const out = toBlockKit({
      text: 't',
      blocks: [
        { type: 'header', text: '  ' },
        { type: 'section', text: '' },
        { type: 'quote', text: '\n' },
        { type: 'context', items: ['', ' '] },
        { type: 'image', url: '', alt: 'x' },
        { type: 'actions', buttons: [] },
      ],
    });
    expect(out.blocks).toEqual([]);
  });
});

describe('toBlockKit limits', () => {
  it('caps at 50 blocks: keeps 49 and adds "… and N more"', () => {
    const blocks: Block[] = Array.from({ length: 80 }, (_, i) => ({ type: 'section', text: `item ${i}` }));
    const out = toBlockKit({ text: 'many', blocks });
    expect(out.blocks).toHaveLength(50);
    expect(checkBlockKit(out)).toEqual([]);
    const last = out.blocks[49] as ContextBlock;
    expect(last.type).toBe('context');
    expect((last.elements[0] as { text: string }).text).toBe('… and 31 more');
    expect((out.blocks[48] as SectionBlock).text?.text).toBe('item 48');
  });

  it('allows up to 100 blocks for modals and the Home tab', () => {
    const blocks: Block[] = Array.from({ length: 150 }, () => ({ type: 'divider' }));
    const out = toBlockKit({ text: 'home', blocks }, { maxBlocks: 100 });
    expect(out.blocks).toHaveLength(100);
    expect(out.blocks[99]!.type).toBe('context');
    expect(toBlockKit({ text: 'x', blocks }, { maxBlocks: 500 }).blocks).toHaveLength(100);
  });

  it('keeps exactly 50 blocks untouched', () => {
    const blocks: Block[] = Array.from({ length: 50 }, () => ({ type: 'divider' }));
    expect(toBlockKit({ text: 'x', blocks }).blocks.every((b) => b.type === 'divider')).toBe(true);
  });

  it('truncates a long section to 3000 chars with an ellipsis, even after escaping', () => {
    const long = `${'&'.repeat(2000)}${'a'.repeat(5000)}`;
    const section = toBlockKit({ text: 'x', blocks: [{ type: 'section', text: plain(long) }] })
      .blocks[0] as SectionBlock;
    const text = section.text?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith('…')).toBe(true);
    expect(text).not.toMatch(/&(?!amp;)/); // no entity cut in half
  });

  it('truncates a 100 KB quote and never throws', () => {
    const out = toBlockKit({ text: 'x', blocks: [{ type: 'quote', text: 'word <!here> '.repeat(8000) }] });
    expect(checkBlockKit(out)).toEqual([]);
  });

  it('cuts button text to 75, header to 150, fields to 10 per section and 2000 chars', () => {
    const out = toBlockKit({
      text: 'x',
      blocks: [
        { type: 'header', text: 'H'.repeat(400) },
        {
          type: 'section',
          text: 'fields',
          fields: Array.from({ length: 13 }, (_, i) => ({ label: `f${i}`, value: plain('v'.repeat(3000)) })),
        },
        { type: 'actions', buttons: [button(ActionIds.claim, 'L'.repeat(200))] },
      ],
    });
    expect(checkBlockKit(out)).toEqual([]);
    expect((out.blocks[0] as HeaderBlock).text.text).toHaveLength(150);
    const sections = ofType(out.blocks, 'section');
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 3]);
    expect(sections[0]!.fields![0]!.text.length).toBe(2000);
    const btn = (out.blocks.at(-1) as ActionsBlock).elements[0] as { text: { text: string } };
    expect(btn.text.text).toHaveLength(75);
    expect(btn.text.text.endsWith('…')).toBe(true);
  });

  it('splits more than 25 buttons over several actions blocks, folds context past 10 items', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => button(ActionIds.claim, `Claim ${i}`));
    const items = Array.from({ length: 14 }, (_, i) => `c${i}`);
    const out = toBlockKit({ text: 'x', blocks: [{ type: 'actions', buttons }, { type: 'context', items }] });
    expect(checkBlockKit(out)).toEqual([]);
    expect(ofType(out.blocks, 'actions').map((a) => a.elements.length)).toEqual([25, 5]);
    const ctx = ofType(out.blocks, 'context')[0]!;
    expect(ctx.elements).toHaveLength(10);
    expect((ctx.elements[9] as { text: string }).text).toBe('c9 · c10 · c11 · c12 · c13');
  });

  it('does not split a surrogate pair when truncating', () => {
    const out = toBlockKit({ text: 'x', blocks: [{ type: 'header', text: '😀'.repeat(100) }] });
    const text = (out.blocks[0] as HeaderBlock).text.text;
    expect(text.length).toBeLessThanOrEqual(150);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

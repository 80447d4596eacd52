import type { ContextBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import {
  escapeMrkdwn,
  literalMrkdwn,
  markupToMrkdwn,
  toSlackText,
} from '../../src/adapters/slack/render/escape.ts';
import { plain } from '../../src/core/messages/markup.ts';
import { checkBlockKit } from '../helpers/schemas.ts';

const ZWSP = '\u200B';
const pings = ['<!channel>', '<!here>', '<!everyone>', '<@U123>', '<!subteam^S123>', '<https://x|y>', '<#C123>'];

describe('Slack escaping', () => {
  it.each(pings)('renders %s literally in every kind of text', (ping) => {
    const out = toBlockKit({
      text: `fallback ${ping}`,
      blocks: [
        { type: 'section', text: `*Customer:* ${plain(ping)} and raw ${ping}`, fields: [{ label: ping, value: ping }] },
        { type: 'quote', text: `hello ${ping}` },
        { type: 'context', items: [ping, plain(ping)] },
      ],
    });
    expect(checkBlockKit(out)).toEqual([]);
    const json = JSON.stringify(out);
    expect(json).not.toContain('<');
    // The only `>` left is our own quote marker at the start of a line.
    expect(json.replaceAll('"> ', '"').replaceAll('\\n> ', '\\n')).not.toContain('>');
    expect(out.text).toBe(`fallback ${ping.replace('<', '&lt;').replace('>', '&gt;')}`);
  });

  it('escapes & < > and nothing else', () => {
    expect(escapeMrkdwn('a & b <c> *d*')).toBe('a &amp; b &lt;c&gt; *d*');
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('neutralises mrkdwn formatting in literal text with zero-width spaces', () => {
    expect(literalMrkdwn('*bold* _it_ ~st~ `code`')).toBe(
      [
        `${ZWSP}*${ZWSP}bold${ZWSP}*${ZWSP}`,
        `${ZWSP}_${ZWSP}it${ZWSP}_${ZWSP}`,
        `${ZWSP}~${ZWSP}st${ZWSP}~${ZWSP}`,
        `${ZWSP}\`${ZWSP}code${ZWSP}\`${ZWSP}`,
      ].join(' '),
    );
    // Invisible: removing the ZWSPs gives the customer's words back.
    expect(literalMrkdwn('5 * 3 = 15 & x_y').replaceAll(ZWSP, '')).toBe('5 * 3 = 15 &amp; x_y');
  });

  it('lets our markup through around literal spans', () => {
    expect(markupToMrkdwn(`*${plain('Jane *VIP*')}* said _hi_ & \`ok\``)).toBe(
      `*Jane ${ZWSP}*${ZWSP}VIP${ZWSP}*${ZWSP}* said _hi_ &amp; \`ok\``,
    );
  });

  it('quotes customer words line by line and neutralises a fake quote or bold', () => {
    const out = toBlockKit({ text: 'x', blocks: [{ type: 'quote', text: '> not a quote\r\n*loud*' }] });
    expect((out.blocks[0] as SectionBlock).text?.text).toBe(`> &gt; not a quote\n> ${ZWSP}*${ZWSP}loud${ZWSP}*${ZWSP}`);
  });

  it('escapes the fallback text and drops literal markers', () => {
    expect(toSlackText(`New item from ${plain('<@U999> & co')}`)).toBe('New item from &lt;@U999&gt; &amp; co');
  });

  it('sets verbatim on every mrkdwn object so Slack parses no mentions itself', () => {
    const out = toBlockKit({
      text: 'x',
      blocks: [
        { type: 'section', text: '@channel', fields: [{ label: 'a', value: '@here' }] },
        { type: 'context', items: ['@everyone'] },
      ],
    });
    const section = out.blocks[0] as SectionBlock;
    const context = out.blocks[1] as ContextBlock;
    const objects = [section.text, ...(section.fields ?? []), ...context.elements] as { verbatim?: boolean }[];
    expect(objects.every((o) => o.verbatim === true)).toBe(true);
  });
});

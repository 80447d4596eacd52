// A route's mention on each platform: Slack user/group syntax for well-formed ids only, Teams <at>
// tags matched by msteams.entities, the console's @names; customer text beside it pings nobody.
import { describe, expect, it } from 'vitest';
import { renderConsoleMessage } from '../../src/adapters/console/console.port.ts';
import { toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import { toAdaptiveCard } from '../../src/adapters/teams/render/adaptive-card.ts';
import type { TextBlock } from '../../src/adapters/teams/render/types.ts';
import { withLead } from '../../src/core/messages/lead.ts';
import { plain } from '../../src/core/messages/markup.ts';
import type { Message } from '../../src/core/messages/model.ts';
import { checkBlockKit, schemasDir, schemasSkipMessage, validateAdaptiveCard } from '../helpers/schemas.ts';

const card: Message = {
  text: 'NPS 2 from Jo <!channel>',
  blocks: [
    { type: 'section', text: `*NPS 2* from ${plain('Jo <!channel> *Acme*')}` },
    { type: 'quote', text: 'Broken again <!here> <at>Everyone</at>' },
  ],
};
const mention = {
  slack: ['S0ACCT', 'U0DANA', 'U0DANA', 'not-an-id', '<!channel>'],
  teams: [
    { id: 'aad-1', name: 'Dana Ruiz' },
    { id: 'aad-1', name: 'Dana Ruiz' },
    { id: 'aad-2', name: 'Eve</at><at>All' },
    { id: ' ', name: 'Nobody' },
  ],
};

describe('withLead', () => {
  it('puts one mention block above the card and leaves the card as it was', () => {
    const led = withLead(card, { mention, lead: '🚨 *Needs an owner*' });
    expect(led.blocks[0]).toEqual({ type: 'mention', slack: mention.slack, teams: mention.teams, text: '🚨 *Needs an owner*' });
    expect(led.blocks.slice(1)).toEqual(card.blocks);
    expect(led.text).toBe(`🚨 *Needs an owner* — ${card.text}`);
  });

  it('adds nothing without a mention or a lead', () => {
    expect(withLead(card, {})).toBe(card);
    expect(withLead(card, { mention: { slack: [], teams: [] } })).toBe(card);
  });
});

describe('Slack mentions', () => {
  const out = toBlockKit(withLead(card, { mention, lead: 'Needs an owner' }));

  it('renders user group and user ids once each, and drops anything that is not an id', () => {
    const first = out.blocks[0] as { text: { text: string } };
    expect(first.text.text).toBe('<!subteam^S0ACCT> <@U0DANA> Needs an owner');
    expect(JSON.stringify(out)).not.toContain('not-an-id');
    expect(checkBlockKit(out)).toEqual([]);
  });

  it('puts the mentions in the notification text too, so they ping', () => {
    expect(out.text.startsWith('<!subteam^S0ACCT> <@U0DANA> ')).toBe(true);
  });

  it('pings nobody else: customer text stays escaped', () => {
    const json = JSON.stringify(out);
    for (const ping of ['<!channel>', '<!here>']) expect(json).not.toContain(ping);
    expect(json.match(/<[@!]/g)).toHaveLength(4); // two in the block, two in the fallback text
  });
});

describe('Teams mentions', () => {
  const out = toAdaptiveCard(withLead(card, { mention, lead: 'Needs an owner' }));

  it('writes one <at> per person and a matching msteams entity, deduplicated by id', () => {
    const first = out.body[0] as TextBlock;
    expect(first.text).toBe('<at>Dana Ruiz</at> <at>Eve/atatAll</at> Needs an owner');
    expect(out.msteams?.entities).toEqual([
      { type: 'mention', text: '<at>Dana Ruiz</at>', mentioned: { id: 'aad-1', name: 'Dana Ruiz' } },
      { type: 'mention', text: '<at>Eve/atatAll</at>', mentioned: { id: 'aad-2', name: 'Eve/atatAll' } },
    ]);
  });

  const dir = schemasDir();
  it.skipIf(!dir)(`is a valid Adaptive Card 1.5${dir ? '' : ` (${schemasSkipMessage})`}`, () => {
    expect(validateAdaptiveCard(out)).toEqual([]);
  });

  it('customer text carries no <at> tag', () => {
    const texts = JSON.stringify(out.body.slice(1));
    expect(texts).not.toMatch(/(^|[^\\])<at>/);
  });

  it('a card without mentions has no msteams entities', () => {
    expect(toAdaptiveCard(card).msteams).toBeUndefined();
  });
});

describe('console mentions', () => {
  it('prints @names before the lead', () => {
    const text = renderConsoleMessage('post', withLead(card, { mention: { slack: ['S0ACCT'], teams: [{ id: 'a', name: 'Dana' }] }, lead: 'Needs an owner' }));
    expect(text).toContain('@S0ACCT @Dana Needs an owner');
  });
});

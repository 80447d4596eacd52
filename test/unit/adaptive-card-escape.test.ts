import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../src/adapters/teams/render/adaptive-card.ts';
import { escapeTeamsMarkdown, markupToTeams, teamsPlainText } from '../../src/adapters/teams/render/escape.ts';
import type { Container, FactSet, TextBlock } from '../../src/adapters/teams/render/types.ts';
import { plain } from '../../src/core/messages/markup.ts';

describe('Teams markdown escaping', () => {
  it.each([
    ['**bold** and *it* and _it_', '\\*\\*bold\\*\\* and \\*it\\* and \\_it\\_'],
    ['[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['![img](https://x/y.png)', '!\\[img\\](https://x/y.png)'],
    ['`code` and ~~strike~~ and ~5 min', '\\`code\\` and \\~\\~strike\\~\\~ and ~5 min'],
    ['back\\slash', 'back\\\\slash'],
    ['# Heading', '\\# Heading'],
    ['#hashtag', '#hashtag'],
    ['> quoted', '\\> quoted'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['-5 degrees', '-5 degrees'],
    ['1. first', '1\\. first'],
    ['2020) year', '2020\\) year'],
    ['1.5 stars', '1.5 stars'],
    ['===', '\\==='],
    ['---', '\\---'],
    ['{{DATE(2017-02-14T06:08:39Z, SHORT)}}', '{\u200B{DATE(2017-02-14T06:08:39Z, SHORT)}}'],
    // `<` is backslash-escaped: the Agents Playground drops a raw `<word>` as a tag.
    ['a < b & c > d', 'a \\< b & c > d'],
    ['<at>Ana</at>', '\\<at>Ana\\</at>'],
  ])('%j → %j', (input, expected) => {
    expect(escapeTeamsMarkdown(input)).toBe(expected);
  });

  it('escapes block syntax at the start of every line and keeps lines apart', () => {
    expect(escapeTeamsMarkdown('ok\n- one\r\n2. two\n\n\n# three')).toBe('ok\n\n\\- one\n\n2\\. two\n\n\\# three');
  });

  it('translates our markup: *bold* → **bold**, literal spans escaped', () => {
    expect(markupToTeams(`*${plain('Jane_Doe *VIP*')}* said _hi_`)).toBe('**Jane\\_Doe \\*VIP\\*** said _hi_');
  });

  it('plain text (titles, labels) has no markers and no line breaks', () => {
    expect(teamsPlainText(`Claim ${plain('it')}\nnow`)).toBe('Claim it now');
  });

  it('escapes customer text in every place a card shows it', () => {
    const evil = '**x** [y](http://z) - <at>Ana</at>';
    const card = toAdaptiveCard({
      text: evil,
      blocks: [
        { type: 'header', text: evil },
        { type: 'section', text: plain(evil), fields: [{ label: plain(evil), value: plain(evil) }] },
        { type: 'quote', text: evil },
        { type: 'context', items: [plain(evil)] },
      ],
    });
    const escaped = '\\*\\*x\\*\\* \\[y\\](http://z) - \\<at>Ana\\</at>';
    expect((card.body[0] as TextBlock).text).toBe(escaped);
    expect((card.body[1] as TextBlock).text).toBe(escaped);
    expect((card.body[2] as FactSet).facts[0]).toEqual({ title: escaped, value: escaped });
    expect(((card.body[3] as Container).items[0] as TextBlock).text).toBe(escaped);
    expect((card.body[4] as TextBlock).text).toBe(escaped);
    expect(card.fallbackText).toBe(evil);
  });
});

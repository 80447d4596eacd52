import { describe, expect, it } from 'vitest';
import { createConsolePort } from '../../src/adapters/console/console.port.ts';
import { plain } from '../../src/core/messages/markup.ts';
import type { Message } from '../../src/core/messages/model.ts';

const card: Message = {
  text: 'NPS 2 from Jo',
  blocks: [
    { type: 'header', text: 'NPS 2 · Detractor' },
    { type: 'section', text: `*${plain('Jo <Acme>')}*`, fields: [{ label: 'Touchpoint', value: plain('checkout') }] },
    { type: 'quote', text: 'It broke\n<!channel> twice' },
    { type: 'context', items: ['Source: survey', 'due in 23 h'] },
    { type: 'actions', buttons: [{ action: 'feedback.claim', label: 'Claim', payload: { v: 1, item: '00000000-0000-4000-8000-000000000000' } }] },
  ],
};

describe('console chat port', () => {
  it('prints a card as readable text: header, fields, quote, context, buttons', async () => {
    const out: string[] = [];
    const port = createConsolePort({ write: (t) => out.push(t), newId: () => 'console-1' });
    const ref = await port.post('console', card);
    expect(ref).toEqual({ platform: 'console', channel: 'console', messageId: 'console-1' });
    const text = out.join('');
    expect(text).toContain('posted to #console (console-1)');
    expect(text).toContain('# NPS 2 · Detractor');
    expect(text).toContain('*Jo <Acme>*');
    expect(text).toContain('  Touchpoint: checkout');
    expect(text).toContain('> It broke\n> <!channel> twice');
    expect(text).toContain('Source: survey · due in 23 h');
    expect(text).toContain('[Claim]');
    expect(text).not.toMatch(/[\uE000\uE001]/);
  });

  it('gives every post, reply and DM its own id and says what happened', async () => {
    const out: string[] = [];
    const port = createConsolePort({ write: (t) => out.push(t) });
    const a = await port.post('console', card);
    const b = await port.reply(a, { text: 'Ana claimed this', blocks: [] });
    await port.update(a, card);
    const c = await port.dm('Ana', { text: 'Due in 2 h', blocks: [] });
    expect(new Set([a.messageId, b.messageId, c.messageId]).size).toBe(3);
    expect(out[1]).toContain(`reply in thread of ${a.messageId}`);
    expect(out[1]).toContain('Ana claimed this');
    expect(out[2]).toContain(`updated ${a.messageId}`);
    expect(out[3]).toContain('direct message to Ana');
  });
});

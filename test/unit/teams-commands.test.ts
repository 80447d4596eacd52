// The command grammar both chat adapters share (core), and how Teams turns a message into the
// command text: the bot's @mention stripped, HTML Teams may add removed, entities decoded.
import { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { commandText } from '../../src/adapters/teams/handlers/message.handler.ts';
import { parseChatCommand } from '../../src/core/commands/chat-command.ts';
import { buildHelpMessage } from '../../src/core/commands/help-message.ts';

describe('parseChatCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['  OPEN ', { kind: 'open' }],
    ['mine', { kind: 'mine' }],
    ['scores 90d by segment', { kind: 'scores', args: '90d by segment' }],
    ['scores', { kind: 'scores', args: '' }],
    ['customer Acme  Corp', { kind: 'customer', query: 'Acme Corp' }],
    ['log They want SSO', { kind: 'log', text: 'They want SSO' }],
    ['status 0b0f6c1e-7d0b-4f5e-9a47-1f1f1f1f1f1f', { kind: 'status', item: '0b0f6c1e-7d0b-4f5e-9a47-1f1f1f1f1f1f' }],
    ['connect #CX-Emea', { kind: 'connect', alias: 'cx-emea' }],
    ['digest', { kind: 'digest' }],
    ['digest list', { kind: 'digest.list' }],
    ['digest off', { kind: 'digest.off' }],
    ['digest schedule "0 9 * * 1-5" Europe/Paris', { kind: 'digest.schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Paris' }],
    ['digest schedule “30 8 * * 1” ', { kind: 'digest.schedule', cron: '30 8 * * 1', timezone: null }],
    ['learned They export on Mondays [Acme]', { kind: 'learned', text: 'They export on Mondays [Acme]' }],
    ['frobnicate', { kind: 'unknown', word: 'frobnicate' }],
  ])('%j', (text, expected) => {
    expect(parseChatCommand(text)).toEqual(expected);
  });

  it.each(['customer', 'log', 'status', 'learned', 'connect', 'connect two words', 'digest schedule 0 9 * * *', 'digest later'])(
    '%j is a usage error, not a guess',
    (text) => {
      const command = parseChatCommand(text);
      expect(command.kind).toBe('usage');
      expect(command.kind === 'usage' && command.error).toMatch(/^Usage: /);
    },
  );
});

describe('help', () => {
  it('lists every command, literally (no markup read inside usages)', () => {
    const help = buildHelpMessage('');
    const text = JSON.stringify(help.blocks);
    for (const word of ['open', 'mine', 'status', 'customer', 'scores', 'log', 'learned', 'digest schedule', 'connect', 'help']) {
      expect(text).toContain(word);
    }
    expect(help.text).toMatch(/^Customer First commands: /);
  });
});

describe('Teams command text', () => {
  const context = (activity: Record<string, unknown>) =>
    ({ activity: { type: 'message', recipient: { id: '28:bot', name: 'Customer First' }, ...activity } }) as unknown as TurnContext;

  it('strips the bot mention in a channel', () => {
    const ctx = context({
      text: '<at>Customer First</at> connect cx',
      entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'Customer First' }, text: '<at>Customer First</at>' }],
    });
    expect(commandText(ctx)).toBe('connect cx');
  });

  it('removes HTML and decodes entities', () => {
    expect(commandText(context({ text: '<p>digest schedule &quot;0 9 * * 1-5&quot;&nbsp;Europe/Paris</p>' }))).toBe(
      'digest schedule "0 9 * * 1-5" Europe/Paris',
    );
    expect(commandText(context({ text: 'log A &amp; B said &#8220;hi&#8221;' }))).toBe('log A & B said “hi”');
    expect(parseChatCommand(commandText(context({ text: 'log A &lt;b&gt;' })))).toEqual({ kind: 'log', text: 'A <b>' });
  });

  it('is empty (help) for a message with no text', () => {
    expect(commandText(context({}))).toBe('');
    expect(TurnContext).toBeDefined();
  });
});

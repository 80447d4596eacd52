// The command list, one wording for every platform. `prefix` is how the platform invokes us:
// '/cx ' on Slack; '' on Teams (a 1:1 message, or after @mentioning the bot in a channel).
import { plain } from '../messages/markup.ts';
import type { Message } from '../messages/model.ts';

const COMMANDS: [usage: string, what: string][] = [
  ['open', 'items that need an owner'],
  ['mine', 'items you own'],
  ['status <item id>', 'one item, with its buttons'],
  ['customer <name, email or id>', 'the customer as a person: every item and score'],
  ['scores [7d|30d|90d|qtd|ytd] [by segment|touchpoint|source|route]', 'NPS, CSAT and CES with n and margin of error'],
  ['log <text>', 'log what a customer told you'],
  ['learned <text>', 'share what you learned from a customer'],
  ['digest', 'post the customer-first digest here now'],
  ['digest schedule "<cron>" <timezone>', 'post it on a schedule, e.g. "0 9 * * 1-5" Europe/Paris'],
  ['digest list', "this workspace's digest schedules"],
  ['digest off', 'stop the scheduled digest here'],
  ['routes', 'the routing rules and how many items each took this week'],
  ['route test <item id | JSON>', 'which rule an item matches and why (posts nothing)'],
  ['connect <alias>', 'make this channel a destination for feedback cards'],
  ['help', 'this list'],
];

export function buildHelpMessage(prefix: string, intro?: string): Message {
  // Usages hold characters our markup would read (`*` in a cron): literal text, in bold.
  const lines = COMMANDS.map(([usage, what]) => `*${plain(`${prefix}${usage}`)}* — ${plain(what)}`);
  return {
    text: `Customer First commands: ${COMMANDS.map(([u]) => u.split(' ')[0]).join(', ')}`,
    blocks: [
      { type: 'header', text: 'Customer First' },
      ...(intro ? [{ type: 'section' as const, text: intro }] : []),
      { type: 'section', text: lines.join('\n') },
    ],
  };
}

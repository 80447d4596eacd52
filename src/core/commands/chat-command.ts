// The chat command grammar, shared by Slack (`/cx <text>`) and Teams (a 1:1 message or an
// @mention in a channel). Pure: text in, a command (or a usage error) out. Adapters strip their
// own prefix or mention first and decode platform entities.
export type ChatCommand =
  | { kind: 'help' }
  | { kind: 'scores'; args: string }
  | { kind: 'mine' }
  | { kind: 'open' }
  | { kind: 'customer'; query: string }
  | { kind: 'log'; text: string }
  | { kind: 'status'; item: string }
  | { kind: 'connect'; alias: string }
  | { kind: 'digest' }
  | { kind: 'digest.schedule'; cron: string; timezone: string | null }
  | { kind: 'digest.list' }
  | { kind: 'digest.off' }
  | { kind: 'learned'; text: string }
  | { kind: 'routes' }
  /** `route test <item id | JSON>`: which rule an item matches and why, nothing posted. */
  | { kind: 'route.test'; arg: string }
  /** A known command used wrongly: `error` is plain text saying how to use it. */
  | { kind: 'usage'; command: string; error: string }
  | { kind: 'unknown'; word: string };

/** Aliases name destinations (`connect cx-emea`): short, lower-case, no spaces. */
export const ALIAS_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function normalizeAlias(raw: string): string {
  return raw.trim().replace(/^#/, '').toLowerCase();
}

/** Straight quotes for the typographic ones chat clients insert as you type. */
function straightenQuotes(text: string): string {
  return text.replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"').replace(/[\u2018\u2019]/g, "'");
}

function parseDigest(rest: string): ChatCommand {
  const [sub = ''] = rest.split(/\s+/);
  const tail = rest.slice(sub.length).trim();
  switch (sub.toLowerCase()) {
    case '':
    case 'now':
      return { kind: 'digest' };
    case 'list':
      return { kind: 'digest.list' };
    case 'off':
    case 'stop':
      return { kind: 'digest.off' };
    case 'schedule': {
      const quoted = /^"([^"]+)"\s*(\S+)?\s*$/.exec(straightenQuotes(tail));
      if (!quoted) {
        return {
          kind: 'usage',
          command: 'digest schedule',
          error: 'Usage: digest schedule "<cron>" <timezone>, for example: digest schedule "0 9 * * 1-5" Europe/Paris',
        };
      }
      return { kind: 'digest.schedule', cron: quoted[1]!.trim(), timezone: quoted[2] ?? null };
    }
    default:
      return {
        kind: 'usage',
        command: 'digest',
        error: 'Usage: digest (post it now), digest schedule "<cron>" <timezone>, digest list, digest off',
      };
  }
}

export function parseChatCommand(input: string): ChatCommand {
  const text = input.replace(/\s+/g, ' ').trim();
  const [first = '', ...rest] = text.split(' ');
  const word = first.toLowerCase().replace(/^\//, '');
  const arg = rest.join(' ').trim();
  const need = (command: string, what: string, make: (v: string) => ChatCommand): ChatCommand =>
    arg ? make(arg) : { kind: 'usage', command, error: `Usage: ${command} ${what}` };

  switch (word) {
    case '':
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'scores':
    case 'score':
      return { kind: 'scores', args: arg };
    case 'mine':
      return { kind: 'mine' };
    case 'open':
      return { kind: 'open' };
    case 'customer':
      return need('customer', '<name, email or id>', (query) => ({ kind: 'customer', query }));
    case 'log':
      return need('log', '<what the customer told you>', (t) => ({ kind: 'log', text: t }));
    case 'status':
      return need('status', '<item id>', (item) => ({ kind: 'status', item }));
    case 'learned':
      return need('learned', '<what you learned from a customer>', (t) => ({ kind: 'learned', text: t }));
    case 'connect': {
      const alias = normalizeAlias(arg);
      if (!ALIAS_PATTERN.test(alias)) {
        return {
          kind: 'usage',
          command: 'connect',
          error: 'Usage: connect <alias>: a short name of letters, digits, - or _ (for example: connect cx-team)',
        };
      }
      return { kind: 'connect', alias };
    }
    case 'digest':
      return parseDigest(arg);
    case 'routes':
      return { kind: 'routes' };
    case 'route': {
      const [sub = '', ...tail] = arg.split(' ');
      const what = straightenQuotes(tail.join(' ').trim());
      if (sub.toLowerCase() === 'test' && what) return { kind: 'route.test', arg: what };
      if (sub === '' || sub.toLowerCase() === 'list') return { kind: 'routes' };
      return {
        kind: 'usage',
        command: 'route test',
        error: 'Usage: route test <item id | JSON>, for example: route test {"kind":"nps","score":3,"comment":"I want a refund"}',
      };
    }
    default:
      return { kind: 'unknown', word: first };
  }
}

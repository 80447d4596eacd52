// Structured logs with pino, one event per line on stderr (stdout belongs to the console chat
// adapter and the first-start API key): JSON lines in production, pino-pretty's human lines on a
// terminal (a dev dependency, loaded only when wanted; JSON when it is not installed). Call sites
// keep `log.info(message, fields)`. Secrets never reach a line: fields whose name looks secret are
// replaced at any depth, pino's redact paths name the ones we know, and string values and
// messages have token-shaped substrings masked. Lines written while an HTTP request is handled
// carry its `requestId` (src/http/request-context.ts).
import { createRequire } from 'node:module';
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import { currentRequestContext } from './http/request-context.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. { component: 'delivery' }). */
  child(fields: LogFields): Logger;
}

export const REDACTED = '[redacted]';

/** Any field whose name matches is replaced, at any depth (the rule that needs no list). */
const SECRET_KEY = /token|secret|passw(or)?d|authorization|key|cookie|signature|credential/i;

/** Names of the secrets we handle, as fields and env variables: redacted at the top level and one level down. */
const SECRET_NAMES = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'botToken',
  'bot_token',
  'appToken',
  'userToken',
  'password',
  'appPassword',
  'MicrosoftAppPassword',
  'secret',
  'client_secret',
  'clientSecret',
  'signingSecret',
  'stateSecret',
  'webhookSecret',
  'apiKey',
  'api_key',
  'key',
  'encryptionKey',
  'signature',
  'TOKEN_ENCRYPTION_KEY',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'MICROSOFT_APP_PASSWORD',
  'LOOP_WEBHOOK_SECRET',
  // May hold the database password.
  'DATABASE_URL',
];

/** Request headers that carry credentials: Bearer keys, cookies, and every webhook signature we check. */
const SECRET_HEADERS = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'x-slack-signature',
  'x-hub-signature',
  'typeform-signature',
  'x-zendesk-webhook-signature',
  'x-webhook-secret',
  'x-api-key',
];

/** pino `redact` paths: the explicit list (the key-name rule above catches what it misses). */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_NAMES.flatMap((name) => [name, `*.${name}`]),
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`]),
  // A Bolt installation, as the OAuth install store receives it.
  ...['bot', 'user'].flatMap((who) => [`installation.${who}.token`, `installation.${who}.refreshToken`, `*.${who}.token`]),
];

/** Token-shaped substrings of any string (messages, Bolt's lines, error messages, URLs). */
const SECRET_VALUES: [RegExp, string][] = [
  [/\b(xox[a-z]|xapp)-[A-Za-z0-9-]{4,}/g, `$1-${REDACTED}`], // Slack tokens
  [/\bcf_[A-Za-z0-9_-]{43}/g, `cf_${REDACTED}`], // intake API keys
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/([?&][\w.-]*(?:token|secret|password|key|code|sig)[\w.-]*=)[^&#\s"']+/gi, `$1${REDACTED}`], // query parameters
  [/(\/\/[^:/@\s]+:)[^@\s/]+@/g, `$1${REDACTED}@`], // user:password@ in URLs
];

export type LoggerOptions = {
  level?: LogLevel;
  /** json (default where stderr is not a terminal, and with `write`) or pretty (human lines). */
  format?: LogFormat | undefined;
  /** Where lines go (each ends with a newline); defaults to process.stderr. */
  write?: (line: string) => void;
  fields?: LogFields;
};

export function createLogger(opts: LoggerOptions = {}): Logger {
  const format = opts.format ?? (opts.write || !process.stderr.isTTY ? 'json' : 'pretty');
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  const root = pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      // A fresh object: pino merges the line's fields into it.
      mixin: () => {
        const ctx = currentRequestContext();
        return ctx ? { requestId: ctx.requestId } : {};
      },
    },
    destination(format, write, !opts.write && Boolean(process.stderr.isTTY)),
  );
  return wrap(opts.fields ? root.child(redactFields(opts.fields)) : root);
}

function wrap(p: PinoLogger): Logger {
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      if (!p.isLevelEnabled(level)) return;
      try {
        // A redacted copy: the caller's object is never touched, and no getter runs inside pino.
        p[level](fields ? redactFields(fields) : {}, scrub(String(msg)));
      } catch {
        // A log line is never worth failing the work it describes.
      }
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(p.child(redactFields(fields))),
  };
}

/** JSON lines as they are, or pino-pretty's lines when it is installed (a dev dependency). */
function destination(format: LogFormat, write: (line: string) => void, colorize: boolean): DestinationStream {
  if (format === 'pretty') {
    const pretty = loadPretty(colorize);
    if (pretty) return { write: (line) => write(pretty(line)) };
  }
  return { write };
}

function loadPretty(colorize: boolean): ((line: string) => string) | null {
  try {
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid' });
  } catch {
    // `npm ci --omit=dev` (containers): JSON lines it is.
    return null;
  }
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

const MAX_DEPTH = 6;

function redactFields(fields: LogFields): LogFields {
  const out = redact(fields);
  return out !== null && typeof out === 'object' && !Array.isArray(out) ? (out as LogFields) : { fields: out };
}

/**
 * Deep copy fit for a log line, never throwing: secret-looking keys replaced, token-shaped
 * substrings masked, Errors as { name, message, code, cause } (a stack only where the caller
 * passes one as its own `stack` field).
 */
export function redact(value: unknown, depth = 0): unknown {
  try {
    return copy(value, depth);
  } catch {
    return '[unserializable]';
  }
}

function copy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return scrub(value);
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) return '[…]';
  if (value instanceof Error) return serializeError(value, depth);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Map) return copyEntries([...value.entries()].map(([k, v]) => [String(k), v]), depth);
  if (value instanceof Set) return [...value].map((v) => redact(v, depth + 1));
  if (value instanceof URL) return scrub(value.href);
  const entries: [string, unknown][] = [];
  for (const k of Object.keys(value)) {
    // One throwing getter costs its own field, not the line.
    try {
      entries.push([k, (value as Record<string, unknown>)[k]]);
    } catch {
      entries.push([k, '[unserializable]']);
    }
  }
  return copyEntries(entries, depth);
}

function copyEntries(entries: [string, unknown][], depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

function serializeError(error: Error, depth: number): Record<string, unknown> {
  // Only these: SDK errors carry request configs, headers and bodies (with tokens) as properties.
  const out: Record<string, unknown> = { name: String(error.name), message: scrub(String(error.message)) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.cause !== undefined) out.cause = redact(error.cause, depth + 1);
  return out;
}

function scrub(s: string): string {
  let out = s;
  for (const [pattern, replacement] of SECRET_VALUES) out = out.replace(pattern, replacement);
  return out;
}

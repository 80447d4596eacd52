// A tiny leveled logger: one line per event on stderr (stdout belongs to the console chat adapter
// and the first-start API key). Fields whose name looks secret are redacted, at any depth.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. { component: 'delivery' }). */
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|password|authorization|key|cookie/i;
export const REDACTED = '[redacted]';

export type LoggerOptions = {
  level?: LogLevel;
  /** Where lines go; defaults to process.stderr. */
  write?: (line: string) => void;
  fields?: LogFields;
};

export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const base = opts.fields ?? {};

  function log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (ORDER[level] < min) return;
    const all = { ...base, ...fields };
    const parts = [new Date().toISOString(), level.toUpperCase().padEnd(5), msg];
    for (const [k, v] of Object.entries(all)) {
      if (v === undefined) continue;
      parts.push(`${k}=${formatValue(SECRET_KEY.test(k) ? REDACTED : redact(v))}`);
    }
    write(`${parts.join(' ').replaceAll('\n', '\\n')}\n`);
  }

  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => createLogger({ ...opts, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

/** Deep copy with secret-looking keys replaced; Errors become their message (and code). */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? `${value.name}: ${value.message}` : `${value.name}(${String(code)}): ${value.message}`;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /^[\w.:/@+[\]-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED } from '../../src/logger.ts';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  return { lines, log: createLogger({ level, write: (l) => lines.push(l) }) };
}

describe('logger', () => {
  it('writes one line per event with level, message and fields', () => {
    const { lines, log } = capture();
    log.info('delivery done', { id: 'r1', attempts: 2, note: 'two\nlines' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\S+ INFO {2}delivery done id=r1 attempts=2 note="two\\nlines"\n$/);
  });

  it('drops events below LOG_LEVEL', () => {
    const { lines, log } = capture('warn');
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines.map((l) => l.trim().split(/\s+/).slice(1))).toEqual([['WARN', 'c'], ['ERROR', 'd']]);
  });

  it('redacts secret-looking fields at any depth, and in child loggers', () => {
    const { lines, log } = capture();
    log.child({ apiKey: 'cf_live' }).info('request', {
      token: 'xoxb-1',
      headers: { Authorization: 'Bearer cf_x', accept: 'json' },
      nested: [{ client_secret: 's', password: 'p' }],
    });
    const line = lines[0]!;
    for (const secret of ['cf_live', 'xoxb-1', 'Bearer cf_x', '"s"', '"p"']) expect(line).not.toContain(secret);
    expect(line).toContain(`apiKey=${REDACTED}`);
    expect(line).toContain('"accept":"json"');
  });

  it('logs errors as name and message', () => {
    const { lines, log } = capture();
    log.error('failed', { error: new TypeError('boom') });
    expect(lines[0]).toContain('error="TypeError: boom"');
  });
});

import { describe, expect, it } from 'vitest';
import { currentRequestContext, requestIdFrom, runInRequestContext } from '../../src/http/request-context.ts';
import { createLogger, REDACT_PATHS, REDACTED, redact } from '../../src/logger.ts';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  const log = createLogger({ level, write: (l) => lines.push(l) });
  return { lines, log, parsed: () => lines.map((l) => JSON.parse(l)) };
}

/** An object holding `value` at a pino redact path (`*` → any key, `["x-y"]` → that key). */
function objectAt(path: string, value: unknown): Record<string, unknown> {
  const keys = [...path.matchAll(/([^.[\]"]+)|\["([^"]+)"\]/g)].map((m) => (m[1] === '*' ? 'anything' : (m[1] ?? m[2]!)));
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

describe('logger', () => {
  it('writes one JSON line per event: level, ISO time, message and fields', () => {
    const { lines, parsed, log } = capture();
    log.info('delivery done', { id: 'r1', attempts: 2, note: 'two\nlines', skipped: undefined });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{.*\}\n$/);
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'info', msg: 'delivery done', id: 'r1', attempts: 2, note: 'two\nlines' });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(line).not.toHaveProperty('skipped');
  });

  it('drops events below the level', () => {
    const { parsed, log } = capture('warn');
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(parsed().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'c'],
      ['error', 'd'],
    ]);
  });

  it('adds child fields to every line of the child, not to the parent', () => {
    const { parsed, log } = capture();
    const child = log.child({ component: 'delivery' });
    child.info('one', { id: 1 });
    log.info('two');
    expect(parsed()).toEqual([
      expect.objectContaining({ component: 'delivery', id: 1, msg: 'one' }),
      expect.not.objectContaining({ component: 'delivery' }),
    ]);
  });

  it('redacts secret-looking fields at any depth, and in child loggers', () => {
    const { lines, parsed, log } = capture();
    log.child({ apiKey: 'cf_live', nested: { botToken: 'xoxb-child' } }).info('request', {
      token: 'tok-1',
      headers: { Authorization: 'Bearer-less', accept: 'json', Cookie: 'sid=1' },
      nested: [{ client_secret: 'cs-1', password: 'pw-1', deeper: { a: { b: { appPassword: 'ap-1', signingSecret: 'ss-1' } } } }],
      TOKEN_ENCRYPTION_KEY: 'k'.repeat(64),
    });
    const text = lines.join('');
    for (const secret of ['cf_live', 'xoxb-child', 'tok-1', 'Bearer-less', 'sid=1', 'cs-1', 'pw-1', 'ap-1', 'ss-1', 'kkkk']) {
      expect(text).not.toContain(secret);
    }
    const [line] = parsed();
    expect(line.apiKey).toBe(REDACTED);
    expect(line.headers).toEqual({ Authorization: REDACTED, accept: 'json', Cookie: REDACTED });
    expect(line.nested[0].deeper.a.b).toEqual({ appPassword: REDACTED, signingSecret: REDACTED });
  });

  it('redacts every explicit redact path', () => {
    const { lines, log } = capture();
    expect(REDACT_PATHS.length).toBeGreaterThan(40);
    REDACT_PATHS.forEach((path, i) => {
      log.info('path', objectAt(path, `s3cr3t-${i}-value`));
    });
    expect(lines).toHaveLength(REDACT_PATHS.length);
    lines.forEach((line, i) => {
      expect(line, REDACT_PATHS[i]).not.toContain(`s3cr3t-${i}-value`);
      expect(line, REDACT_PATHS[i]).toContain(REDACTED);
    });
    // The headers we verify webhooks with, under any parent.
    log.info('req', { req: { headers: { 'x-slack-signature': 'v0=abc123', 'x-hub-signature': 'sha1=def456', host: 'h' } } });
    const last = JSON.parse(lines.at(-1)!);
    expect(last.req.headers).toEqual({ 'x-slack-signature': REDACTED, 'x-hub-signature': REDACTED, host: 'h' });
  });

  it('masks token-shaped text in messages and string values', () => {
    const { lines, log } = capture();
    const key = `cf_${'A'.repeat(43)}`;
    log.warn('slack said no to xoxb-123-456-abcdef', {
      detail: `Authorization: Bearer ${key}`,
      url: 'https://example.com/hook?token=t0k3n&x=1&secret=s3c',
      db: 'postgres://app:db-pass@db.internal:5432/cf',
      note: `key ${key} and xapp-1-A0-xyz`,
    });
    const text = lines.join('');
    for (const secret of ['xoxb-123', key, 't0k3n', 's3c', 'db-pass', 'xapp-1']) expect(text).not.toContain(secret);
    const line = JSON.parse(text);
    expect(line.url).toBe(`https://example.com/hook?token=${REDACTED}&x=1&secret=${REDACTED}`);
    expect(line.db).toBe(`postgres://app:${REDACTED}@db.internal:5432/cf`);
  });

  it('logs errors as name, message and code (with their cause), never their other properties', () => {
    const { parsed, log } = capture();
    const sdkError = Object.assign(new Error('An API error occurred: invalid_auth'), {
      code: 'slack_webapi_platform_error',
      config: { headers: { Authorization: 'Bearer xoxb-in-config' } },
      data: { ok: false },
    });
    log.error('failed', { error: new TypeError('boom') });
    log.error('failed', { error: sdkError });
    log.error('failed', { error: new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNREFUSED' }) }) });
    const [a, b, c] = parsed();
    expect(a.error).toEqual({ name: 'TypeError', message: 'boom' });
    expect(b.error).toEqual({ name: 'Error', message: 'An API error occurred: invalid_auth', code: 'slack_webapi_platform_error' });
    expect(c.error).toEqual({ name: 'Error', message: 'outer', cause: { name: 'Error', message: 'inner', code: 'ECONNREFUSED' } });
    expect(JSON.stringify(parsed())).not.toContain('stack');
  });

  it('writes a stack only when the caller gives one as a field', () => {
    const { parsed, log } = capture();
    const error = new Error('boom');
    log.error('start-up failed', { error, stack: error.stack });
    expect(parsed()[0].stack).toContain('logger.test.ts');
  });

  it('never throws on values JSON cannot hold', () => {
    const { parsed, log } = capture();
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const fields = {
      circular,
      big: 10n,
      bytes: Buffer.from('secret bytes'),
      map: new Map([['token', 'm-tok']]),
      when: new Date('2031-01-06T09:00:00Z'),
      get broken(): never {
        throw new Error('getter');
      },
    };
    expect(() => log.error('odd values', fields)).not.toThrow();
    const [line] = parsed();
    expect(line).toMatchObject({ big: '10', bytes: '[12 bytes]', map: { token: REDACTED }, when: '2031-01-06T09:00:00.000Z', broken: '[unserializable]' });
    expect(JSON.stringify(line.circular)).toContain('[…]');
    expect(redact(fields)).toMatchObject({ big: '10' });
  });

  it('stamps the request id of the request being handled, and only then', async () => {
    const { parsed, log } = capture();
    log.info('before');
    await runInRequestContext({ requestId: 'req-42' }, async () => {
      log.info('inside');
      await new Promise((r) => setImmediate(r));
      log.child({ component: 'slack' }).warn('after an await');
    });
    log.info('after');
    expect(parsed().map((l) => [l.msg, l.requestId])).toEqual([
      ['before', undefined],
      ['inside', 'req-42'],
      ['after an await', 'req-42'],
      ['after', undefined],
    ]);
    expect(currentRequestContext()).toBeUndefined();
  });

  it('writes human lines in the pretty format', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'pretty', write: (l) => lines.push(l) });
    log.warn('could not join Slack channel', { channel: 'C1', token: 'xoxb-secret-1' });
    const text = lines.join('');
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: could not join Slack channel\n/);
    expect(text).toContain('channel: "C1"');
    expect(text).not.toContain('xoxb-secret-1');
  });
});

describe('request ids', () => {
  it('keeps a valid X-Request-Id and replaces anything else with a new UUID', () => {
    for (const id of ['abc', 'req-1.2:3_4', 'x'.repeat(128), '0a1b2c3d-0000-4000-8000-000000000000']) expect(requestIdFrom(id)).toBe(id);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'x'.repeat(129), 'has space', 'new\nline', '<script>', ['a', 'b']]) {
      expect(requestIdFrom(bad)).toMatch(uuid);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

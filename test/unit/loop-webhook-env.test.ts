// LOOP_WEBHOOK_*: a bad or incomplete configuration stops start-up with one line naming it.
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../src/config/env.ts';

const SECRET = 'a'.repeat(32);
const problem = (env: Record<string, string>) => {
  try {
    parseEnv(env);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
};

describe('close-the-loop webhook configuration', () => {
  it('is off when the URL is unset', () => {
    expect(parseEnv({}).loopWebhook).toBeNull();
    expect(parseEnv({ LOOP_WEBHOOK_URL: '  ' }).loopWebhook).toBeNull();
  });

  it('is on with an http(s) URL and its secret', () => {
    const env = parseEnv({ LOOP_WEBHOOK_URL: 'https://hooks.example.com/cx', LOOP_WEBHOOK_SECRET: SECRET });
    expect(env.loopWebhook).toEqual({ url: 'https://hooks.example.com/cx', secret: SECRET, timeoutMs: 10_000 });
    expect(parseEnv({ LOOP_WEBHOOK_URL: 'http://crm.internal/h', LOOP_WEBHOOK_SECRET: SECRET, LOOP_WEBHOOK_TIMEOUT_MS: '2500' }).loopWebhook?.timeoutMs).toBe(2500);
  });

  it('needs the secret with the URL, and a secret of 32 characters or more', () => {
    expect(problem({ LOOP_WEBHOOK_URL: 'https://hooks.example.com/cx' })).toBe(
      'Invalid configuration: LOOP_WEBHOOK_SECRET is required with LOOP_WEBHOOK_URL: it signs every request (generate one with: openssl rand -hex 32)',
    );
    expect(problem({ LOOP_WEBHOOK_URL: 'https://hooks.example.com/cx', LOOP_WEBHOOK_SECRET: 'short' })).toBe(
      'Invalid configuration: LOOP_WEBHOOK_SECRET must be at least 32 characters (generate one with: openssl rand -hex 32)',
    );
  });

  it('rejects other schemes, junk, and credentials in the URL, in one line each', () => {
    expect(problem({ LOOP_WEBHOOK_URL: 'ftp://hooks.example.com/cx', LOOP_WEBHOOK_SECRET: SECRET })).toBe(
      'Invalid configuration: LOOP_WEBHOOK_URL must be an http:// or https:// URL',
    );
    expect(problem({ LOOP_WEBHOOK_URL: 'hooks.example.com', LOOP_WEBHOOK_SECRET: SECRET })).toBe(
      'Invalid configuration: LOOP_WEBHOOK_URL must be an http:// or https:// URL',
    );
    expect(problem({ LOOP_WEBHOOK_URL: 'https://user:pw@hooks.example.com/cx', LOOP_WEBHOOK_SECRET: SECRET })).toBe(
      'Invalid configuration: LOOP_WEBHOOK_URL must not contain a user name or password (requests are signed instead)',
    );
    expect(problem({ LOOP_WEBHOOK_TIMEOUT_MS: '60000' })).toMatch(/^Invalid configuration: LOOP_WEBHOOK_TIMEOUT_MS /);
  });

  it('in production: https, except for a receiver on this machine', () => {
    const prod = (url: string) => problem({ NODE_ENV: 'production', LOOP_WEBHOOK_URL: url, LOOP_WEBHOOK_SECRET: SECRET });
    expect(prod('http://hooks.example.com/cx')).toBe(
      'Invalid configuration: LOOP_WEBHOOK_URL must use https in production (http is allowed for localhost only)',
    );
    expect(prod('https://hooks.example.com/cx')).toBeNull();
    expect(prod('http://localhost:8080/cx')).toBeNull();
    expect(prod('http://127.0.0.1:8080/cx')).toBeNull();
    expect(prod('http://[::1]:8080/cx')).toBeNull();
  });

  it('never puts the secret in the error', () => {
    const secret = 'tooshort-but-secret';
    expect(problem({ LOOP_WEBHOOK_URL: 'https://hooks.example.com/cx', LOOP_WEBHOOK_SECRET: secret })).not.toContain(secret);
  });
});

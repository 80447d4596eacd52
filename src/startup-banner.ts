// What the server says when it starts: where it listens, which database, where cards go, and what
// to configure next. The first-start API key is framed on stdout (the only time it is shown).
import { resolve } from 'node:path';
import type { Env } from './config/env.ts';
import type { Destination } from './core/feedback/intake.service.ts';

export function describeDatabase(env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR'>): string {
  if (!env.DATABASE_URL) return `embedded PGlite in ${resolve(env.DATA_DIR)}`;
  const u = new URL(env.DATABASE_URL);
  return `Postgres at ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`; // never the password
}

export function describeDestinations(destinations: Destination[]): string {
  return destinations.map((d) => (d.platform === 'console' ? 'this console (stdout)' : `${d.platform} ${d.channel}`)).join(', ');
}

/** Shown once on stdout; the logs (stderr) never contain the key. */
export function firstStartKeyBox(key: string, url: string): string {
  const lines = [
    'First start: created the API key "default" for the intake API.',
    'It is shown only this once. Store it now:',
    '',
    `    ${key}`,
    '',
    'Try it:',
    `    ${curlExample(url, key)}`,
  ];
  const width = Math.min(100, Math.max(...lines.map((l) => l.length)) + 4);
  const bar = '='.repeat(width);
  return [bar, ...lines.map((l) => `  ${l}`), bar, ''].join('\n');
}

export function curlExample(url: string, key: string): string {
  const body = '{"source":"survey","external_id":"r-1","kind":"nps","score":3,"comment":"Setup took too long","customer":{"email":"jo@example.com"}}';
  return `curl -X POST ${url}/api/v1/feedback -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '${body}'`;
}

export function nextSteps(opts: { env: Env; url: string; destinations: Destination[]; components: string[] }): string[] {
  const { env, url } = opts;
  const lines = [
    `Customer First is listening on ${url} (health: ${url}/healthz, ready: ${url}/readyz)`,
    `Database: ${describeDatabase(env)}`,
    `New feedback cards go to: ${describeDestinations(opts.destinations)}`,
  ];
  // The origin only: the URL's path or query may hold a token.
  if (env.loopWebhook) lines.push(`Resolves and reopens are posted, signed, to ${new URL(env.loopWebhook.url).origin} (close-the-loop webhook)`);
  if (opts.components.length > 0) lines.push(`Enabled: ${opts.components.join(', ')}`);
  lines.push(
    `Create an API key per source: npm run cli -- api-key create --name <source>${env.DATABASE_URL ? '' : ' (stop the server first: the embedded database allows one process)'}`,
    `Send feedback: ${curlExample(url, '<API key>')}`,
  );
  if (env.slackMode === 'off') {
    lines.push('Connect Slack: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_DEFAULT_CHANNEL (or SLACK_APP_TOKEN for Socket Mode)');
  }
  if (env.teamsMode === 'off') {
    lines.push(
      'Connect Teams: set TEAMS_LOCAL=1 for the local Agents Playground, or MICROSOFT_APP_ID + MICROSOFT_APP_PASSWORD (+ TEAMS_DEFAULT_CHANNEL) for a real tenant',
    );
  }
  return lines;
}

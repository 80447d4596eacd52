// One zod schema, parsed once at start-up. Secrets have no defaults. A bad or missing value stops
// start-up with one line naming the variable (see formatEnvError), never a stack trace.
import { existsSync } from 'node:fs';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** json | pretty; unset: pretty when stderr is a terminal, else JSON lines. */
    LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty']).optional()),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    DATA_DIR: z.string().default('./data'),
    /**
     * all: one process does everything (the default). On Postgres, `web` (HTTP, chat platforms,
     * schedules) and `worker` (the delivery outbox) can run as separate processes.
     */
    PROCESS_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
    /** The worker process's health port (/healthz, /readyz), so it can run beside the web one. */
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3979),
    SLA_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
    /** Routing rules (YAML); unset and no config/routes.yaml: every item goes to the default channels. */
    ROUTES_FILE: optionalString,
    /** Hours an item may stay unclaimed before it is escalated to the champion channel. */
    UNCLAIMED_ESCALATION_HOURS: z.coerce.number().positive().max(24 * 30).default(2),
    PUBLIC_URL: optionalString.pipe(z.url().optional()),
    // Delivery
    DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    DELIVERY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    /** Wait before the worker starts draining (crash tests kill the process in this window). */
    DELIVERY_START_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(0),
    // Slack
    SLACK_BOT_TOKEN: optionalString,
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString,
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString,
    SLACK_API_URL: optionalString.pipe(z.url().optional()),
    SLACK_DEFAULT_CHANNEL: optionalString,
    SLACK_CHAMPIONS: optionalString,
    /** Slack channel id where escalations and overdue notices go. */
    CHAMPION_CHANNEL: optionalString.pipe(z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id like C0123ABCD').optional()),
    TOKEN_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^[0-9a-fA-F]{64}$|^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes as 64 hex characters or base64')
        .optional(),
    ),
    // Teams
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MICROSOFT_APP_TENANT_ID: optionalString,
    TEAMS_LOCAL: bool,
    TEAMS_DEFAULT_CHANNEL: optionalString,
    /** Teams alias (from `connect <alias>`) where escalations and overdue notices go. */
    TEAMS_CHAMPION_CHANNEL: optionalString,
    // Digest
    DIGEST_GRACE_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(120),
    // Close-the-loop webhook: resolves and reopens POSTed, signed, through the outbox.
    LOOP_WEBHOOK_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()),
    LOOP_WEBHOOK_SECRET: optionalString,
    /** Below the worker's 20 s send timeout, which is also its lease margin. */
    LOOP_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(15_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.PROCESS_ROLE !== 'all' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PROCESS_ROLE'],
        message: `${env.PROCESS_ROLE} needs DATABASE_URL: the embedded database admits one process, which runs everything (use all)`,
      });
    }
    const slackOauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
    if (slackOauth.some(Boolean) && !slackOauth.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: [['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'][slackOauth.findIndex((v) => !v)]!],
        message: 'is required for Slack OAuth (set all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)',
      });
    }
    if (slackOauth.every(Boolean) && !env.TOKEN_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEY'], message: 'is required to store Slack OAuth tokens' });
    }
    if ((env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN || slackOauth.every(Boolean)) && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is required when Slack is configured' });
    }
    if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required with SLACK_APP_TOKEN (Socket Mode)' });
    }
    if (env.NODE_ENV === 'production' && !env.MICROSOFT_APP_ID && env.TEAMS_LOCAL) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEAMS_LOCAL'],
        message: 'must not be set in production: Teams authentication would be off (set MICROSOFT_APP_ID)',
      });
    }
    if (env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'is required with MICROSOFT_APP_ID' });
    }
    if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: 'is required for a SingleTenant app' });
    }
    for (const issue of loopWebhookIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
  })
  .transform((env) => ({
    ...env,
    slackMode: env.SLACK_APP_TOKEN
      ? ('socket' as const)
      : env.SLACK_CLIENT_ID
        ? ('oauth' as const)
        : env.SLACK_BOT_TOKEN
          ? ('single' as const)
          : ('off' as const),
    /** Teams runs with auth (app id) or locally with auth off (TEAMS_LOCAL, never production). */
    teamsMode: env.MICROSOFT_APP_ID ? ('auth' as const) : env.TEAMS_LOCAL ? ('local' as const) : ('off' as const),
    /** The close-the-loop webhook, or null when LOOP_WEBHOOK_URL is unset. */
    loopWebhook:
      env.LOOP_WEBHOOK_URL && env.LOOP_WEBHOOK_SECRET
        ? { url: env.LOOP_WEBHOOK_URL, secret: env.LOOP_WEBHOOK_SECRET, timeoutMs: env.LOOP_WEBHOOK_TIMEOUT_MS }
        : null,
  }));

export type Env = z.infer<typeof envSchema>;

/** 128 bits as hex: what HMAC-SHA256 needs at least to be unguessable. */
const MIN_LOOP_SECRET = 32;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The webhook URL needs its secret (every request is signed); in production it needs https
 * unless the receiver is on this machine (the event carries customer data).
 */
function loopWebhookIssues(env: {
  NODE_ENV: string;
  LOOP_WEBHOOK_URL?: string | undefined;
  LOOP_WEBHOOK_SECRET?: string | undefined;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const hint = 'generate one with: openssl rand -hex 32';
  if (env.LOOP_WEBHOOK_SECRET && env.LOOP_WEBHOOK_SECRET.length < MIN_LOOP_SECRET) {
    issues.push({ path: ['LOOP_WEBHOOK_SECRET'], message: `must be at least ${MIN_LOOP_SECRET} characters (${hint})` });
  }
  // zod runs this refinement even when the URL itself failed (and said so): nothing to add then.
  if (!env.LOOP_WEBHOOK_URL || !URL.canParse(env.LOOP_WEBHOOK_URL)) return issues;
  const url = new URL(env.LOOP_WEBHOOK_URL);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return issues;
  if (!env.LOOP_WEBHOOK_SECRET) {
    issues.push({ path: ['LOOP_WEBHOOK_SECRET'], message: `is required with LOOP_WEBHOOK_URL: it signs every request (${hint})` });
  }
  if (url.username || url.password) {
    issues.push({ path: ['LOOP_WEBHOOK_URL'], message: 'must not contain a user name or password (requests are signed instead)' });
  }
  if (env.NODE_ENV === 'production' && url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
    issues.push({ path: ['LOOP_WEBHOOK_URL'], message: 'must use https in production (http is allowed for localhost only)' });
  }
  return issues;
}

export class EnvError extends Error {}

/** One line per problem: `PORT: expected number, received "abc"`. */
export function formatEnvError(error: z.ZodError): string {
  return error.issues.map((i) => `Invalid configuration: ${i.path.join('.') || 'env'} ${i.message}`).join('\n');
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new EnvError(formatEnvError(parsed.error));
  return parsed.data;
}

/** Reads `.env` if present (real environment variables win), then parses. */
export function loadEnv(file = '.env'): Env {
  if (existsSync(file)) process.loadEnvFile(file);
  return parseEnv(process.env);
}

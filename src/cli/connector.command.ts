// `connector add|list|remove`: the survey and support tools that post webhooks to
// /api/v1/connectors/<provider>. Secrets are stored encrypted (TOKEN_ENCRYPTION_KEY) and are
// never printed; `list` shows the URL to paste into each tool.
import type { Env } from '../config/env.ts';
import { type ConnectorProvider, connectorProviders, isConnectorProvider } from '../core/connectors/map-kit.ts';
import { ValidationError } from '../core/errors.ts';
import { secretAad, settingsOf } from '../connectors/connector-secrets.ts';
import { connectorPath } from '../connectors/connectors.route.ts';
import { createTokenCipher } from '../crypto/token-cipher.ts';
import { createConnectorsRepo } from '../db/repos/connectors.repo.ts';
import type { CliIo } from './api-key.command.ts';
import type { CliDatabase } from './open-database.ts';

export const MISSING_KEY =
  'TOKEN_ENCRYPTION_KEY is not set: generate one with `openssl rand -hex 32`, put it in .env (the server needs the same key), and run this again';

/** Providers whose settings take an NPS field (Typeform: a field ref; Alchemer: a question id). */
const NPS_FIELD_PROVIDERS: readonly ConnectorProvider[] = ['typeform', 'alchemer'];
const MIN_SECRET = 16;

export type AddConnectorArgs = { provider: string; secret: string | undefined; npsField: string | undefined };

/** Checks the arguments (before the database is opened); throws ValidationError naming the flag. */
export function checkAddArgs(args: AddConnectorArgs): { provider: ConnectorProvider; secret: string } {
  const provider = args.provider.toLowerCase();
  if (!isConnectorProvider(provider)) {
    throw new ValidationError(`Unknown provider "${args.provider}"`, [{ path: 'provider', message: `must be one of ${connectorProviders.join(', ')}` }]);
  }
  const secret = args.secret?.trim();
  if (!secret) throw new ValidationError('connector add needs --secret', [{ path: '--secret', message: `the webhook secret you set (or copied) in ${provider}` }]);
  if (secret.length < MIN_SECRET || /\s/.test(secret)) {
    throw new ValidationError('The secret is too weak', [{ path: '--secret', message: `must be at least ${MIN_SECRET} characters without spaces (e.g. openssl rand -hex 32)` }]);
  }
  if (args.npsField !== undefined && !NPS_FIELD_PROVIDERS.includes(provider)) {
    throw new ValidationError('--nps-field does not apply here', [{ path: '--nps-field', message: `applies to ${NPS_FIELD_PROVIDERS.join(' and ')} only` }]);
  }
  return { provider, secret };
}

export async function addConnectorCommand(db: CliDatabase, io: CliIo, env: Pick<Env, 'TOKEN_ENCRYPTION_KEY' | 'PUBLIC_URL'>, args: AddConnectorArgs): Promise<number> {
  const { provider, secret } = checkAddArgs(args);
  if (!env.TOKEN_ENCRYPTION_KEY) throw new ValidationError(MISSING_KEY);
  const cipher = createTokenCipher(env.TOKEN_ENCRYPTION_KEY!);
  const settings = args.npsField?.trim() ? { npsField: args.npsField.trim() } : {};
  const { replaced } = await createConnectorsRepo(db.handle.db).upsert(
    db.workspaceId,
    provider,
    settings,
    (id) => cipher.encrypt(secret, secretAad(id, provider)),
    new Date(),
  );
  io.err(`${replaced ? 'Replaced' : 'Added'} the ${provider} connector. Paste this URL into ${provider}:`);
  io.out(webhookUrl(env.PUBLIC_URL, provider, true));
  return 0;
}

export async function listConnectorsCommand(db: CliDatabase, io: CliIo, env: Pick<Env, 'PUBLIC_URL'>, json: boolean): Promise<number> {
  const rows = await createConnectorsRepo(db.handle.db).list(db.workspaceId);
  const items = rows.map((r) => ({
    provider: r.provider,
    url: webhookUrl(env.PUBLIC_URL, r.provider as ConnectorProvider, true),
    settings: settingsOf(r),
    updatedAt: r.updatedAt,
  }));
  if (json) {
    io.out(JSON.stringify(items, null, 2));
    return 0;
  }
  if (items.length === 0) {
    io.err('No connectors yet. Add one with: npm run cli -- connector add <provider> --secret <secret>');
    return 0;
  }
  const table = [
    ['PROVIDER', 'WEBHOOK URL', 'SETTINGS', 'UPDATED'],
    ...items.map((i) => [i.provider, i.url, i.settings.npsField ? `nps-field=${i.settings.npsField}` : '-', i.updatedAt.toISOString().replace('T', ' ').slice(0, 16)]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  for (const r of table) io.out(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  return 0;
}

export async function removeConnectorCommand(db: CliDatabase, io: CliIo, provider: string): Promise<number> {
  const name = provider.toLowerCase();
  if (!(await createConnectorsRepo(db.handle.db).remove(db.workspaceId, name))) {
    io.err(`No ${name} connector to remove (see: npm run cli -- connector list)`);
    return 1;
  }
  io.err(`Removed the ${name} connector. Its webhooks now get 401 (or 404 when no workspace has one); the server notices within a minute.`);
  return 0;
}

/** The URL (or path, without PUBLIC_URL) to paste; shared-secret providers carry it in the query. */
function webhookUrl(publicUrl: string | undefined, provider: ConnectorProvider, withSecretHint: boolean): string {
  const path = connectorPath(provider);
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : '';
  const hint = withSecretHint && (provider === 'alchemer' || provider === 'delighted') ? '?secret=<your secret>' : '';
  return `${base}${path}${hint}`;
}

export type ConnectorCommand = (db: CliDatabase, env: Env) => Promise<number>;
type ConnectorOptionValues = { secret?: string; 'nps-field'?: string; json?: boolean };

/**
 * `connector add <provider> --secret <s> [--nps-field <ref>]`, `connector list [--json]`,
 * `connector remove <provider>`: the command to run, or the exit code of a usage error.
 * Arguments (and TOKEN_ENCRYPTION_KEY, once the env is read) are checked before anything is written.
 */
export function prepareConnector(positionals: string[], values: ConnectorOptionValues, io: CliIo): number | ConnectorCommand {
  const [action, provider, ...extra] = positionals;
  const usage = (message: string) => {
    io.err(`connector: ${message}`);
    return 2;
  };
  if (extra.length > 0) return usage(`unexpected argument ${extra[0]}`);
  if (action === 'list' && !provider) return (db, env) => listConnectorsCommand(db, io, env, values.json ?? false);
  if (action === 'add' && provider) {
    const args = { provider, secret: values.secret, npsField: values['nps-field'] };
    try {
      checkAddArgs(args);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return usage([err.message, ...err.issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n'));
    }
    return (db, env) => addConnectorCommand(db, io, env, args);
  }
  if (action === 'remove' && provider) return (db) => removeConnectorCommand(db, io, provider);
  return usage(
    action === 'add' || action === 'remove'
      ? `connector ${action} needs a provider: one of ${connectorProviders.join(', ')}`
      : 'use connector add <provider> --secret <secret> [--nps-field <ref>], connector list, or connector remove <provider>',
  );
}

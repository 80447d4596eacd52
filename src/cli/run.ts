// Argument parsing and dispatch, separate from main.ts so it can run in-process.
import { parseArgs } from 'node:util';
import { type Env, EnvError } from '../config/env.ts';
import { DomainError, ValidationError } from '../core/errors.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { type CliIo, createApiKeyCommand, listApiKeysCommand, revokeApiKeyCommand } from './api-key.command.ts';
import { prepareImport } from './import.command.ts';
import { prepareConnector } from './connector.command.ts';
import { type CliDatabase, openCliDatabase } from './open-database.ts';

export const USAGE = `Usage: npm run cli -- <command>

Commands:
  api-key create --name <source>   Create an intake API key; prints the key (only) on stdout
  api-key list [--json]            List keys: name, prefix, created, last used, status
  api-key revoke <name>            Revoke the active key with this name
  import <file.csv> --source <name> [--dry-run] [--map column=field ...] [--post-since <date>] [--kind <kind>]
                                   Import feedback from a CSV file (history: not posted, no SLA
                                   notices, unless received after --post-since); rejected rows
                                   go to <file.csv>.rejects.csv
  connector add <provider> --secret <secret> [--nps-field <ref>]
                                   Add or replace a webhook connector (alchemer, typeform,
                                   delighted, zendesk, intercom); prints the URL to paste
  connector list [--json]          List connectors and their webhook URLs (never the secrets)
  connector remove <provider>      Remove a connector; its webhooks then get 401
  help                             Show this help

Uses DATABASE_URL, or the embedded database in DATA_DIR (default ./data), from the
environment or .env. With the embedded database, stop the server first.`;

export type CliDeps = { io: CliIo; loadEnv: () => Env; open?: typeof openCliDatabase };

/** Returns the exit code: 0 done, 1 failed, 2 usage error. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [group, action, extra] = args.positionals;
  if (args.values.help || group === undefined || group === 'help') {
    io.out(USAGE);
    return 0;
  }
  const imported = group === 'import' ? prepareImport(args.positionals.slice(1), args.values, io) : null;
  if (typeof imported === 'number') return imported;
  const connector = group === 'connector' ? prepareConnector(args.positionals.slice(1), args.values, io) : null;
  if (typeof connector === 'number') return connector;
  const name = args.values.name ?? (action === 'revoke' ? extra : undefined);
  const command =
    imported ??
    connector ??
    (group !== 'api-key'
      ? null
      : action === 'create' && name && !extra
        ? (db: CliDatabase) => createApiKeyCommand(db, io, name)
        : action === 'list' && !extra
          ? (db: CliDatabase) => listApiKeysCommand(db, io, args.values.json ?? false)
          : action === 'revoke' && name
            ? (db: CliDatabase) => revokeApiKeyCommand(db, io, name)
            : null);
  if (!command) {
    const hint = group === 'api-key' && (action === 'create' || action === 'revoke') && !name ? `api-key ${action} needs a name\n\n` : '';
    io.err(`${hint || `Unknown command: ${args.positionals.join(' ')}\n\n`}${USAGE}`);
    return 2;
  }

  let db: CliDatabase | undefined;
  try {
    const env = deps.loadEnv();
    db = await (deps.open ?? openCliDatabase)(env);
    return await command(db, env);
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof EnvError) io.err(err.message);
    else if (err instanceof ValidationError) io.err([err.message, ...err.issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n'));
    else if (err instanceof DomainError) io.err(err.message);
    else io.err(`Failed: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  } finally {
    await db?.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string', short: 'n' },
      json: { type: 'boolean' },
      source: { type: 'string' },
      'dry-run': { type: 'boolean' },
      map: { type: 'string', multiple: true },
      'post-since': { type: 'string' },
      kind: { type: 'string' },
      secret: { type: 'string' },
      'nps-field': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

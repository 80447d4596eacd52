// `api-key create|list|revoke`. Only `create`'s key goes to stdout, so `$(npm run -s cli -- ...)`
// captures exactly the key; messages go to stderr.
import { type ApiKeyInfo, createApiKeyService } from '../intake/api-keys.service.ts';
import type { CliDatabase } from './open-database.ts';

export type CliIo = { out(line: string): void; err(line: string): void };

export async function createApiKeyCommand(db: CliDatabase, io: CliIo, name: string): Promise<number> {
  const service = createApiKeyService({ db: db.handle.db });
  const { key } = await service.create(db.workspaceId, name);
  io.out(key);
  io.err(`Created API key "${name}". Store it now: it is shown only once.`);
  io.err('Send it as the header "Authorization: Bearer <key>" to POST /api/v1/feedback.');
  return 0;
}

export async function listApiKeysCommand(db: CliDatabase, io: CliIo, json: boolean): Promise<number> {
  const keys = await createApiKeyService({ db: db.handle.db }).list(db.workspaceId);
  if (json) {
    io.out(JSON.stringify(keys, null, 2));
    return 0;
  }
  if (keys.length === 0) {
    io.err('No API keys yet. Create one with: npm run cli -- api-key create --name <source>');
    return 0;
  }
  for (const line of table(keys)) io.out(line);
  return 0;
}

export async function revokeApiKeyCommand(db: CliDatabase, io: CliIo, name: string): Promise<number> {
  await createApiKeyService({ db: db.handle.db }).revoke(db.workspaceId, name);
  io.err(`Revoked API key "${name}". Requests with it now get 401.`);
  return 0;
}

const day = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) : '-');

function table(keys: ApiKeyInfo[]): string[] {
  const rows = [
    ['NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATUS'],
    ...keys.map((k) => [k.name, `${k.prefix}…`, day(k.createdAt), day(k.lastUsedAt), k.revokedAt ? `revoked ${day(k.revokedAt)}` : 'active']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

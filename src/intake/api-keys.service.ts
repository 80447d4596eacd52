// API keys for the intake API: `cf_` + 32 random bytes (base64url). Only a sha256 hash and a short
// display prefix are stored; the key is shown once, at creation. Lookup by hash means a guess
// never gets compared byte by byte against a stored secret.
import { createHash, randomBytes } from 'node:crypto';
import { Conflict, NotFound, ValidationError } from '../core/errors.ts';
import { type Clock, systemClock } from '../core/ports.ts';
import type { Executor } from '../db/client.ts';
import { createApiKeyRepo } from '../db/repos/api-key.repo.ts';

const KEY_PREFIX = 'cf_';
const KEY_FORMAT = /^cf_[A-Za-z0-9_-]{43}$/;
const DISPLAY_LENGTH = KEY_PREFIX.length + 8;
const NAME_FORMAT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** last_used_at is refreshed at most this often per key: reads stay reads on busy keys. */
const TOUCH_EVERY_MS = 60_000;
/**
 * A verified key is trusted this long without a database look-up (one query less per request).
 * A revoke through this service takes effect at once; one made by another process (the CLI
 * against a shared server) within this time.
 */
export const VERIFIED_TTL_MS = 5_000;
const MAX_CACHED = 1_000;

export type ApiKeyInfo = { name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
export type ApiKeyPrincipal = { workspaceId: string; name: string };

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export function isWellFormedApiKey(key: string): boolean {
  return KEY_FORMAT.test(key);
}

export function createApiKeyService(deps: { db: Executor; clock?: Clock }) {
  const repo = createApiKeyRepo(deps.db);
  const clock = deps.clock ?? systemClock;
  const verified = new Map<string, { principal: ApiKeyPrincipal; until: number }>(); // by key hash

  return {
    /** Creates a key for a source name; returns the key itself (shown once, never stored). */
    async create(workspaceId: string, name: string): Promise<{ key: string; info: ApiKeyInfo }> {
      if (!NAME_FORMAT.test(name)) {
        throw new ValidationError('invalid key name', [
          { path: 'name', message: 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit' },
        ]);
      }
      const key = KEY_PREFIX + randomBytes(32).toString('base64url');
      const row = await repo.insert(workspaceId, { name, keyHash: hashApiKey(key), prefix: key.slice(0, DISPLAY_LENGTH) });
      if (!row) throw new Conflict(`An active API key named "${name}" already exists. Revoke it first: api-key revoke ${name}`);
      return { key, info: toInfo(row) };
    },

    async list(workspaceId: string): Promise<ApiKeyInfo[]> {
      return (await repo.list(workspaceId)).map(toInfo);
    },

    async revoke(workspaceId: string, name: string): Promise<ApiKeyInfo> {
      const row = await repo.revoke(workspaceId, name, clock.now());
      for (const [hash, v] of verified) {
        if (v.principal.workspaceId === workspaceId && v.principal.name === name) verified.delete(hash);
      }
      if (!row) throw new NotFound(`No active API key named "${name}"`);
      return toInfo(row);
    },

    /** The key's workspace and name, or null for a malformed, unknown or revoked key. */
    async verify(key: string): Promise<ApiKeyPrincipal | null> {
      if (!isWellFormedApiKey(key)) return null;
      const hash = hashApiKey(key);
      const now = clock.now();
      const hit = verified.get(hash);
      if (hit && hit.until > now.getTime()) return hit.principal;
      verified.delete(hash);
      const row = await repo.findActiveByHash(hash);
      if (!row) return null;
      const staleBefore = new Date(now.getTime() - TOUCH_EVERY_MS);
      if (!row.lastUsedAt || row.lastUsedAt < staleBefore) await repo.touch(row.id, now, staleBefore);
      const principal = { workspaceId: row.workspaceId, name: row.name };
      if (verified.size >= MAX_CACHED) verified.clear();
      verified.set(hash, { principal, until: now.getTime() + VERIFIED_TTL_MS });
      return principal;
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

function toInfo(row: { name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiKeyInfo {
  return { name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

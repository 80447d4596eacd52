import type { Repos, Transactor } from '../core/ports.ts';
import type { Db } from './client.ts';
import { createRepos } from './repos/index.ts';

/** Postgres gave up on the transaction, not on the request: running it again is safe. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 3;

function sqlState(err: unknown): string | undefined {
  // drizzle wraps driver errors (DrizzleQueryError.cause); postgres.js and PGlite set `code`.
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/**
 * One database transaction per `run`: every write inside (item, events, outbox) commits or none
 * does. A deadlock or serialization failure re-runs `fn` (it must not have side effects outside
 * the transaction, which is the point of the outbox).
 */
export function createTransactor(db: Db): Transactor {
  return {
    async run<T>(fn: (repos: Repos) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction((tx) => fn(createRepos(tx)));
        } catch (err) {
          const code = sqlState(err);
          if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw err;
        }
      }
    },
  };
}

// PGlite opens its data directory in one process only: a second process would corrupt it or fail
// with an obscure error. The server and the CLI take this lock first and say plainly who holds it.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type LockRole = 'server' | 'cli';
export type DataDirLock = { readonly path: string; release(): void };

export const LOCK_FILE = 'customer-first.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly holder: { pid: number; role: LockRole },
    readonly dataDir: string,
  ) {
    const who = holder.role === 'server' ? 'The Customer First server' : 'The Customer First CLI';
    const advice = holder.role === 'server' ? 'Stop it first' : 'Wait for it to finish';
    super(
      `${who} (pid ${holder.pid}) is using the embedded database in ${dataDir}. ${advice}, or set DATABASE_URL to use a Postgres server that both can share.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): { pid: number; role: LockRole } | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; role?: unknown };
    if (typeof data.pid !== 'number' || !Number.isInteger(data.pid) || data.pid <= 0) return null;
    return { pid: data.pid, role: data.role === 'cli' ? 'cli' : 'server' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { pid: 0, role: 'server' }; // gone: retry
    return null; // unreadable or half-written: treat as stale
  }
}

/**
 * Takes `<dataDir>/customer-first.lock` (created exclusively). A lock left by a dead process, or by
 * an earlier run with our own pid (containers reuse pid 1), is taken over. Throws
 * DataDirLockedError when a live process holds it.
 */
export function acquireDataDirLock(dataDir: string, role: LockRole): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const content = `${JSON.stringify({ pid: process.pid, role, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(path, content, { flag: 'wx' });
      return register(path, content);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    if (holder?.pid === 0) continue; // released between our write and read
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataDirLockedError(holder, dataDir);
    try {
      unlinkSync(path); // stale: its process is gone
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`Could not take the lock ${path}: it keeps changing. Is another process starting at the same time?`);
}

function register(path: string, content: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      // Only remove our own lock: a takeover may have replaced it.
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { path, release };
}

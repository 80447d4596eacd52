import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from '../../src/db/data-dir-lock.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cf-lock-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A pid that certainly belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('acquireDataDirLock', () => {
  it('writes pid and role, and removes the file on release', () => {
    const lock = acquireDataDirLock(dir, 'server');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, role: 'server' });
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock left by a dead process', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), role: 'server' }));
    const lock = acquireDataDirLock(dir, 'cli');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, role: 'cli' });
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    acquireDataDirLock(dir, 'cli').release();
  });

  it('refuses a lock held by a live process, saying who holds it and what to do', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, role: 'cli' }));
    const attempt = () => acquireDataDirLock(dir, 'server');
    expect(attempt).toThrow(DataDirLockedError);
    expect(attempt).toThrow(
      `The Customer First CLI (pid ${process.ppid}) is using the embedded database in ${dir}. Wait for it to finish, or set DATABASE_URL to use a Postgres server that both can share.`,
    );
    // The holder's file is left alone.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.ppid });
  });

  it('creates the data directory when it does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    acquireDataDirLock(nested, 'server').release();
  });
});

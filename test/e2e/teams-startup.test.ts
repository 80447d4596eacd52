// The real process refuses to run Teams without authentication in production, and starts in
// local mode (auth off, for Agents Playground) outside it, answering 400 to a malformed body.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { killSpawnedServers, spawnServer, startServer } from '../helpers/server.ts';

vi.setConfig({ testTimeout: 180_000 });

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cf-teams-start-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await killSpawnedServers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Teams start-up', () => {
  it('NODE_ENV=production without MICROSOFT_APP_ID but TEAMS_LOCAL=1: exits 1 with one line naming it', async () => {
    const proc = spawnServer({ NODE_ENV: 'production', TEAMS_LOCAL: '1', DATA_DIR: dataDir() });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(/^Invalid configuration: TEAMS_LOCAL must not be set in production/),
    ]);
  });

  it('TEAMS_LOCAL=1 in development: /api/messages is served; a malformed body gets 400', async () => {
    const server = await startServer({ NODE_ENV: 'development', TEAMS_LOCAL: '1', DATA_DIR: dataDir() });
    try {
      const bad = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"no":"type"}',
      });
      expect(bad.status).toBe(400);
      expect(server.stderr()).toMatch(/Teams authentication is OFF/);
    } finally {
      await server.stop();
    }
  });
});

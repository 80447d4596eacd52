// The real process refuses a broken routes file before opening anything: exit 1, one line naming
// the rule (by index and name) and the field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { killSpawnedServers, spawnServer } from '../helpers/server.ts';

vi.setConfig({ testTimeout: 120_000 });

const dir = mkdtempSync(path.join(tmpdir(), 'cf-routes-start-'));
afterAll(async () => {
  await killSpawnedServers();
  rmSync(dir, { recursive: true, force: true });
});

describe('start-up with a routes file', () => {
  it('a broken rule stops start-up with one line naming it', async () => {
    const file = path.join(dir, 'routes.yaml');
    writeFileSync(file, 'routes:\n  - name: kudos\n    to: { slack: [C0KUDOS] }\n  - name: billing\n    sla_hours: -4\n');
    const proc = spawnServer({ ROUTES_FILE: file, DATA_DIR: path.join(dir, 'data') });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(/^Invalid routes file .*routes\.yaml: routes\[1\] \(billing\): sla_hours must be more than 0$/),
    ]);
  });

  it('a ROUTES_FILE that does not exist stops start-up too (a typo must not silently route to the defaults)', async () => {
    const proc = spawnServer({ ROUTES_FILE: path.join(dir, 'nope.yaml'), DATA_DIR: path.join(dir, 'data2') });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr().trim().split('\n')).toEqual([expect.stringMatching(/ROUTES_FILE .*nope\.yaml does not exist/)]);
  });
});

// PROCESS_ROLE: on Postgres the web process (HTTP, platforms) and the delivery worker (`npm run
// worker`) run as two processes; intake on one, the card printed by the other, exactly once, the
// worker woken by the web process through Postgres (LISTEN/NOTIFY) rather than by its poll.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { firstStartKey, killSpawnedServers, postItem, spawnServer, startServer } from '../helpers/server.ts';

vi.setConfig({ testTimeout: 180_000 });

const base = process.env.TEST_DATABASE_URL;
let dropAfter: string | null = null;

afterAll(async () => {
  await killSpawnedServers();
  if (!base || !dropAfter) return;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${dropAfter} with (force)`);
  await admin.end();
});

describe('process roles', () => {
  it('PROCESS_ROLE=web on the embedded database stops start-up with one line saying why', async () => {
    const proc = spawnServer({ PROCESS_ROLE: 'web', DATA_DIR: `/tmp/cf-roles-${randomBytes(4).toString('hex')}` });
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr().trim()).toMatch(/^Invalid configuration: PROCESS_ROLE web needs DATABASE_URL/);
  });

  it.skipIf(!base)('web and worker as two processes on Postgres (needs TEST_DATABASE_URL)', async () => {
    const name = `cf_roles_${randomBytes(5).toString('hex')}`;
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    dropAfter = name;
    const url = new URL(base!);
    url.pathname = `/${name}`;
    const database = { DATABASE_URL: url.toString() };

    const web = await startServer({ ...database, PROCESS_ROLE: 'web' });
    // A poll once a minute: a card within seconds means the web process woke it (NOTIFY).
    const worker = await startServer({ ...database, PROCESS_ROLE: 'worker', WORKER_PORT: '0', DELIVERY_POLL_MS: '60000' });
    const key = firstStartKey(web.stdout());
    expect(key).not.toBeNull();
    expect(firstStartKey(worker.stdout())).toBeNull();
    await web.waitForStderr('Delivery runs in another process');
    await worker.waitForStderr('Delivery worker listening on');

    // The worker serves health only.
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    expect((await postItem(worker.url, key!, { source: 'survey', external_id: 'w-1', kind: 'nps', score: 2 })).status).toBe(404);

    const res = await postItem(web.url, key!, {
      source: 'survey',
      external_id: 'r-1',
      kind: 'nps',
      score: 3,
      comment: 'Roles work: delivered by the worker',
    });
    expect(res.status).toBe(202);
    await worker.waitForStdout('Roles work: delivered by the worker', 15_000);
    // A second item: the card is printed once each, and never by the web process.
    const second = { source: 'survey', external_id: 'r-2', kind: 'csat', score: 5, comment: 'Second card, woken too' };
    expect((await postItem(web.url, key!, second)).status).toBe(202);
    await worker.waitForStdout('Second card, woken too', 15_000);
    expect(worker.stdout().split('Roles work: delivered by the worker').length - 1).toBe(1);
    expect(web.stdout()).not.toContain('Roles work');

    expect(await web.stop()).toEqual({ code: 0, signal: null });
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
  });
});

// Nothing accepted is lost: an item accepted (202) by a server that is then killed -9 before
// delivering is delivered by the next start, exactly once. Runs on PGlite (same data dir) or, with
// TEST_DATABASE_URL, on a fresh Postgres database.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  firstStartKey,
  killSpawnedServers,
  postItem,
  type ServerDatabase,
  serverDatabase,
  startServer,
} from '../helpers/server.ts';

vi.setConfig({ testTimeout: 300_000 });

let database: ServerDatabase;
beforeAll(async () => {
  database = await serverDatabase();
});
afterAll(async () => {
  await killSpawnedServers();
  await database?.close();
});

const countOf = (text: string, part: string) => text.split(part).length - 1;

describe('crash between accept and delivery', () => {
  it('delivers the accepted item exactly once after kill -9 and restart', async () => {
    // The first process never gets to deliver: its worker would start only after an hour.
    const first = await startServer({ ...database.env, DELIVERY_START_DELAY_MS: '3600000' });
    const key = firstStartKey(first.stdout())!;
    expect(key).toBeTruthy();
    const res = await postItem(first.url, key, {
      source: 'crash',
      external_id: 'c-1',
      kind: 'csat',
      score: 1,
      comment: 'Lost my order twice',
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await first.crash();
    expect(first.stdout()).not.toContain('Lost my order twice');

    const second = await startServer(database.env);
    await second.waitForStdout('> Lost my order twice');
    // A replay of the same item after the restart is a duplicate, not a second card.
    const replay = await postItem(second.url, key, {
      source: 'crash',
      external_id: 'c-1',
      kind: 'csat',
      score: 1,
      comment: 'Lost my order twice',
    });
    expect(replay.status).toBe(200);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
    expect(countOf(second.stdout(), '> Lost my order twice')).toBe(1);

    const posts = await database.query<{ n: number }>('select count(*)::int as n from chat_posts where item_id = $1', [id]);
    expect(posts[0]!.n).toBe(1);
    const outbox = await database.query<{ status: string }>('select status from outbox where item_id = $1', [id]);
    expect(outbox.map((r) => r.status)).toEqual(['done']);
  });
});

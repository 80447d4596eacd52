import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedRunner } from '../../src/db/repos/prepared-statement.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});

const TEXT = 'select $1::text as v, $2::int + 1 as n';

describe('preparedRunner', () => {
  it('runs the statement with its arguments, verbatim', async () => {
    const run = preparedRunner(t.db, 'test_echo', TEXT);
    for (const v of ['plain', `it's $a$ and $aa$; select 1; -- \\`, '']) {
      expect(await run([v, '41'])).toEqual([{ v, n: 42 }]);
    }
    expect(await run([null, '0'])).toEqual([{ v: null, n: 1 }]);
  });

  it('runs inside a transaction on its connection', async () => {
    const rows = await t.db.transaction((tx) => preparedRunner(tx, 'test_echo', TEXT)(['in tx', '1']));
    expect(rows).toEqual([{ v: 'in tx', n: 2 }]);
  });

  it('prepares again when the statement was dropped', async () => {
    const run = preparedRunner(t.db, 'test_dropped', TEXT);
    expect(await run(['a', '1'])).toHaveLength(1);
    if (t.driver === 'pglite') await t.query('deallocate test_dropped');
    expect(await run(['b', '1'])).toEqual([{ v: 'b', n: 2 }]);
  });

  it('re-plans on PGlite as the rows written through it double', async () => {
    if (t.driver !== 'pglite') return; // Postgres: autovacuum's ANALYZE invalidates the plan instead
    const run = preparedRunner(t.db, 'test_replan', TEXT, { analyze: ['customers'] });
    const preparedAt = async () =>
      (await t.query<{ at: string }>(`select prepare_time::text as at from pg_prepared_statements where name = 'test_replan'`))[0]?.at;
    await run(['a', '1'], 1);
    const first = await preparedAt();
    await run(['b', '1'], 150); // crosses the first threshold (100 rows)...
    expect(await preparedAt()).toBe(first);
    await run(['c', '1'], 1); // ...so the next call analyzes and prepares again
    expect(await preparedAt()).not.toBe(first);
  });
});

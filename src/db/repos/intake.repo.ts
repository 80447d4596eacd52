// Intake storage: a whole request (one item or a batch of 500) in one statement (intake.sql.ts),
// so accepting costs one round trip and no transaction. Batches whose customers are linked in a
// way that only input order can settle (two different identities sharing an external id or an
// email) are split into consecutive statements inside one transaction.
import { randomUUID } from 'node:crypto';
import type { IntakeEvent, IntakeRecord, IntakeRepo } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { normalizeCustomer } from './customer.repo.ts';
import { INTAKE_SQL, type IntakeRowJson, intakeParams, storedIdsStatement } from './intake.sql.ts';
import { destinationOf } from './outbox.repo.ts';
import { preparedRunner } from './prepared-statement.ts';

/** A concurrent writer got there first: the statement is atomic, so running it again is safe. */
const RETRYABLE = new Set(['23505', '40001', '40P01']); // unique_violation, serialization, deadlock
const MAX_ATTEMPTS = 3;

type Result = { id: string; created: boolean };
type Row = { o: number; id: string | null; created: boolean };

export function createIntakeRepo(db: Executor): IntakeRepo {
  const analyze = { analyze: ['customers', 'feedback_items'] };
  const prepared = preparedRunner(db, 'cf_intake_accept', INTAKE_SQL, analyze);

  async function run(executor: Executor, workspaceId: string, rows: IntakeRowJson[], event: IntakeEvent): Promise<Row[]> {
    const ev = { type: event.type, actorId: event.actorId, platform: event.platform, at: event.at.toISOString() };
    const params = intakeParams(workspaceId, rows, ev);
    // Inside a transaction (a batch cut in several statements) it runs on the transaction's connection.
    const runner = executor === db ? prepared : preparedRunner(executor, 'cf_intake_accept', INTAKE_SQL);
    return runner<Row>(params, rows.length);
  }

  return {
    async acceptMany(workspaceId, records, event) {
      if (records.length === 0) return [];
      const { segments, firstOf } = plan(records);
      for (let attempt = 1; ; attempt++) {
        try {
          const out: Row[] =
            segments.length === 1
              ? await run(db, workspaceId, segments[0]!, event)
              : await db.transaction(async (tx) => {
                  const all: Row[] = [];
                  for (const segment of segments) all.push(...(await run(tx, workspaceId, segment, event)));
                  return all;
                });
          const byIndex = new Map(out.map((r) => [r.o, r]));
          await fillRaceLosers(workspaceId, records, byIndex);
          return records.map((_, i): Result => {
            const first = firstOf[i]!;
            const row = byIndex.get(first)!;
            // A repeat inside the request is a replay of its first occurrence.
            return { id: row.id!, created: row.created && first === i };
          });
        } catch (err) {
          const code = sqlState(err);
          if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw err;
        }
      }
    },
  };

  /** An item inserted concurrently after this statement's snapshot: read its id now. */
  async function fillRaceLosers(workspaceId: string, records: IntakeRecord[], rows: Map<number, Row>): Promise<void> {
    const lost = [...rows.values()].filter((r) => r.id === null);
    if (lost.length === 0) return;
    const keys = lost.map((r) => ({ source: records[r.o]!.item.source, external_id: records[r.o]!.item.externalId }));
    const found = rowsOf<{ source: string; external_id: string; id: string }>(
      await db.execute(storedIdsStatement(workspaceId, keys)),
    );
    const idOf = new Map(found.map((f) => [`${f.source}\u0000${f.external_id}`, f.id]));
    for (const r of lost) {
      const { source, externalId } = records[r.o]!.item;
      const id = idOf.get(`${source}\u0000${externalId}`);
      if (!id) throw new Error(`feedback insert conflicted but ${source}/${externalId} was not found`);
      r.id = id;
    }
  }
}

/**
 * Dedupes (source, external id) — later repeats map to the first — and cuts the batch where a
 * customer identity (external id + email) shares one of its keys with a different identity
 * earlier in the same statement: those need the earlier one stored to resolve like in order.
 */
function plan(records: IntakeRecord[]): { segments: IntakeRowJson[][]; firstOf: number[] } {
  const firstOf: number[] = [];
  const seenItem = new Map<string, number>();
  const segments: IntakeRowJson[][] = [];
  let current: IntakeRowJson[] = [];
  let identities = new Map<string, { ck: number; id: string }>();
  let byExternal = new Set<string>();
  let byEmail = new Set<string>();
  records.forEach((record, i) => {
    const itemKey = `${record.item.source}\u0000${record.item.externalId}`;
    const first = seenItem.get(itemKey);
    firstOf.push(first ?? i);
    if (first !== undefined) return;
    seenItem.set(itemKey, i);

    const c = record.customer ? normalizeCustomer(record.customer) : null;
    let identity: { ck: number; id: string } | null = null;
    if (c) {
      const email = c.email?.toLowerCase() ?? null;
      // No external id and no email: every such item gets a customer of its own.
      const key = c.externalId || email ? `${c.externalId ?? ''}\u0000${email ?? ''}` : `anon:${i}`;
      identity = identities.get(key) ?? null;
      if (!identity) {
        if ((c.externalId && byExternal.has(c.externalId)) || (email && byEmail.has(email))) {
          segments.push(current);
          current = [];
          identities = new Map();
          byExternal = new Set();
          byEmail = new Set();
        }
        identity = { ck: identities.size, id: randomUUID() };
        identities.set(key, identity);
        if (c.externalId) byExternal.add(c.externalId);
        if (email) byEmail.add(email);
      }
    }
    const { item } = record;
    current.push({
      o: i,
      source: item.source,
      external_id: item.externalId,
      kind: item.kind,
      score: item.score,
      comment: item.comment,
      touchpoint: item.touchpoint,
      tags: item.tags,
      route: item.route,
      metadata: item.metadata,
      received_at: item.receivedAt.toISOString(),
      due_at: item.dueAt.toISOString(),
      event_data: record.eventData,
      jobs: record.jobs.map((job) => ({ destination: destinationOf({ ...job, itemId: '' }), job })),
      ck: identity?.ck ?? null,
      c_id: identity?.id ?? null,
      c_ext: c?.externalId ?? null,
      c_email: c?.email ?? null,
      c_name: c?.name ?? null,
      c_company: c?.company ?? null,
      c_segment: c?.segment ?? null,
      c_tier: c?.tier ?? null,
      c_attrs: c?.attributes ?? {},
    });
  });
  segments.push(current);
  return { segments: segments.filter((s) => s.length > 0), firstOf };
}

/** postgres.js answers an array of rows, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

function sqlState(err: unknown): string | undefined {
  // drizzle wraps driver errors (DrizzleQueryError.cause); postgres.js and PGlite set `code`.
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

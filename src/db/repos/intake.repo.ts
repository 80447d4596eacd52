// Intake storage: a whole request (one item or a batch of 500) in one statement (intake.sql.ts),
// so accepting costs one round trip and no transaction. Batches whose customers are linked in a
// way that only input order can settle (two different identities sharing an external id or an
// email) are split into consecutive statements inside one transaction.
//
// Group commit: requests that arrive in one turn of the event loop, or while the workspace's
// statements are in flight, go together as one statement (up to 500 items). A lone request goes at
// the end of the turn it arrived in (setImmediate), so nothing waits on a timer; under load a
// commit carries several requests instead of one each, and the commit's WAL flush is most of the
// cost of a small write (measured: 60% of an intake statement's time on Postgres under 4 clients).
// Every request is still answered only after the statement holding its items has committed.
//
// Known customers: most requests name a customer already stored with every detail they carry, so
// their statement has nothing to write to `customers`. Such requests (the same customer details,
// as sent, as one this process stored an item for) run INTAKE_KNOWN_SQL, which skips the customer
// lookups and writes: on Postgres that is about a quarter of a single item's statement.
import { randomUUID } from 'node:crypto';
import { MAX_BATCH } from '../../core/feedback/intake.service.ts';
import type { IntakeEvent, IntakeRecord, IntakeRepo } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { normalizeCustomer } from './customer.repo.ts';
import { INTAKE_KNOWN_SQL, INTAKE_SQL, type IntakeRowJson, intakeParams, storedIdsStatement } from './intake.sql.ts';
import { destinationOf } from './outbox.repo.ts';
import { preparedRunner } from './prepared-statement.ts';

/** A concurrent writer got there first: the statement is atomic, so running it again is safe. */
const RETRYABLE = new Set(['23505', '40001', '40P01']); // unique_violation, serialization, deadlock
/** A known customer was deleted meanwhile: forget them all and write the request in full. */
const FOREIGN_KEY_VIOLATION = '23503';
const MAX_ATTEMPTS = 3;
/** Customer details remembered per process (a few MB at most); the oldest are forgotten first. */
const MAX_KNOWN_CUSTOMERS = 10_000;

type Result = { id: string; created: boolean };
type Row = { o: number; id: string | null; created: boolean; customer_id: string | null };

export type IntakeRepoOptions = {
  /**
   * Statements per workspace in flight at once; requests beyond wait and are merged. 1 suits an
   * embedded database (one connection); a server takes a few, so one slow commit stalls nobody.
   */
  maxInFlight?: number;
  /** Called with each statement's kind and rows (tests watch which statement ran). */
  onStatement?: (kind: 'full' | 'known', rows: number) => void;
};

/** One request waiting to be stored: its records, when it arrived, and its answer. */
type Request = { records: IntakeRecord[]; at: Date; resolve(r: Result[]): void; reject(e: unknown): void };
/** `scheduled`: a pump is due at the end of this turn of the event loop. */
type Lane = { inFlight: number; queue: Request[]; scheduled: boolean };

export function createIntakeRepo(db: Executor, opts: IntakeRepoOptions = {}): IntakeRepo {
  const analyze = { analyze: ['customers', 'feedback_items'] };
  const prepared = preparedRunner(db, 'cf_intake_accept', INTAKE_SQL, analyze);
  const preparedKnown = preparedRunner(db, 'cf_intake_known', INTAKE_KNOWN_SQL, analyze);
  const maxInFlight = opts.maxInFlight ?? 2;
  /** A customer's details as sent (plan's `keys`) → the id of the customer they find. */
  const known = new Map<string, string>();
  /** By workspace and event (a statement has one workspace and one event type, actor, platform). */
  const lanes = new Map<string, Lane>();

  async function run(executor: Executor, workspaceId: string, rows: IntakeRowJson[], event: IntakeEvent): Promise<Row[]> {
    opts.onStatement?.('full', rows.length);
    const params = intakeParams(workspaceId, rows, { type: event.type, actorId: event.actorId, platform: event.platform });
    // Inside a transaction (a batch cut in several statements) it runs on the transaction's connection.
    const runner = executor === db ? prepared : preparedRunner(executor, 'cf_intake_accept', INTAKE_SQL);
    return runner<Row>(params, rows.length);
  }

  /** The rows with their known customers' ids, if every row's customer is known (or absent). */
  function withKnownCustomers(rows: IntakeRowJson[], keys: Map<number, string>): IntakeRowJson[] | null {
    const out: IntakeRowJson[] = [];
    for (const row of rows) {
      const key = keys.get(row.o);
      const id = key === undefined ? undefined : known.get(key);
      if (row.ck !== null && id === undefined) return null;
      out.push({ ...row, ck: null, c_id: id ?? null });
    }
    return out;
  }

  /** Stores requests' records as one unit (one statement, or one transaction when cut). */
  async function store(workspaceId: string, requests: Omit<Request, 'resolve' | 'reject'>[], event: IntakeEvent): Promise<Result[]> {
    const records = requests.flatMap((r) => r.records);
    const at = requests.flatMap((r) => r.records.map(() => r.at.toISOString()));
    const { segments, firstOf, keys } = plan(workspaceId, records, at);
    let knownRows = withKnownCustomers(segments.flat(), keys);
    for (let attempt = 1; ; attempt++) {
      try {
        let out: Row[];
        if (knownRows) {
          opts.onStatement?.('known', knownRows.length);
          out = await preparedKnown<Row>(intakeParams(workspaceId, knownRows, event), knownRows.length);
        } else if (segments.length === 1) {
          out = await run(db, workspaceId, segments[0]!, event);
        } else {
          out = await db.transaction(async (tx) => {
            const all: Row[] = [];
            for (const segment of segments) all.push(...(await run(tx, workspaceId, segment, event)));
            return all;
          });
        }
        if (!knownRows) remember(out, keys);
        const byIndex = new Map(out.map((r) => [r.o, r]));
        await fillRaceLosers(workspaceId, records, byIndex);
        return records.map((_, i): Result => {
          const first = firstOf[i]!;
          const row = byIndex.get(first)!;
          // A repeat (in this request or an earlier one merged with it) is a replay of its first occurrence.
          return { id: row.id!, created: row.created && first === i };
        });
      } catch (err) {
        const code = sqlState(err);
        if (knownRows && code === FOREIGN_KEY_VIOLATION) {
          known.clear();
          knownRows = null;
          continue;
        }
        if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw err;
      }
    }
  }

  function remember(rows: Row[], keys: Map<number, string>): void {
    for (const row of rows) {
      const key = keys.get(row.o);
      if (key === undefined || !row.customer_id) continue;
      if (known.size >= MAX_KNOWN_CUSTOMERS) known.delete(known.keys().next().value!);
      known.set(key, row.customer_id);
    }
  }

  /** Starts statements for the lane's waiting requests while it has room. */
  function pump(key: string, lane: Lane, workspaceId: string, event: IntakeEvent): void {
    while (lane.inFlight < maxInFlight && lane.queue.length > 0) {
      const group: Request[] = [lane.queue.shift()!];
      let size = group[0]!.records.length;
      while (lane.queue.length > 0 && size + lane.queue[0]!.records.length <= MAX_BATCH) {
        size += lane.queue[0]!.records.length;
        group.push(lane.queue.shift()!);
      }
      lane.inFlight++;
      void storeGroup(workspaceId, group, event).finally(() => {
        lane.inFlight--;
        if (lane.inFlight === 0 && lane.queue.length === 0 && !lane.scheduled) lanes.delete(key);
        else pump(key, lane, workspaceId, event);
      });
    }
  }

  async function storeGroup(workspaceId: string, group: Request[], event: IntakeEvent): Promise<void> {
    try {
      const results = await store(workspaceId, group, event);
      let from = 0;
      for (const request of group) {
        request.resolve(results.slice(from, from + request.records.length));
        from += request.records.length;
      }
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      // Something in one request failed the shared statement: each request alone, so it fails only
      // its own sender (each request is still all-or-nothing).
      await Promise.all(group.map((r) => store(workspaceId, [r], event).then(r.resolve, r.reject)));
    }
  }

  return {
    acceptMany(workspaceId, records, event) {
      if (records.length === 0) return Promise.resolve([]);
      const key = JSON.stringify([workspaceId, event.type, event.actorId, event.platform]);
      const lane = lanes.get(key) ?? { inFlight: 0, queue: [], scheduled: false };
      lanes.set(key, lane);
      return new Promise<Result[]>((resolve, reject) => {
        lane.queue.push({ records, at: event.at, resolve, reject });
        if (lane.scheduled) return;
        // After the I/O of this turn: the other requests read in it join the same statement. On
        // PGlite this matters most, as a statement blocks the event loop while it runs.
        lane.scheduled = true;
        setImmediate(() => {
          lane.scheduled = false;
          pump(key, lane, workspaceId, event);
        });
      });
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
function plan(
  workspaceId: string,
  records: IntakeRecord[],
  eventAt: string[],
): { segments: IntakeRowJson[][]; firstOf: number[]; keys: Map<number, string> } {
  const firstOf: number[] = [];
  /** Input index → its customer's details as a key of `known` (anonymous customers have none). */
  const keys = new Map<number, string>();
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
      if (c.externalId || email) keys.set(i, `${workspaceId}\u0000${JSON.stringify(c)}`);
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
      priority: item.priority,
      metadata: item.metadata,
      history: item.history === true,
      received_at: item.receivedAt.toISOString(),
      due_at: item.dueAt.toISOString(),
      remind_at: item.remindAt.toISOString(),
      escalate_at: item.escalateAt.toISOString(),
      event_data: record.eventData,
      event_at: eventAt[i]!,
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
  return { segments: segments.filter((s) => s.length > 0), firstOf, keys };
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

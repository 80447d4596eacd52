// The intake statement: customers, items, "received" events and outbox rows for a whole batch in
// ONE statement (data-modifying CTEs). One statement is atomic by itself, so it needs no
// transaction and costs one round trip, whether it holds 1 item or 500.
//
// Input rows ($2, jsonb): one per distinct (source, external id), in input order `o`, with
// the customer identity `ck` precomputed by intake.repo.ts so that, within one statement, two
// different identities never share an external id or an email (otherwise the caller splits the
// batch into several statements). `c_id` is the id a new customer of that identity gets.
//
// INTAKE_KNOWN_SQL is the same without the customer writes, for requests whose customers need
// none (intake.repo.ts knows them): there `c_id` is the customer's stored id and `ck` is unused.
import { type SQL, sql } from 'drizzle-orm';

export type IntakeRowJson = {
  o: number;
  source: string;
  external_id: string;
  kind: string;
  score: number | null;
  comment: string | null;
  touchpoint: string | null;
  tags: string[];
  route: string | null;
  priority: string;
  metadata: Record<string, unknown>;
  history: boolean;
  received_at: string;
  due_at: string;
  remind_at: string;
  escalate_at: string;
  event_data: Record<string, unknown>;
  /** When its request was received (the "received" event's time). */
  event_at: string;
  jobs: { destination: string; job: Record<string, unknown> }[];
  ck: number | null;
  /** INTAKE_SQL: the id a new customer of identity `ck` gets; INTAKE_KNOWN_SQL: the customer's id. */
  c_id: string | null;
  c_ext: string | null;
  c_email: string | null;
  c_name: string | null;
  c_company: string | null;
  c_segment: string | null;
  c_tier: string | null;
  c_attrs: Record<string, unknown>;
};

export type IntakeEventParams = { type: string; actorId: string | null; platform: string | null };

/** Parameters of INTAKE_SQL, in order. */
export function intakeParams(workspaceId: string, rows: IntakeRowJson[], event: IntakeEventParams): (string | null)[] {
  return [workspaceId, JSON.stringify(rows), event.type, event.actorId, event.platform];
}

/** The input rows ($2), each with the id of the item already stored under its key (a replay). */
const INPUT = `
  select x.*, (select f.id from feedback_items f
      where f.workspace_id = $1::uuid and f.source = x.source and f.external_id = x.external_id) as old_id
  from jsonb_to_recordset($2::jsonb) as x(
    o int, source text, external_id text, kind text, score int, comment text, touchpoint text, tags jsonb,
    route text, priority text, metadata jsonb, history boolean, received_at timestamptz, due_at timestamptz, remind_at timestamptz,
    escalate_at timestamptz, event_data jsonb, event_at timestamptz, jobs jsonb,
    ck int, c_id uuid, c_ext text, c_email text, c_name text, c_company text, c_segment text, c_tier text,
    c_attrs jsonb)`;

/** Inserts the new items (`customer`: the expression of an input row f's customer id). */
const insertItems = (customer: string, join: string) => `
  insert into feedback_items (workspace_id, source, external_id, kind, score, comment, touchpoint, tags, route,
    priority, customer_id, metadata, history, received_at, created_at, due_at, remind_at, escalate_at)
  select $1::uuid, f.source, f.external_id, f.kind, f.score, f.comment, f.touchpoint, f.tags, f.route,
    f.priority, ${customer}, f.metadata, f.history, f.received_at, f.event_at, f.due_at, f.remind_at, f.escalate_at
  from inp f ${join}
  where f.old_id is null
  on conflict (workspace_id, source, external_id) do nothing
  returning id, source, external_id`;

/** The "received" events and outbox rows of the items inserted (`made`: input row o → item id). */
const WRITE_JOBS = `made as (select f.o, f.event_data, f.event_at, f.jobs, i.id from items i join inp f on f.source = i.source and f.external_id = i.external_id),
events as (
  insert into feedback_events (workspace_id, item_id, type, actor_id, platform, data, at)
  select $1::uuid, m.id, $3::text, $4::uuid, $5::text, m.event_data, m.event_at
  from made m
),
jobs as (
  insert into outbox (workspace_id, item_id, destination, job)
  select $1::uuid, m.id, j.destination, j.job || jsonb_build_object('itemId', m.id)
  from made m cross join lateral jsonb_to_recordset(m.jobs) as j(destination text, job jsonb)
)`;

/**
 * Rows: `{ o, id, created, customer_id }` per input row; `id` is null only when a concurrent
 * insert won a race. `customer_id`: the new item's customer, when the same customer details are
 * sure to find it again (then they need no write: intake.repo.ts may use INTAKE_KNOWN_SQL).
 * Fixed text ($1 workspace, $2 rows, $3..$5 the event's type, actor and platform), so it can be prepared once.
 */
export const INTAKE_SQL = `
with inp as (${INPUT}),
-- Each customer identity (ck = 0, 1, ...) is found by external id, else by email (case-insensitive),
-- else gets c_id. Then, as arrays indexed by ck + 1: a join on ck would be planned as a nested
-- loop (the planner cannot estimate CTE sizes), quadratic for a batch.
res as materialized (
  select d.ck, d.c_id, coalesce(x.id, m.id) as target,
    -- Found by the key looked up first, or new (stored with its keys): the same customer details
    -- find it again. Found by email while its external id is nobody's: maybe another one next time.
    d.c_ext is null or x.id is not null or m.id is null as sure
  from (select distinct on (ck) ck, c_id, c_ext, c_email from inp where ck is not null order by ck, o) d
  left join lateral (select c.id from customers c where c.workspace_id = $1::uuid and c.external_id = d.c_ext) x on true
  left join lateral (select c.id from customers c
    where x.id is null and c.workspace_id = $1::uuid and lower(c.email) = lower(d.c_email)) m on true
),
ids as (
  select array_agg(coalesce(target, c_id) order by ck) as customer, array_agg(target is not null order by ck) as found,
    array_agg(sure order by ck) as sure
  from res
),
-- A replay (old_id) changes nothing, not even its customer. One row per customer to write for
-- the new items: the earliest item's value wins each field, as in input order.
agg as (
  select ids.customer[f.ck + 1] as id, ids.found[f.ck + 1] as found,
    (array_agg(f.c_ext order by f.o) filter (where f.c_ext is not null))[1] as external_id,
    (array_agg(f.c_email order by f.o) filter (where f.c_email is not null))[1] as email,
    (array_agg(f.c_name order by f.o) filter (where f.c_name is not null))[1] as name,
    (array_agg(f.c_company order by f.o) filter (where f.c_company is not null))[1] as company,
    (array_agg(f.c_segment order by f.o) filter (where f.c_segment is not null))[1] as segment,
    (array_agg(f.c_tier order by f.o) filter (where f.c_tier is not null))[1] as tier,
    coalesce(jsonb_object_agg(a.key, a.value order by f.o desc) filter (where a.key is not null), '{}'::jsonb) as attributes
  from inp f
  cross join ids
  left join lateral jsonb_each(f.c_attrs) a on true
  where f.old_id is null and f.ck is not null
  group by 1, 2
),
upd as (
  update customers set
    -- Identity fields are unique per workspace: only taken when nobody else holds them.
    external_id = case when customers.external_id is null and g.external_id is not null and not exists (
      select 1 from customers o where o.workspace_id = $1::uuid and o.external_id = g.external_id) then g.external_id else customers.external_id end,
    email = case when customers.email is null and g.email is not null and not exists (
      select 1 from customers o where o.workspace_id = $1::uuid and lower(o.email) = lower(g.email)) then g.email else customers.email end,
    name = coalesce(customers.name, g.name),
    company = coalesce(customers.company, g.company),
    segment = coalesce(customers.segment, g.segment),
    tier = coalesce(customers.tier, g.tier),
    attributes = g.attributes || customers.attributes,
    updated_at = now()
  from agg g
  where g.found and customers.id = g.id and (
    (customers.external_id is null and g.external_id is not null) or (customers.email is null and g.email is not null)
    or (customers.name is null and g.name is not null) or (customers.company is null and g.company is not null)
    or (customers.segment is null and g.segment is not null) or (customers.tier is null and g.tier is not null)
    or exists (select 1 from jsonb_object_keys(g.attributes) k where not jsonb_exists(customers.attributes, k)))
),
-- A concurrent insert of the same new customer fails this statement (unique violation) and the
-- caller runs it again, when its snapshot sees that customer.
ins as (
  insert into customers (id, workspace_id, external_id, email, name, company, segment, tier, attributes)
  select g.id, $1::uuid, g.external_id, g.email, g.name, g.company, g.segment, g.tier, g.attributes from agg g where not g.found
),
items as (${insertItems('ids.customer[f.ck + 1]', 'cross join ids')}),
${WRITE_JOBS}
select i.o, coalesce(m.id, i.old_id) as id, m.id is not null as created,
  case when m.id is not null and ids.sure[i.ck + 1] then ids.customer[i.ck + 1] end as customer_id
from inp i cross join ids left join made m on m.o = i.o`;

/** INTAKE_SQL for rows whose customer (`c_id`, or none) needs no write; same parameters and rows. */
export const INTAKE_KNOWN_SQL = `
with inp as (${INPUT}),
items as (${insertItems('f.c_id', '')}),
${WRITE_JOBS}
select i.o, coalesce(m.id, i.old_id) as id, m.id is not null as created, case when m.id is not null then i.c_id end as customer_id
from inp i left join made m on m.o = i.o`;

/** Ids of items stored under these (source, external id) pairs: the rare race losers. */
export function storedIdsStatement(workspaceId: string, keys: { source: string; external_id: string }[]): SQL {
  return sql`
select f.source, f.external_id, f.id
from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(source text, external_id text)
join feedback_items f on f.workspace_id = ${workspaceId}::uuid and f.source = k.source and f.external_id = k.external_id`;
}

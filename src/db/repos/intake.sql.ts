// The intake statement: customers, items, "received" events and outbox rows for a whole batch in
// ONE statement (data-modifying CTEs). One statement is atomic by itself, so it needs no
// transaction and costs one round trip, whether it holds 1 item or 500.
//
// Input rows ($2, jsonb): one per distinct (source, external id), in input order `o`, with
// the customer identity `ck` precomputed by intake.repo.ts so that, within one statement, two
// different identities never share an external id or an email (otherwise the caller splits the
// batch into several statements). `c_id` is the id a new customer of that identity gets.
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
  metadata: Record<string, unknown>;
  received_at: string;
  due_at: string;
  event_data: Record<string, unknown>;
  /** When its request was received (the "received" event's time). */
  event_at: string;
  jobs: { destination: string; job: Record<string, unknown> }[];
  ck: number | null;
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

/**
 * Rows: `{ o, id, created }` per input row; `id` is null only when a concurrent insert won a race.
 * Fixed text ($1 workspace, $2 rows, $3..$5 the event's type, actor and platform), so it can be prepared once.
 */
export const INTAKE_SQL = `
with inp as (
  select x.*, (select f.id from feedback_items f
      where f.workspace_id = $1::uuid and f.source = x.source and f.external_id = x.external_id) as old_id
  from jsonb_to_recordset($2::jsonb) as x(
    o int, source text, external_id text, kind text, score int, comment text, touchpoint text, tags jsonb,
    route text, metadata jsonb, received_at timestamptz, due_at timestamptz, event_data jsonb, event_at timestamptz, jobs jsonb,
    ck int, c_id uuid, c_ext text, c_email text, c_name text, c_company text, c_segment text, c_tier text,
    c_attrs jsonb)
),
-- Each customer identity (ck = 0, 1, ...) is found by external id, else by email (case-insensitive),
-- else gets c_id. Then, as arrays indexed by ck + 1: a join on ck would be planned as a nested
-- loop (the planner cannot estimate CTE sizes), quadratic for a batch.
res as materialized (
  select d.ck, d.c_id, coalesce(
      case when d.c_ext is not null then
        (select c.id from customers c where c.workspace_id = $1::uuid and c.external_id = d.c_ext) end,
      case when d.c_email is not null then
        (select c.id from customers c where c.workspace_id = $1::uuid and lower(c.email) = lower(d.c_email)) end) as target
  from (select distinct on (ck) ck, c_id, c_ext, c_email from inp where ck is not null order by ck, o) d
),
ids as (
  select array_agg(coalesce(target, c_id) order by ck) as customer, array_agg(target is not null order by ck) as found
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
items as (
  insert into feedback_items (workspace_id, source, external_id, kind, score, comment, touchpoint, tags, route,
    customer_id, metadata, received_at, due_at)
  select $1::uuid, f.source, f.external_id, f.kind, f.score, f.comment, f.touchpoint, f.tags, f.route,
    ids.customer[f.ck + 1], f.metadata, f.received_at, f.due_at
  from inp f cross join ids
  where f.old_id is null
  on conflict (workspace_id, source, external_id) do nothing
  returning id, source, external_id
),
made as (select f.o, f.event_data, f.event_at, f.jobs, i.id from items i join inp f on f.source = i.source and f.external_id = i.external_id),
events as (
  insert into feedback_events (workspace_id, item_id, type, actor_id, platform, data, at)
  select $1::uuid, m.id, $3::text, $4::uuid, $5::text, m.event_data, m.event_at
  from made m
),
jobs as (
  insert into outbox (workspace_id, item_id, destination, job)
  select $1::uuid, m.id, j.destination, j.job || jsonb_build_object('itemId', m.id)
  from made m cross join lateral jsonb_to_recordset(m.jobs) as j(destination text, job jsonb)
)
select i.o, coalesce(m.id, i.old_id) as id, m.id is not null as created
from inp i left join made m on m.o = i.o`;

/** Ids of items stored under these (source, external id) pairs: the rare race losers. */
export function storedIdsStatement(workspaceId: string, keys: { source: string; external_id: string }[]): SQL {
  return sql`
select f.source, f.external_id, f.id
from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(source text, external_id text)
join feedback_items f on f.workspace_id = ${workspaceId}::uuid and f.source = k.source and f.external_id = k.external_id`;
}

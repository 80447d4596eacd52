// The intake statement: customers, items, "received" events and outbox rows for a whole batch in
// ONE statement (data-modifying CTEs). One statement is atomic by itself, so it needs no
// transaction and costs one round trip, whether it holds 1 item or 500.
//
// Input rows (`$rows`, jsonb): one per distinct (source, external id), in input order `o`, with
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

export type IntakeEventParams = { type: string; actorId: string | null; platform: string | null; at: string };

/** Fills what a stored customer lacks from `src` (an alias or `excluded`); never overwrites. */
const fillEmpty = (src: string) =>
  sql.raw(`name = coalesce(customers.name, ${src}.name),
    company = coalesce(customers.company, ${src}.company),
    segment = coalesce(customers.segment, ${src}.segment),
    tier = coalesce(customers.tier, ${src}.tier),
    attributes = ${src}.attributes || customers.attributes,
    updated_at = now()`);

/** Rows: `{ o, id, created }` per input row; `id` is null only when a concurrent insert won a race. */
export function intakeStatement(workspaceId: string, rows: IntakeRowJson[], event: IntakeEventParams): SQL {
  const ws = sql`${workspaceId}::uuid`;
  return sql`
with inp as (
  select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
    o int, source text, external_id text, kind text, score int, comment text, touchpoint text, tags jsonb,
    route text, metadata jsonb, received_at timestamptz, due_at timestamptz, event_data jsonb, jobs jsonb,
    ck int, c_id uuid, c_ext text, c_email text, c_name text, c_company text, c_segment text, c_tier text,
    c_attrs jsonb)
),
old as (
  select i.o, f.id from inp i
  join feedback_items f on f.workspace_id = ${ws} and f.source = i.source and f.external_id = i.external_id
),
-- A replay changes nothing, not even its customer: only new items go on from here.
fresh as (select i.* from inp i where not exists (select 1 from old where old.o = i.o)),
ident as (select distinct on (ck) ck, c_id, c_ext, c_email from fresh where ck is not null order by ck, o),
-- By external id, else by email (case-insensitive).
res as (
  select d.*, coalesce(
    (select c.id from customers c where c.workspace_id = ${ws} and c.external_id = d.c_ext),
    (select c.id from customers c where c.workspace_id = ${ws} and lower(c.email) = lower(d.c_email))
  ) as target
  from ident d
),
-- One row per customer to write: the earliest item's value wins each field, as in input order.
agg as (
  select coalesce(r.target, r.c_id) as id, r.target is not null as found,
    (array_agg(f.c_ext order by f.o) filter (where f.c_ext is not null))[1] as external_id,
    (array_agg(f.c_email order by f.o) filter (where f.c_email is not null))[1] as email,
    (array_agg(f.c_name order by f.o) filter (where f.c_name is not null))[1] as name,
    (array_agg(f.c_company order by f.o) filter (where f.c_company is not null))[1] as company,
    (array_agg(f.c_segment order by f.o) filter (where f.c_segment is not null))[1] as segment,
    (array_agg(f.c_tier order by f.o) filter (where f.c_tier is not null))[1] as tier,
    coalesce(jsonb_object_agg(a.key, a.value order by f.o desc) filter (where a.key is not null), '{}'::jsonb) as attributes
  from fresh f
  join res r on r.ck = f.ck
  left join lateral jsonb_each(f.c_attrs) a on true
  group by 1, 2
),
upd as (
  update customers set
    -- Identity fields are unique per workspace: only taken when nobody else holds them.
    external_id = case when customers.external_id is null and g.external_id is not null and not exists (
      select 1 from customers o where o.workspace_id = ${ws} and o.external_id = g.external_id) then g.external_id else customers.external_id end,
    email = case when customers.email is null and g.email is not null and not exists (
      select 1 from customers o where o.workspace_id = ${ws} and lower(o.email) = lower(g.email)) then g.email else customers.email end,
    ${fillEmpty('g')}
  from agg g
  where g.found and customers.id = g.id and customers.workspace_id = ${ws} and (
    (customers.external_id is null and g.external_id is not null) or (customers.email is null and g.email is not null)
    or (customers.name is null and g.name is not null) or (customers.company is null and g.company is not null)
    or (customers.segment is null and g.segment is not null) or (customers.tier is null and g.tier is not null)
    or exists (select 1 from jsonb_object_keys(g.attributes) k where not jsonb_exists(customers.attributes, k)))
),
-- New customers. A concurrent insert of the same one makes ours wait, then fill theirs instead
-- (DO UPDATE returns the row even though this statement's snapshot cannot see it).
ins_ext as (
  insert into customers (id, workspace_id, external_id, email, name, company, segment, tier, attributes)
  select g.id, ${ws}, g.external_id, g.email, g.name, g.company, g.segment, g.tier, g.attributes
  from agg g where not g.found and g.external_id is not null
  on conflict (workspace_id, external_id) do update set
    email = case when customers.email is null and not exists (
      select 1 from customers o where o.workspace_id = ${ws} and lower(o.email) = lower(excluded.email)) then excluded.email else customers.email end,
    ${fillEmpty('excluded')}
  returning id, external_id
),
ins_mail as (
  insert into customers (id, workspace_id, email, name, company, segment, tier, attributes)
  select g.id, ${ws}, g.email, g.name, g.company, g.segment, g.tier, g.attributes
  from agg g where not g.found and g.external_id is null and g.email is not null
  on conflict (workspace_id, lower(email)) do update set ${fillEmpty('excluded')}
  returning id, email
),
-- No identity at all: a customer of its own, as before.
ins_anon as (
  insert into customers (id, workspace_id, name, company, segment, tier, attributes)
  select g.id, ${ws}, g.name, g.company, g.segment, g.tier, g.attributes
  from agg g where not g.found and g.external_id is null and g.email is null
  returning id
),
items as (
  insert into feedback_items (workspace_id, source, external_id, kind, score, comment, touchpoint, tags, route,
    customer_id, metadata, received_at, due_at)
  select ${ws}, f.source, f.external_id, f.kind, f.score, f.comment, f.touchpoint, f.tags, f.route,
    coalesce(r.target, ie.id, im.id, ia.id), f.metadata, f.received_at, f.due_at
  from fresh f
  left join res r on r.ck = f.ck
  left join ins_ext ie on r.target is null and ie.external_id = r.c_ext
  left join ins_mail im on r.target is null and r.c_ext is null and lower(im.email) = lower(r.c_email)
  left join ins_anon ia on r.target is null and ia.id = r.c_id
  order by f.o
  on conflict (workspace_id, source, external_id) do nothing
  returning id, source, external_id
),
made as (select f.*, i.id from items i join fresh f on f.source = i.source and f.external_id = i.external_id),
events as (
  insert into feedback_events (workspace_id, item_id, type, actor_id, platform, data, at)
  select ${ws}, m.id, ${event.type}, ${event.actorId}::uuid, ${event.platform}, m.event_data, ${event.at}::timestamptz
  from made m
),
jobs as (
  insert into outbox (workspace_id, item_id, destination, job)
  select ${ws}, m.id, j.destination, j.job || jsonb_build_object('itemId', m.id)
  from made m cross join lateral jsonb_to_recordset(m.jobs) as j(destination text, job jsonb)
)
select i.o, coalesce(m.id, old.id) as id, m.id is not null as created
from inp i
left join made m on m.o = i.o
left join old on old.o = i.o
order by i.o`;
}

/** Ids of items stored under these (source, external id) pairs: the rare race losers. */
export function storedIdsStatement(workspaceId: string, keys: { source: string; external_id: string }[]): SQL {
  return sql`
select f.source, f.external_id, f.id
from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(source text, external_id text)
join feedback_items f on f.workspace_id = ${workspaceId}::uuid and f.source = k.source and f.external_id = k.external_id`;
}

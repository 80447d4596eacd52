// The claim statement: the conditional UPDATE (first click wins), and only when it matched, the
// "claimed" event and the outbox jobs, then the claimed item's view — ONE statement, so it is
// atomic without a transaction and costs one round trip (a burst of clicks is the hot path).
//
// $1 workspace, $2 item, $3 person, $4 at, $5 event type, $6 platform, $7 event data (jsonb;
// the item's due time is added as `dueAt`), $8 jobs (jsonb array of { destination, job }).
// Rows: one `{ item, customer, claimed_by }` (each `to_jsonb` of its row), or none.
export const CLAIM_SQL = `
with c as (
  update feedback_items set status = 'claimed', claimed_by_id = $3::uuid, claimed_at = $4::timestamptz,
    updated_at = $4::timestamptz
  where workspace_id = $1::uuid and id = $2::uuid and status = 'open'
  returning *
),
e as (
  insert into feedback_events (workspace_id, item_id, type, actor_id, platform, data, at)
  select $1::uuid, c.id, $5::text, $3::uuid, $6::text,
    $7::jsonb || jsonb_build_object('dueAt', to_char(c.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    $4::timestamptz
  from c
),
o as (
  insert into outbox (workspace_id, item_id, destination, job)
  select $1::uuid, c.id, j.destination, j.job from c cross join jsonb_to_recordset($8::jsonb) as j(destination text, job jsonb)
)
select to_jsonb(c) as item, to_jsonb(cu) as customer, to_jsonb(p) as claimed_by
from c
left join customers cu on cu.id = c.customer_id
left join people p on p.id = $3::uuid`;

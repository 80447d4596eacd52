// Item views (item, customer, claimer, resolver) by id: one fixed text, run prepared, since the
// delivery worker reads a batch of them for every batch of cards it renders.
//
// $1 workspace, $2 item ids (a uuid[] literal). Rows: `{ item, customer, claimed_by, resolved_by }`,
// each `to_jsonb` of its row (snake_case keys, timestamps as text) or null.
export const ITEM_VIEWS_SQL = `
select to_jsonb(f) as item, to_jsonb(c) as customer, to_jsonb(cl) as claimed_by, to_jsonb(rs) as resolved_by
from feedback_items f
left join customers c on c.id = f.customer_id
left join people cl on cl.id = f.claimed_by_id
left join people rs on rs.id = f.resolved_by_id
where f.workspace_id = $1::uuid and f.id = any($2::uuid[])`;

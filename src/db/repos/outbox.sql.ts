// The delivery worker's two statements per batch, as fixed texts run prepared (they run for every
// batch, so parsing, planning and building them each time would cost more than running them).

/**
 * Leases up to $3 due rows until $2 ($1 is now), except the card changes not yet tried of the
 * workspaces in $4 (their card updates are booked far ahead: claiming them would only defer
 * them). Rows: `{ row }`, each `to_jsonb` of the leased outbox row (snake_case keys, timestamps
 * as text). The ids reach the update as an array, through the primary key: joined instead, the
 * generic plan hashed them against a scan of the whole table (10 000 rows: 6 ms, against 1).
 */
export const OUTBOX_CLAIM_SQL = `
update outbox o set locked_until = $2::timestamptz
where o.id = any(array(
  select id from outbox
  where status = 'pending' and next_attempt_at <= $1::timestamptz
    and (locked_until is null or locked_until <= $1::timestamptz)
    and not (workspace_id = any($4::uuid[]) and job->>'type' in ('item.changed', 'item.refresh') and not job ? 'remaining')
  order by next_attempt_at, created_at, seq
  limit $3::int
  for update skip locked
))
returning to_jsonb(o) as row`;

/**
 * Settles a batch in ONE statement (atomic without a transaction, one round trip): the chat posts
 * its sends created ($1), the attempt events ($2), and each row's new state ($3), guarded by its
 * lease. A patch key that is absent leaves the column as it is; present and null clears it.
 * Rows: `{ id }` of each row settled (one whose lease was lost is left out).
 */
export const OUTBOX_SETTLE_SQL = `
with posts as (
  insert into chat_posts (workspace_id, item_id, platform, channel, message_id, purpose)
  select p.workspace_id, p.item_id, p.platform, p.channel, p.message_id, coalesce(p.purpose, 'card')
  from jsonb_to_recordset($1::jsonb) as p(workspace_id uuid, item_id uuid, platform text, channel text, message_id text, purpose text)
  on conflict (platform, channel, message_id) do nothing
),
events as (
  insert into feedback_events (workspace_id, item_id, type, platform, data, at)
  select e.workspace_id, e.item_id, e.type, e.platform, e.data, clock_timestamp()
  from jsonb_to_recordset($2::jsonb) as e(workspace_id uuid, item_id uuid, type text, platform text, data jsonb)
),
settled as (
  update outbox o set
    status = r->>'status',
    attempts = (r->>'attempts')::int,
    next_attempt_at = case when r ? 'next_attempt_at' then (r->>'next_attempt_at')::timestamptz else o.next_attempt_at end,
    last_error = case when r ? 'last_error' then r->>'last_error' else o.last_error end,
    job = case when r ? 'job' then r->'job' else o.job end,
    done_at = case when r ? 'done_at' then (r->>'done_at')::timestamptz else o.done_at end,
    locked_until = null
  from jsonb_array_elements($3::jsonb) r
  where o.id = (r->>'id')::uuid and o.status = 'pending'
    and o.locked_until is not distinct from (r->>'locked_until')::timestamptz
  returning o.id
)
select id from settled`;

/** One row of OUTBOX_SETTLE_SQL's $3. */
export type SettleRowJson = {
  id: string;
  locked_until: string | null;
  status: string;
  attempts: number;
  next_attempt_at?: string;
  last_error?: string | null;
  job?: Record<string, unknown>;
  done_at?: string | null;
};

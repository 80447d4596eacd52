-- Keeps feedback_items.segment equal to its customer's segment, and the daily rollups
-- (src/db/schema/rollups.ts) equal to aggregates of feedback_items on every write path.
-- Statement-level triggers see each statement's rows once (transition tables), so an intake
-- batch costs one upsert per rollup row it touches; upserts go in key order, so two writers
-- never wait for each other in a cycle.
LOCK TABLE feedback_items, customers IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
UPDATE feedback_items f SET segment = c.segment FROM customers c WHERE c.id = f.customer_id AND c.segment IS NOT NULL;
--> statement-breakpoint
CREATE FUNCTION feedback_items_fill_segment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_segment text;
BEGIN
  IF NEW.customer_id IS NULL THEN
    NEW.segment := NULL;
  ELSE
    -- FOR SHARE waits for a concurrent change of the customer's segment, whose sync (below)
    -- could not see this row yet.
    SELECT c.segment INTO found_segment FROM customers c WHERE c.id = NEW.customer_id FOR SHARE;
    -- Not found: created by this same statement; customers_sync_segment sets it at its end.
    IF FOUND THEN
      NEW.segment := found_segment;
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE FUNCTION customers_sync_segment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE feedback_items f SET segment = c.segment
  FROM changed_customers c
  WHERE f.customer_id = c.id AND f.segment IS DISTINCT FROM c.segment;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- INSERT (TG_ARGV[0] = '1') and DELETE ('-1') of feedback_items: add or remove the rows.
CREATE FUNCTION feedback_items_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (
    SELECT TG_ARGV[0]::int AS sign, r.* FROM changed_items r
    -- A workspace being deleted takes its rollups with it (foreign key cascade).
    WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = r.workspace_id)
  ),
  counts AS (
    INSERT INTO feedback_daily_counts AS t (workspace_id, dim, day, key, kind, score, items, resolved, resolved_in_sla)
    SELECT d.workspace_id, k.dim, (d.received_at AT TIME ZONE 'UTC')::date, k.key, d.kind, d.score, sum(d.sign),
      sum(CASE WHEN d.resolved_at IS NOT NULL THEN d.sign ELSE 0 END),
      sum(CASE WHEN d.resolved_at <= d.due_at THEN d.sign ELSE 0 END)
    FROM d CROSS JOIN LATERAL (VALUES ('all', NULL), ('touchpoint', d.touchpoint), ('source', d.source),
      ('route', d.route), ('segment', d.segment)) k(dim, key)
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT feedback_daily_counts_uq DO UPDATE SET items = t.items + excluded.items,
      resolved = t.resolved + excluded.resolved, resolved_in_sla = t.resolved_in_sla + excluded.resolved_in_sla
  ),
  durations AS (
    INSERT INTO feedback_daily_durations AS t (workspace_id, metric, day, bucket, items)
    SELECT d.workspace_id, m.metric, (d.received_at AT TIME ZONE 'UTC')::date, m.bucket, sum(d.sign)
    FROM d CROSS JOIN LATERAL (VALUES
      ('claim', ((sign(date_part('epoch', claimed_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', claimed_at - created_at) / 60))))::int)),
      ('resolve', ((sign(date_part('epoch', resolved_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', resolved_at - created_at) / 60))))::int))
    ) m(metric, bucket)
    WHERE m.bucket IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT feedback_daily_durations_uq DO UPDATE SET items = t.items + excluded.items
  )
  INSERT INTO feedback_daily_root_causes AS t (workspace_id, day, root_cause, items)
  SELECT d.workspace_id, (d.resolved_at AT TIME ZONE 'UTC')::date, d.root_cause, sum(d.sign)
  FROM d WHERE d.resolved_at IS NOT NULL AND d.root_cause IS NOT NULL
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT feedback_daily_root_causes_uq DO UPDATE SET items = t.items + excluded.items;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- UPDATE: remove the old rows, add the new ones; what did not change nets to zero and is skipped
-- (a claim touches the claim histogram only; a snooze touches nothing).
CREATE FUNCTION feedback_items_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (
    SELECT x.* FROM (SELECT -1 AS sign, o.* FROM old_items o UNION ALL SELECT 1 AS sign, n.* FROM new_items n) x
    WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = x.workspace_id)
  ),
  counts AS (
    INSERT INTO feedback_daily_counts AS t (workspace_id, dim, day, key, kind, score, items, resolved, resolved_in_sla)
    SELECT d.workspace_id, k.dim, (d.received_at AT TIME ZONE 'UTC')::date, k.key, d.kind, d.score, sum(d.sign),
      sum(CASE WHEN d.resolved_at IS NOT NULL THEN d.sign ELSE 0 END),
      sum(CASE WHEN d.resolved_at <= d.due_at THEN d.sign ELSE 0 END)
    FROM d CROSS JOIN LATERAL (VALUES ('all', NULL), ('touchpoint', d.touchpoint), ('source', d.source),
      ('route', d.route), ('segment', d.segment)) k(dim, key)
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(d.sign) <> 0 OR sum(CASE WHEN d.resolved_at IS NOT NULL THEN d.sign ELSE 0 END) <> 0
      OR sum(CASE WHEN d.resolved_at <= d.due_at THEN d.sign ELSE 0 END) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT feedback_daily_counts_uq DO UPDATE SET items = t.items + excluded.items,
      resolved = t.resolved + excluded.resolved, resolved_in_sla = t.resolved_in_sla + excluded.resolved_in_sla
  ),
  durations AS (
    INSERT INTO feedback_daily_durations AS t (workspace_id, metric, day, bucket, items)
    SELECT d.workspace_id, m.metric, (d.received_at AT TIME ZONE 'UTC')::date, m.bucket, sum(d.sign)
    FROM d CROSS JOIN LATERAL (VALUES
      ('claim', ((sign(date_part('epoch', claimed_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', claimed_at - created_at) / 60))))::int)),
      ('resolve', ((sign(date_part('epoch', resolved_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', resolved_at - created_at) / 60))))::int))
    ) m(metric, bucket)
    WHERE m.bucket IS NOT NULL
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT feedback_daily_durations_uq DO UPDATE SET items = t.items + excluded.items
  )
  INSERT INTO feedback_daily_root_causes AS t (workspace_id, day, root_cause, items)
  SELECT d.workspace_id, (d.resolved_at AT TIME ZONE 'UTC')::date, d.root_cause, sum(d.sign)
  FROM d WHERE d.resolved_at IS NOT NULL AND d.root_cause IS NOT NULL
  GROUP BY 1, 2, 3
  HAVING sum(d.sign) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT feedback_daily_root_causes_uq DO UPDATE SET items = t.items + excluded.items;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback_items_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM feedback_daily_counts;
  DELETE FROM feedback_daily_durations;
  DELETE FROM feedback_daily_root_causes;
  RETURN NULL;
END $$;
--> statement-breakpoint
INSERT INTO feedback_daily_counts (workspace_id, dim, day, key, kind, score, items, resolved, resolved_in_sla)
SELECT f.workspace_id, k.dim, (f.received_at AT TIME ZONE 'UTC')::date, k.key, f.kind, f.score, count(*),
  count(*) FILTER (WHERE f.resolved_at IS NOT NULL), count(*) FILTER (WHERE f.resolved_at <= f.due_at)
FROM feedback_items f CROSS JOIN LATERAL (VALUES ('all', NULL), ('touchpoint', f.touchpoint), ('source', f.source),
  ('route', f.route), ('segment', f.segment)) k(dim, key)
GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO feedback_daily_durations (workspace_id, metric, day, bucket, items)
SELECT f.workspace_id, m.metric, (f.received_at AT TIME ZONE 'UTC')::date, m.bucket, count(*)
FROM feedback_items f CROSS JOIN LATERAL (VALUES
  ('claim', ((sign(date_part('epoch', claimed_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', claimed_at - created_at) / 60))))::int)),
  ('resolve', ((sign(date_part('epoch', resolved_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', resolved_at - created_at) / 60))))::int))
) m(metric, bucket)
WHERE m.bucket IS NOT NULL
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO feedback_daily_root_causes (workspace_id, day, root_cause, items)
SELECT f.workspace_id, (f.resolved_at AT TIME ZONE 'UTC')::date, f.root_cause, count(*)
FROM feedback_items f WHERE f.resolved_at IS NOT NULL AND f.root_cause IS NOT NULL
GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER feedback_items_segment BEFORE INSERT OR UPDATE OF customer_id ON feedback_items
  FOR EACH ROW EXECUTE FUNCTION feedback_items_fill_segment();
--> statement-breakpoint
CREATE TRIGGER customers_segment_ins AFTER INSERT ON customers REFERENCING NEW TABLE AS changed_customers
  FOR EACH STATEMENT EXECUTE FUNCTION customers_sync_segment();
--> statement-breakpoint
CREATE TRIGGER customers_segment_upd AFTER UPDATE ON customers REFERENCING NEW TABLE AS changed_customers
  FOR EACH STATEMENT EXECUTE FUNCTION customers_sync_segment();
--> statement-breakpoint
CREATE TRIGGER feedback_items_rollup_ins AFTER INSERT ON feedback_items REFERENCING NEW TABLE AS changed_items
  FOR EACH STATEMENT EXECUTE FUNCTION feedback_items_rollup('1');
--> statement-breakpoint
CREATE TRIGGER feedback_items_rollup_del AFTER DELETE ON feedback_items REFERENCING OLD TABLE AS changed_items
  FOR EACH STATEMENT EXECUTE FUNCTION feedback_items_rollup('-1');
--> statement-breakpoint
CREATE TRIGGER feedback_items_rollup_upd AFTER UPDATE ON feedback_items REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION feedback_items_rollup_update();
--> statement-breakpoint
CREATE TRIGGER feedback_items_rollup_truncate AFTER TRUNCATE ON feedback_items
  FOR EACH STATEMENT EXECUTE FUNCTION feedback_items_rollup_truncate();

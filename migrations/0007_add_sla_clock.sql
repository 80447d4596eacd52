ALTER TABLE "feedback_items" ADD COLUMN "priority" text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD COLUMN "remind_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD COLUMN "escalate_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD COLUMN "sla_cycle" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Items stored before this migration: the reminder at 75% of their window, escalation 2 h after
-- they arrived, and the cycle from their reopen count.
UPDATE "feedback_items" f SET
  "remind_at" = f."due_at" - (f."due_at" - f."created_at") / 4,
  "escalate_at" = f."created_at" + interval '2 hours',
  "sla_cycle" = (SELECT count(*) FROM "feedback_events" e WHERE e."item_id" = f."id" AND e."type" = 'reopened');--> statement-breakpoint
ALTER TABLE "feedback_items" ALTER COLUMN "remind_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback_items" ALTER COLUMN "escalate_at" SET NOT NULL;--> statement-breakpoint
-- The SLA sweeper starts with this version: notices whose time had already come are marked sent,
-- so an upgrade does not flood the champion channel with every old item at once.
INSERT INTO "sla_notices" ("workspace_id", "item_id", "kind", "cycle")
SELECT f."workspace_id", f."id", k.kind, f."sla_cycle"
FROM "feedback_items" f
CROSS JOIN LATERAL (VALUES
  ('unclaimed', f."escalate_at"), ('reminder', f."remind_at"), ('overdue', f."due_at")) AS k(kind, at)
WHERE f."status" <> 'resolved' AND k.at <= now()
ON CONFLICT DO NOTHING;--> statement-breakpoint
CREATE INDEX "feedback_items_sla_escalate_idx" ON "feedback_items" USING btree ("escalate_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "feedback_items_sla_remind_idx" ON "feedback_items" USING btree ("remind_at") WHERE status = 'claimed';--> statement-breakpoint
CREATE INDEX "feedback_items_sla_due_idx" ON "feedback_items" USING btree ("due_at") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "feedback_items_ws_route_idx" ON "feedback_items" USING btree ("workspace_id","route","created_at");

DROP INDEX "feedback_items_ws_status_due_idx";--> statement-breakpoint
DROP INDEX "feedback_items_sla_escalate_idx";--> statement-breakpoint
DROP INDEX "feedback_items_sla_remind_idx";--> statement-breakpoint
DROP INDEX "feedback_items_sla_due_idx";--> statement-breakpoint
ALTER TABLE "feedback_items" ADD COLUMN "history" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "feedback_items_ws_status_due_idx" ON "feedback_items" USING btree ("workspace_id","status","due_at") WHERE not history;--> statement-breakpoint
CREATE INDEX "feedback_items_sla_escalate_idx" ON "feedback_items" USING btree ("escalate_at") WHERE status = 'open' and not history;--> statement-breakpoint
CREATE INDEX "feedback_items_sla_remind_idx" ON "feedback_items" USING btree ("remind_at") WHERE status = 'claimed' and not history;--> statement-breakpoint
CREATE INDEX "feedback_items_sla_due_idx" ON "feedback_items" USING btree ("due_at") WHERE status <> 'resolved' and not history;
DROP INDEX "feedback_items_ws_kind_received_idx";--> statement-breakpoint
DROP INDEX "feedback_items_ws_resolved_idx";--> statement-breakpoint
CREATE INDEX "feedback_items_scores_idx" ON "feedback_items" USING btree ("workspace_id","kind","received_at","score","created_at","claimed_at","resolved_at","due_at");--> statement-breakpoint
CREATE INDEX "feedback_items_ws_resolved_cause_idx" ON "feedback_items" USING btree ("workspace_id","resolved_at","root_cause");
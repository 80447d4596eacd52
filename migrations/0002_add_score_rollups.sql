CREATE TABLE "feedback_daily_counts" (
	"workspace_id" uuid NOT NULL,
	"dim" text NOT NULL,
	"day" date NOT NULL,
	"key" text,
	"kind" text NOT NULL,
	"score" integer,
	"items" integer NOT NULL,
	"resolved" integer NOT NULL,
	"resolved_in_sla" integer NOT NULL,
	CONSTRAINT "feedback_daily_counts_uq" UNIQUE NULLS NOT DISTINCT("workspace_id","dim","day","key","kind","score")
);
--> statement-breakpoint
CREATE TABLE "feedback_daily_durations" (
	"workspace_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"bucket" integer NOT NULL,
	"items" integer NOT NULL,
	CONSTRAINT "feedback_daily_durations_uq" UNIQUE("workspace_id","metric","day","bucket")
);
--> statement-breakpoint
CREATE TABLE "feedback_daily_root_causes" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"root_cause" text NOT NULL,
	"items" integer NOT NULL,
	CONSTRAINT "feedback_daily_root_causes_uq" UNIQUE("workspace_id","day","root_cause")
);
--> statement-breakpoint
ALTER TABLE "feedback_items" ADD COLUMN "segment" text;--> statement-breakpoint
ALTER TABLE "feedback_daily_counts" ADD CONSTRAINT "feedback_daily_counts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_daily_durations" ADD CONSTRAINT "feedback_daily_durations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_daily_root_causes" ADD CONSTRAINT "feedback_daily_root_causes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_items_claim_bucket_idx" ON "feedback_items" USING btree ("workspace_id",((sign(date_part('epoch', claimed_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', claimed_at - created_at) / 60))))::int),"received_at","claimed_at","created_at") WHERE claimed_at is not null;--> statement-breakpoint
CREATE INDEX "feedback_items_resolve_bucket_idx" ON "feedback_items" USING btree ("workspace_id",((sign(date_part('epoch', resolved_at - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', resolved_at - created_at) / 60))))::int),"received_at","resolved_at","created_at") WHERE resolved_at is not null;
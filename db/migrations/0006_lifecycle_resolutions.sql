CREATE TABLE "item_resolutions" (
	"vault_id" text NOT NULL,
	"workload_type" text NOT NULL,
	"entity_name" text NOT NULL,
	"scenario" text NOT NULL,
	"job_id" text NOT NULL,
	"ended_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "item_resolutions_vault_id_workload_type_entity_name_scenario_pk" PRIMARY KEY("vault_id","workload_type","entity_name","scenario")
);
--> statement-breakpoint
CREATE INDEX "alerts_suppressed_idx" ON "alerts" USING btree ("suppressed_by") WHERE "alerts"."suppressed";

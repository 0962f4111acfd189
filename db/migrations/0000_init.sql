CREATE TABLE "alert_occurrences" (
	"vault_id" text NOT NULL,
	"job_id" text NOT NULL,
	"alert_id" uuid NOT NULL,
	"is_new" boolean NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "alert_occurrences_vault_id_job_id_pk" PRIMARY KEY("vault_id","job_id")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"vault_id" text NOT NULL,
	"scenario" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"workload_type" text NOT NULL,
	"entity_name" text NOT NULL,
	"job_id" text NOT NULL,
	"latest_job_id" text NOT NULL,
	"occurrences" integer DEFAULT 1 NOT NULL,
	"error_code" text,
	"error_message" text,
	"consolidation_key" text,
	"raised_at" timestamp (3) with time zone NOT NULL,
	"last_occurred_at" timestamp (3) with time zone NOT NULL,
	"inactivated_at" timestamp (3) with time zone,
	"inactivated_by" text
);
--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"vault_id" text NOT NULL,
	"recipients" jsonb NOT NULL,
	"alert_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"subject" text NOT NULL,
	"status" text DEFAULT 'Pending' NOT NULL,
	"provider_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"vault_id" text NOT NULL,
	"id" text NOT NULL,
	"workload_type" text NOT NULL,
	"operation" text NOT NULL,
	"trigger" text NOT NULL,
	"entity_name" text NOT NULL,
	"status" text NOT NULL,
	"listed" boolean NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"duration_ms" integer,
	"error_code" text,
	"error_message" text,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_vault_id_id_pk" PRIMARY KEY("vault_id","id")
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"vault_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"recipients" jsonb NOT NULL,
	"frequency" text NOT NULL,
	"request_id" text,
	"updated_by" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vaults" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"subscription_id" text,
	"contacts" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_active_key_idx" ON "alerts" USING btree ("vault_id","consolidation_key") WHERE "alerts"."status" = 'Active' and "alerts"."consolidation_key" is not null;--> statement-breakpoint
CREATE INDEX "alerts_list_idx" ON "alerts" USING btree ("vault_id","raised_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "alerts_active_severity_idx" ON "alerts" USING btree ("vault_id","severity") WHERE "alerts"."status" = 'Active';--> statement-breakpoint
CREATE UNIQUE INDEX "email_outbox_key_idx" ON "email_outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "email_outbox_vault_idx" ON "email_outbox" USING btree ("vault_id","created_at");--> statement-breakpoint
CREATE INDEX "jobs_list_idx" ON "jobs" USING btree ("vault_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "jobs"."listed";
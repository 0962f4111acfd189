CREATE TABLE IF NOT EXISTS "digest_entries" (
	"vault_id" text NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"alert_id" uuid NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp (3) with time zone,
	CONSTRAINT "digest_entries_vault_id_window_start_alert_id_pk" PRIMARY KEY("vault_id","window_start","alert_id")
);
--> statement-breakpoint
DROP TABLE IF EXISTS "email_outbox";
--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN IF NOT EXISTS "digest_interval_ms" bigint;

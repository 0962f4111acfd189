CREATE TABLE "alert_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"vault_id" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"action" text NOT NULL,
	"by" text NOT NULL,
	"job_id" text,
	"channel" text,
	"target" text,
	"delivery_id" uuid,
	"silence_id" uuid,
	"comment" text
);
--> statement-breakpoint
CREATE TABLE "audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"principal" text NOT NULL,
	"action" text NOT NULL,
	"vault_id" text,
	"target" text NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedup_key" text NOT NULL,
	"vault_id" text NOT NULL,
	"channel" text NOT NULL,
	"target" text NOT NULL,
	"webhook_id" uuid,
	"event" text NOT NULL,
	"alert_id" uuid,
	"alert_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"payload" jsonb,
	"status" text DEFAULT 'Pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"provider_id" text,
	"in_flight_since" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp (3) with time zone,
	"delivered_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "digest_windows" (
	"vault_id" text NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"window_end" timestamp (3) with time zone NOT NULL,
	"closed_at" timestamp (3) with time zone,
	"parts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "digest_windows_vault_id_window_start_pk" PRIMARY KEY("vault_id","window_start")
);
--> statement-breakpoint
CREATE TABLE "items" (
	"vault_id" text NOT NULL,
	"workload_type" text NOT NULL,
	"entity_name" text NOT NULL,
	"protection" text DEFAULT 'Protected' NOT NULL,
	"last_job_id" text,
	"last_job_at" timestamp (3) with time zone,
	"last_backup_job_id" text,
	"last_backup_status" text,
	"last_backup_ended_at" timestamp (3) with time zone,
	"last_successful_backup_at" timestamp (3) with time zone,
	"policy" jsonb,
	"policy_since" timestamp (3) with time zone,
	"last_missed_inactivated_at" timestamp (3) with time zone,
	"deadline_at" timestamp (3) with time zone,
	"open_critical" integer DEFAULT 0 NOT NULL,
	"open_warning" integer DEFAULT 0 NOT NULL,
	"open_informational" integer DEFAULT 0 NOT NULL,
	"health" text GENERATED ALWAYS AS (case when open_critical > 0 then 'Critical' when open_warning > 0 then 'Warning' when last_backup_status in ('Completed', 'CompletedWithWarnings') then 'Healthy' else 'Unknown' end) STORED,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_vault_id_workload_type_entity_name_pk" PRIMARY KEY("vault_id","workload_type","entity_name")
);
--> statement-breakpoint
CREATE TABLE "job_outcomes" (
	"vault_id" text NOT NULL,
	"job_id" text NOT NULL,
	"kind" text NOT NULL,
	"signal" jsonb NOT NULL,
	"claimed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"signalled_at" timestamp (3) with time zone,
	CONSTRAINT "job_outcomes_vault_id_job_id_pk" PRIMARY KEY("vault_id","job_id")
);
--> statement-breakpoint
CREATE TABLE "silences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"vault_id" text NOT NULL,
	"match" jsonb NOT NULL,
	"comment" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone,
	"rrule" text,
	"duration" text,
	"duration_ms" bigint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"vaults" jsonb,
	"secret_hash" text NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"vault_id" text NOT NULL,
	"url" text NOT NULL,
	"format" text DEFAULT 'standard' NOT NULL,
	"events" jsonb NOT NULL,
	"min_severity" text DEFAULT 'Informational' NOT NULL,
	"description" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret" text NOT NULL,
	"disabled_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
DROP INDEX "alerts_active_key_idx";--> statement-breakpoint
DROP INDEX "alerts_active_severity_idx";--> statement-breakpoint
ALTER TABLE "jobs" ALTER COLUMN "duration_ms" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "acknowledged_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "acknowledged_by" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "resolved_by_job_id" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "suppressed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "suppressed_by" uuid;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "min_severity" text DEFAULT 'Informational' NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "notify_on_resolved" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "weekly_report" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "vaults" ADD COLUMN "auto_resolve" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "vaults" ADD COLUMN "backup_policy" jsonb;--> statement-breakpoint
CREATE INDEX "alert_history_alert_idx" ON "alert_history" USING btree ("alert_id","id");--> statement-breakpoint
CREATE INDEX "audit_vault_idx" ON "audit" USING btree ("vault_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_dedup_idx" ON "deliveries" USING btree ("dedup_key");--> statement-breakpoint
CREATE INDEX "deliveries_list_idx" ON "deliveries" USING btree ("vault_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "deliveries_alert_idx" ON "deliveries" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "deliveries_pending_idx" ON "deliveries" USING btree ("created_at") WHERE "deliveries"."status" = 'Pending';--> statement-breakpoint
CREATE INDEX "items_health_idx" ON "items" USING btree ("vault_id","health","workload_type","entity_name");--> statement-breakpoint
CREATE INDEX "items_deadline_idx" ON "items" USING btree ("deadline_at") WHERE "items"."deadline_at" is not null;--> statement-breakpoint
CREATE INDEX "job_outcomes_unsignalled_idx" ON "job_outcomes" USING btree ("claimed_at") WHERE "job_outcomes"."signalled_at" is null;--> statement-breakpoint
CREATE INDEX "silences_vault_idx" ON "silences" USING btree ("vault_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_hash_idx" ON "tokens" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "webhooks_vault_idx" ON "webhooks" USING btree ("vault_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_key_idx" ON "alerts" USING btree ("vault_id","consolidation_key") WHERE "alerts"."status" in ('Active', 'Acknowledged') and "alerts"."consolidation_key" is not null;--> statement-breakpoint
CREATE INDEX "alerts_status_list_idx" ON "alerts" USING btree ("vault_id","status","raised_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "alerts_open_severity_idx" ON "alerts" USING btree ("vault_id","severity") WHERE "alerts"."status" in ('Active', 'Acknowledged');--> statement-breakpoint
CREATE INDEX "alerts_open_item_idx" ON "alerts" USING btree ("vault_id","workload_type","entity_name") WHERE "alerts"."status" in ('Active', 'Acknowledged');--> statement-breakpoint
-- Items keep their open alert counts by severity; a trigger so that no code path can forget them.
CREATE FUNCTION items_open_alert_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := TG_OP = 'UPDATE' AND OLD.status IN ('Active', 'Acknowledged');
  is_open boolean := NEW.status IN ('Active', 'Acknowledged');
  delta integer := (CASE WHEN is_open THEN 1 ELSE 0 END) - (CASE WHEN was_open THEN 1 ELSE 0 END);
BEGIN
  IF delta <> 0 THEN
    UPDATE items SET
      open_critical = open_critical + CASE WHEN NEW.severity = 'Critical' THEN delta ELSE 0 END,
      open_warning = open_warning + CASE WHEN NEW.severity = 'Warning' THEN delta ELSE 0 END,
      open_informational = open_informational + CASE WHEN NEW.severity = 'Informational' THEN delta ELSE 0 END
    WHERE vault_id = NEW.vault_id AND workload_type = NEW.workload_type AND entity_name = NEW.entity_name;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER alerts_items_open_counts AFTER INSERT OR UPDATE OF status ON alerts
  FOR EACH ROW EXECUTE FUNCTION items_open_alert_counts();
--> statement-breakpoint
-- Items seen before this migration: every job's item, with its open alerts counted.
INSERT INTO items (vault_id, workload_type, entity_name, last_job_at, created_at)
  SELECT vault_id, workload_type, entity_name, max(started_at), min(started_at) FROM jobs GROUP BY 1, 2, 3
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE items i SET
  open_critical = (SELECT count(*) FROM alerts a WHERE a.vault_id = i.vault_id AND a.workload_type = i.workload_type AND a.entity_name = i.entity_name AND a.status IN ('Active', 'Acknowledged') AND a.severity = 'Critical'),
  open_warning = (SELECT count(*) FROM alerts a WHERE a.vault_id = i.vault_id AND a.workload_type = i.workload_type AND a.entity_name = i.entity_name AND a.status IN ('Active', 'Acknowledged') AND a.severity = 'Warning');

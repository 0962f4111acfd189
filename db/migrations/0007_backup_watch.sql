ALTER TABLE "items" ADD COLUMN "protection_at" timestamp (3) with time zone;
--> statement-breakpoint
CREATE INDEX "items_vault_deadline_idx" ON "items" USING btree ("vault_id","deadline_at") WHERE "items"."deadline_at" is not null;
--> statement-breakpoint
CREATE TABLE "backup_watches" (
	"vault_id" text PRIMARY KEY NOT NULL,
	"wake_at" timestamp (3) with time zone,
	"vault_policy" jsonb,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- §2.5: an item's watch counts from its last inactivated BackupMissed alert. A trigger, so that
-- every way of inactivating (user, auto-resolve, any future path) moves the anchor.
CREATE FUNCTION items_missed_inactivated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.scenario = 'BackupMissed' AND NEW.status = 'Inactive' AND OLD.status IN ('Active', 'Acknowledged') THEN
    UPDATE items SET last_missed_inactivated_at = greatest(last_missed_inactivated_at, coalesce(NEW.inactivated_at, now()))
    WHERE vault_id = NEW.vault_id AND workload_type = NEW.workload_type AND entity_name = NEW.entity_name;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER alerts_items_missed_inactivated AFTER UPDATE OF status ON alerts
  FOR EACH ROW EXECUTE FUNCTION items_missed_inactivated();
--> statement-breakpoint
-- Items backfilled by 0003 only know their last job time: fill in what their jobs already say.
UPDATE items i SET last_job_id = l.id FROM (
  SELECT DISTINCT ON (vault_id, workload_type, entity_name) vault_id, workload_type, entity_name, id
  FROM jobs ORDER BY vault_id, workload_type, entity_name, started_at DESC
) l WHERE i.last_job_id IS NULL AND l.vault_id = i.vault_id AND l.workload_type = i.workload_type AND l.entity_name = i.entity_name;
--> statement-breakpoint
UPDATE items i SET last_backup_job_id = l.id, last_backup_status = l.status, last_backup_ended_at = l.ended_at FROM (
  SELECT DISTINCT ON (vault_id, workload_type, entity_name) vault_id, workload_type, entity_name, id, status, ended_at
  FROM jobs WHERE operation = 'Backup' AND ended_at IS NOT NULL ORDER BY vault_id, workload_type, entity_name, ended_at DESC
) l WHERE i.last_backup_job_id IS NULL AND l.vault_id = i.vault_id AND l.workload_type = i.workload_type AND l.entity_name = i.entity_name;
--> statement-breakpoint
UPDATE items i SET last_successful_backup_at = s.at FROM (
  SELECT vault_id, workload_type, entity_name, max(ended_at) AS at FROM jobs
  WHERE operation = 'Backup' AND status IN ('Completed', 'CompletedWithWarnings') GROUP BY 1, 2, 3
) s WHERE i.last_successful_backup_at IS NULL AND s.vault_id = i.vault_id AND s.workload_type = i.workload_type AND s.entity_name = i.entity_name;
--> statement-breakpoint
UPDATE items i SET protection = p.protection, protection_at = p.ended_at FROM (
  SELECT DISTINCT ON (vault_id, workload_type, entity_name) vault_id, workload_type, entity_name, ended_at,
    CASE WHEN operation LIKE 'StopProtection%' THEN 'Stopped' ELSE 'Protected' END AS protection
  FROM jobs WHERE status IN ('Completed', 'CompletedWithWarnings')
    AND operation IN ('StopProtectionRetainData', 'StopProtectionDeleteData', 'ConfigureBackup', 'Backup')
  ORDER BY vault_id, workload_type, entity_name, ended_at DESC
) p WHERE i.protection_at IS NULL AND p.vault_id = i.vault_id AND p.workload_type = i.workload_type AND p.entity_name = i.entity_name;
--> statement-breakpoint
-- The watch is new: for items already known its policy starts to apply now. "Look now" (deadline =
-- now) lets the watch compute each real deadline; the worker wakes every such vault when it starts.
UPDATE items i SET policy_since = coalesce(i.policy_since, now()), deadline_at = now()
  WHERE i.deadline_at IS NULL AND i.protection = 'Protected'
    AND ((i.policy IS NOT NULL AND NOT (i.policy ? 'disabled'))
      OR (i.policy IS NULL AND EXISTS (SELECT 1 FROM vaults v WHERE v.id = i.vault_id AND v.backup_policy IS NOT NULL AND jsonb_typeof(v.backup_policy) = 'object')));

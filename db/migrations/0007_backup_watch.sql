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

-- §4 list filters an admin uses to answer "what failed?" and "what happened to this item?": each
-- reads its page straight off an index in keyset order instead of walking the vault's whole list.
CREATE INDEX IF NOT EXISTS "deliveries_status_list_idx" ON "deliveries" USING btree ("vault_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "jobs_entity_list_idx" ON "jobs" USING btree ("vault_id","entity_name","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "jobs"."listed";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "alerts_entity_list_idx" ON "alerts" USING btree ("vault_id","entity_name","raised_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);
--> statement-breakpoint
-- The missed-backup watch asks, for a due item, whether a backup of it has an accepted successful
-- outcome its worker has not recorded yet (§2.5, §8): only in-flight jobs, so the index stays small.
CREATE INDEX IF NOT EXISTS "jobs_in_progress_item_idx" ON "jobs" USING btree ("vault_id","workload_type","entity_name") WHERE "jobs"."status" = 'InProgress';

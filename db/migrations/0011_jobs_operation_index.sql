-- §4 jobs list by operation ("which restores ran?", "who deleted backup data?"): the page is read
-- off the index in keyset order; other filters (workloadType, status) are applied while walking
-- that operation's jobs only, not the vault's whole list (the bench's AzureFiles restores walked
-- 4,300 rows for 50).
CREATE INDEX IF NOT EXISTS "jobs_operation_list_idx" ON "jobs" USING btree ("vault_id","operation","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "jobs"."listed";

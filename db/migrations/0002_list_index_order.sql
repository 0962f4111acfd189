DROP INDEX "alerts_list_idx";--> statement-breakpoint
DROP INDEX "jobs_list_idx";--> statement-breakpoint
CREATE INDEX "alerts_list_idx" ON "alerts" USING btree ("vault_id","raised_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_list_idx" ON "jobs" USING btree ("vault_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "jobs"."listed";
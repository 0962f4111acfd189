-- §2.8 reports: finished jobs per vault, UTC day, operation and status, kept by statement-level
-- triggers on jobs (transition tables: one aggregate per statement, so a bulk COPY costs one
-- upsert per group, not per row). A 90-day report then reads ~90 × groups rows instead of every job.
CREATE TABLE "job_day_counts" (
	"vault_id" text NOT NULL,
	"day" date NOT NULL,
	"operation" text NOT NULL,
	"status" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "job_day_counts_pk" PRIMARY KEY("vault_id","day","operation","status")
);
--> statement-breakpoint
CREATE FUNCTION job_day_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only finished jobs count; an InProgress → terminal update adds one, a delete subtracts one.
  -- ORDER BY locks counter rows in one order, so two bulk statements cannot deadlock.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO job_day_counts AS c (vault_id, day, operation, status, count)
      SELECT vault_id, (started_at AT TIME ZONE 'UTC')::date, operation, status, count(*) FROM new_rows
      WHERE status IN ('Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled')
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (vault_id, day, operation, status) DO UPDATE SET count = c.count + excluded.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO job_day_counts AS c (vault_id, day, operation, status, count)
      SELECT vault_id, day, operation, status, sum(n) FROM (
        SELECT vault_id, (started_at AT TIME ZONE 'UTC')::date AS day, operation, status, 1 AS n FROM new_rows
        WHERE status IN ('Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled')
        UNION ALL
        SELECT vault_id, (started_at AT TIME ZONE 'UTC')::date, operation, status, -1 FROM old_rows
        WHERE status IN ('Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled')
      ) d GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (vault_id, day, operation, status) DO UPDATE SET count = c.count + excluded.count;
  ELSE
    INSERT INTO job_day_counts AS c (vault_id, day, operation, status, count)
      SELECT vault_id, (started_at AT TIME ZONE 'UTC')::date, operation, status, -count(*) FROM old_rows
      WHERE status IN ('Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled')
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (vault_id, day, operation, status) DO UPDATE SET count = c.count + excluded.count;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER jobs_day_counts_insert AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_day_counts_apply();
--> statement-breakpoint
CREATE TRIGGER jobs_day_counts_update AFTER UPDATE ON jobs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_day_counts_apply();
--> statement-breakpoint
CREATE TRIGGER jobs_day_counts_delete AFTER DELETE ON jobs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_day_counts_apply();
--> statement-breakpoint
-- TRUNCATE fires no delete trigger: empty the rollup with it.
CREATE FUNCTION job_day_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE job_day_counts;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER jobs_day_counts_truncate AFTER TRUNCATE ON jobs FOR EACH STATEMENT EXECUTE FUNCTION job_day_counts_truncate();
--> statement-breakpoint
INSERT INTO job_day_counts (vault_id, day, operation, status, count)
  SELECT vault_id, (started_at AT TIME ZONE 'UTC')::date, operation, status, count(*) FROM jobs
  WHERE status IN ('Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled') GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- The partial first and last day of a period are counted from jobs themselves (index-only).
CREATE INDEX "jobs_report_idx" ON "jobs" USING btree ("vault_id","started_at") INCLUDE ("operation","status");--> statement-breakpoint
-- Top failing items: Failed backups only, a few percent of the jobs.
CREATE INDEX "jobs_failed_backup_idx" ON "jobs" USING btree ("vault_id","started_at") INCLUDE ("workload_type","entity_name") WHERE "jobs"."operation" = 'Backup' AND "jobs"."status" = 'Failed';--> statement-breakpoint
-- Alerts raised in a period, with everything the report counts, read without touching the heap.
CREATE INDEX "alerts_report_idx" ON "alerts" USING btree ("vault_id","raised_at") INCLUDE ("severity","scenario","workload_type","entity_name","inactivated_at");

-- Proposal, not applied by default: the list indexes in the order the API's queries ask for.
-- drizzle's `.desc()` in db/schema/ emits `DESC NULLS LAST`, while the queries' `ORDER BY x DESC`
-- means `DESC NULLS FIRST`, so Postgres cannot read a page off the index and sorts the whole
-- vault instead. `.desc().nullsFirst()` in db/schema/ (plus `npm run db:generate`) gives this.
-- Try it: npm run bench -- --phases c --sql-after-migrate bench/experiments/list-indexes-nulls-first.sql
DROP INDEX IF EXISTS jobs_list_idx;
CREATE INDEX jobs_list_idx ON jobs USING btree (vault_id, started_at DESC, id DESC) WHERE listed;
DROP INDEX IF EXISTS alerts_list_idx;
CREATE INDEX alerts_list_idx ON alerts USING btree (vault_id, raised_at DESC, id DESC);

import { and, desc, eq, getTableColumns, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { jobs, vaults } from '../db/schema';
import type { Job } from '../domain/types';
import type { AcceptedOutcome } from './job-outcomes';
import { keysetPage, olderThan, type Cursor } from './cursor';
import { vaultExists } from './vaults';

type JobRow = typeof jobs.$inferSelect;

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    vaultId: row.vaultId,
    workloadType: row.workloadType as Job['workloadType'],
    operation: row.operation as Job['operation'],
    trigger: row.trigger as Job['trigger'],
    entityName: row.entityName,
    status: row.status as Job['status'],
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    durationMs: row.durationMs,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    warnings: row.warnings,
  };
}

export interface JobFilter {
  status?: string;
  operation?: string;
  workloadType?: string;
  entityName?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor: Cursor | null;
}

export async function findJob(db: Database, vaultId: string, jobId: string): Promise<Job | null> {
  const [row] = await db.select().from(jobs).where(and(eq(jobs.vaultId, vaultId), eq(jobs.id, jobId)));
  return row ? jobFromRow(row) : null;
}

/**
 * POST …/jobs in one statement: whether the vault exists and, for a caller's jobId, the job stored
 * under it (null when none, or without a jobId).
 */
export async function findVaultAndJob(db: Database, vaultId: string, jobId: string | undefined): Promise<{ vault: boolean; job: Job | null }> {
  const sameJob = jobId === undefined ? sql`false` : and(eq(jobs.vaultId, vaults.id), eq(jobs.id, jobId));
  const [row] = await db.select({ vaultId: vaults.id, job: jobs }).from(vaults).leftJoin(jobs, sameJob).where(eq(vaults.id, vaultId));
  return { vault: row !== undefined, job: row?.job ? jobFromRow(row.job) : null };
}

// The job's columns and, while it is InProgress, the outcome the API accepted for it (a
// correlated primary-key lookup, evaluated for those rows only).
const withAccepted = {
  ...getTableColumns(jobs),
  accepted: sql<AcceptedOutcome | null>`case when ${jobs.status} = 'InProgress' then (
    select jsonb_build_object('kind', o.kind, 'signal', o.signal) from job_outcomes o
    where o.vault_id = ${jobs.vaultId} and o.job_id = ${jobs.id}) end`,
};

/** One statement: the stored job and its accepted, unrecorded outcome (null when none). */
export async function findJobAndAccepted(db: Database, vaultId: string, jobId: string): Promise<{ job: Job; accepted: AcceptedOutcome | null } | null> {
  const [row] = await db.select(withAccepted).from(jobs).where(and(eq(jobs.vaultId, vaultId), eq(jobs.id, jobId)));
  return row ? { job: jobFromRow(row), accepted: row.accepted } : null;
}


/**
 * Listed jobs, newest first, by keyset on (startedAt, id) so pages stay stable under inserts, with
 * the accepted outcomes of the InProgress ones read in the same statement.
 */
export async function listJobs(db: Database, vaultId: string, filter: JobFilter) {
  const conditions: (SQL | undefined)[] = [eq(jobs.vaultId, vaultId), eq(jobs.listed, true), vaultExists(vaultId)];
  if (filter.status) conditions.push(eq(jobs.status, filter.status));
  if (filter.operation) conditions.push(eq(jobs.operation, filter.operation));
  if (filter.workloadType) conditions.push(eq(jobs.workloadType, filter.workloadType));
  if (filter.entityName) conditions.push(eq(jobs.entityName, filter.entityName));
  if (filter.from) conditions.push(gte(jobs.startedAt, filter.from));
  if (filter.to) conditions.push(lt(jobs.startedAt, filter.to));
  if (filter.cursor) conditions.push(olderThan(jobs.startedAt, jobs.id, filter.cursor));
  const rows = await db
    .select(withAccepted)
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.startedAt), desc(jobs.id))
    .limit(filter.limit + 1);
  const accepted = new Map(rows.flatMap((row) => (row.accepted ? [[row.id, row.accepted] as const] : [])));
  return { ...keysetPage(rows, filter.limit, jobFromRow, (row) => ({ at: row.startedAt, id: row.id })), accepted };
}

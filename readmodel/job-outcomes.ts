// The permanent record of accepted job outcomes (§8). A claim is the durable "202": exactly one per
// job, ever. `signalledAt` says the outcome reached the job's workflow; claims without it are
// re-signalled by the worker's sweeper, so a crash between the claim and the signal loses nothing.
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { jobOutcomes } from '../db/schema';
import type { CancelJobSignal, CompleteJobSignal } from '../workflows/definitions';

/** What was accepted: a completion or a cancellation, with the signal its workflow gets. */
export type AcceptedOutcome = { kind: 'complete'; signal: CompleteJobSignal } | { kind: 'cancel'; signal: CancelJobSignal };
export type OutcomeClaim = { vaultId: string; jobId: string } & AcceptedOutcome;

type ClaimRow = typeof jobOutcomes.$inferSelect;
const claimOf = (row: ClaimRow) => ({ vaultId: row.vaultId, jobId: row.jobId, kind: row.kind, signal: row.signal }) as unknown as OutcomeClaim;

/**
 * One round trip for the hot path: whether the vault exists (no claim without it: the route answers
 * 404), the job's status (null: no row) and whether this call won the claim. A terminal job is never
 * claimed; concurrent claims meet on the primary key.
 */
export async function claimUnlessEnded(db: DbOrTx, claim: OutcomeClaim): Promise<{ vault: boolean; status: string | null; claimed: boolean }> {
  const rows = await db.execute<{ vault: boolean; status: string | null; claimed: number }>(sql`
    with vault as (select 1 from vaults where id = ${claim.vaultId}),
    job as (select status from jobs where vault_id = ${claim.vaultId} and id = ${claim.jobId}),
    won as (
      insert into job_outcomes (vault_id, job_id, kind, signal)
      select ${claim.vaultId}, ${claim.jobId}, ${claim.kind}, ${JSON.stringify(claim.signal)}::jsonb
      where exists (select 1 from vault) and not exists (select 1 from job where status <> 'InProgress')
      on conflict do nothing
      returning 1
    )
    select exists (select 1 from vault) as vault, (select status from job) as status, (select count(*) from won)::int as claimed`);
  const [row] = rows as unknown as { vault: boolean; status: string | null; claimed: number }[];
  return { vault: row?.vault === true, status: row?.status ?? null, claimed: (row?.claimed ?? 0) > 0 };
}

/** Undoes a claim that can never reach a workflow (the job is unknown to Temporal too). */
export async function releaseClaim(db: DbOrTx, vaultId: string, jobId: string): Promise<void> {
  await db.delete(jobOutcomes).where(and(eq(jobOutcomes.vaultId, vaultId), eq(jobOutcomes.jobId, jobId), isNull(jobOutcomes.signalledAt)));
}

export async function markSignalled(db: DbOrTx, vaultId: string, jobId: string): Promise<void> {
  await db.update(jobOutcomes).set({ signalledAt: sql`now()` })
    .where(and(eq(jobOutcomes.vaultId, vaultId), eq(jobOutcomes.jobId, jobId), isNull(jobOutcomes.signalledAt)));
}

/** Claims older than `olderThanMs` that no one has signalled yet, oldest first (partial index). */
export async function unsignalledClaims(db: DbOrTx, olderThanMs: number, limit: number): Promise<OutcomeClaim[]> {
  const rows = await db.select().from(jobOutcomes)
    .where(and(isNull(jobOutcomes.signalledAt), lt(jobOutcomes.claimedAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`)))
    .orderBy(asc(jobOutcomes.claimedAt))
    .limit(limit);
  return rows.map(claimOf);
}

/**
 * §2.5 with §8: for each given item, the latest successful Backup outcome the API has accepted but
 * no worker has recorded yet (workers down, or behind). It is a success already: the watch must not
 * call the backup missed because the worker that would record it was away. Keyed `workloadType/entityName`.
 */
export async function acceptedUnrecordedSuccesses(
  db: DbOrTx, vaultId: string, keys: readonly { workloadType: string; entityName: string }[],
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const wanted = JSON.stringify(keys.map((k) => ({ w: k.workloadType, e: k.entityName })));
  const rows = await db.execute<{ w: string; e: string; at: string }>(sql`
    select j.workload_type as w, j.entity_name as e, max((o.signal->>'endedAt')::timestamptz)::text as at
    from jsonb_to_recordset(${wanted}::jsonb) as k(w text, e text)
    join jobs j on j.vault_id = ${vaultId} and j.status = 'InProgress' and j.workload_type = k.w and j.entity_name = k.e
    join job_outcomes o on o.vault_id = j.vault_id and o.job_id = j.id
    where j.operation = 'Backup' and o.kind = 'complete' and o.signal->>'status' in ('Completed', 'CompletedWithWarnings')
    group by 1, 2`);
  return new Map((rows as unknown as { w: string; e: string; at: string }[]).map((r) => [`${r.w}/${r.e}`, Date.parse(r.at)]));
}

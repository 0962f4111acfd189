// The permanent record of accepted job outcomes (§8). A claim is the durable "202": exactly one per
// job, ever. `signalledAt` says the outcome reached the job's workflow; claims without it are
// re-signalled by the worker's sweeper, so a crash between the claim and the signal loses nothing.
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { jobOutcomes } from '../db/schema';
import type { CancelJobSignal, CompleteJobSignal } from '../workflows/definitions';

export type OutcomeClaim =
  | { vaultId: string; jobId: string; kind: 'complete'; signal: CompleteJobSignal }
  | { vaultId: string; jobId: string; kind: 'cancel'; signal: CancelJobSignal };

/** True when this call won the outcome; false when one was accepted before (then: 409). */
export async function claimOutcome(db: DbOrTx, claim: OutcomeClaim): Promise<boolean> {
  const rows = await db
    .insert(jobOutcomes)
    .values({ vaultId: claim.vaultId, jobId: claim.jobId, kind: claim.kind, signal: claim.signal as unknown as Record<string, unknown> })
    .onConflictDoNothing()
    .returning({ jobId: jobOutcomes.jobId });
  return rows.length > 0;
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
  return rows.map((row) => ({ vaultId: row.vaultId, jobId: row.jobId, kind: row.kind, signal: row.signal }) as unknown as OutcomeClaim);
}

export async function findClaim(db: DbOrTx, vaultId: string, jobId: string): Promise<OutcomeClaim | null> {
  const [row] = await db.select().from(jobOutcomes).where(and(eq(jobOutcomes.vaultId, vaultId), eq(jobOutcomes.jobId, jobId)));
  return row ? ({ vaultId, jobId, kind: row.kind, signal: row.signal } as unknown as OutcomeClaim) : null;
}

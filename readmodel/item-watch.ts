// The write side of protected items (§2.5): what jobs and policies change on an item, and the
// `deadline_at` the vault's watch sleeps on. Every writer takes the caller's transaction and is
// idempotent, so retried activities and repeated API calls converge on the same row.
import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { alerts, backupWatches, items, vaults } from '../db/schema';
import { missedBackupKey, nextCheckAt, policyInForce, samePolicy, type WatchFacts } from '../domain/missed-backup';
import type { BackupPolicy, ItemPolicy } from '../domain/model';
import { OPEN_ALERT_STATUSES, type Job, type Protection } from '../domain/types';
import { vaultBackupPolicy, vaultPolicySql, type ItemKey } from './items';

type ItemRow = typeof items.$inferSelect;

export function watchFacts(row: ItemRow, vaultPolicy: BackupPolicy | null, missedOpen: boolean, acceptedSuccessAt: number | null = null): WatchFacts {
  return {
    acceptedSuccessAt,
    protection: row.protection as Protection,
    itemPolicy: row.policy ?? null,
    vaultPolicy,
    lastSuccessfulBackupAt: row.lastSuccessfulBackupAt?.getTime() ?? null,
    // Items backfilled by migration 0003 have no policySince: they count from when they were first seen.
    policySince: (row.policySince ?? row.createdAt).getTime(),
    lastMissedInactivatedAt: row.lastMissedInactivatedAt?.getTime() ?? null,
    missedOpen,
  };
}

const itemWhere = (key: ItemKey) =>
  and(eq(items.vaultId, key.vaultId), eq(items.workloadType, key.workloadType), eq(items.entityName, key.entityName));

/** The keys (missedBackupKey) of the given items that have an open BackupMissed alert. */
export async function openMissedKeys(db: DbOrTx, vaultId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .select({ key: alerts.consolidationKey })
    .from(alerts)
    .where(and(eq(alerts.vaultId, vaultId), inArray(alerts.consolidationKey, keys), inArray(alerts.status, [...OPEN_ALERT_STATUSES])));
  return new Set(rows.map((r) => r.key!));
}

/**
 * Recomputes the item's `deadline_at` under its row lock. Returns true when the vault's watch must
 * be woken: the deadline moved earlier than the time the watch sleeps until. Reading `wake_at`
 * under a share lock orders this against the watch's own re-arm (which takes it exclusively).
 */
export async function refreshItemDeadline(
  tx: DbOrTx, key: ItemKey, now: Date, locked?: { row: ItemRow; vaultPolicy: BackupPolicy | null },
): Promise<boolean> {
  const row = locked?.row ?? (await tx.select().from(items).where(itemWhere(key)).for('update'))[0];
  if (!row) return false;
  const vaultPolicy = locked ? locked.vaultPolicy : await vaultBackupPolicy(tx, key.vaultId);
  // Unwatched items (no policy, opted out, Stopped: most items of most vaults) need no alert lookup.
  const watched = row.protection === 'Protected' && policyInForce(row.policy ?? null, vaultPolicy) !== null;
  const mk = missedBackupKey(key.vaultId, key.workloadType, key.entityName);
  const missedOpen = watched && (await openMissedKeys(tx, key.vaultId, [mk])).has(mk);
  const next = nextCheckAt(watchFacts(row, vaultPolicy, missedOpen), now.getTime());
  const previous = row.deadlineAt?.getTime() ?? null;
  if (next === previous) return false;
  await tx.update(items).set({ deadlineAt: next === null ? null : new Date(next), updatedAt: now }).where(itemWhere(key));
  if (next === null || (previous !== null && next >= previous)) return false;
  return wakeNeeded(tx, key.vaultId, next);
}

async function wakeNeeded(tx: DbOrTx, vaultId: string, deadline: number): Promise<boolean> {
  await ensureWatchRow(tx, vaultId);
  const [watch] = await tx.select({ wakeAt: backupWatches.wakeAt }).from(backupWatches).where(eq(backupWatches.vaultId, vaultId)).for('share');
  return !watch?.wakeAt || deadline < watch.wakeAt.getTime();
}

/** The watch row starts with the vault default in force, so that re-saving it changes nothing. */
export async function ensureWatchRow(tx: DbOrTx, vaultId: string): Promise<void> {
  await tx.execute(sql`insert into backup_watches (vault_id, vault_policy)
    select ${vaultId}, (select backup_policy from vaults where id = ${vaultId}) on conflict do nothing`);
}

/** Upserts the item a job belongs to (first seen: its policy starts to apply). */
async function upsertItem(tx: DbOrTx, job: Job, now: Date): Promise<boolean> {
  const startedAt = new Date(job.startedAt);
  const [row] = await tx
    .insert(items)
    .values({
      vaultId: job.vaultId, workloadType: job.workloadType, entityName: job.entityName,
      lastJobId: job.id, lastJobAt: startedAt, policySince: now, createdAt: now, updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [items.vaultId, items.workloadType, items.entityName],
      set: {
        lastJobId: sql`case when ${items.lastJobAt} is null or excluded.last_job_at >= ${items.lastJobAt} then excluded.last_job_id else ${items.lastJobId} end`,
        lastJobAt: sql`greatest(${items.lastJobAt}, excluded.last_job_at)`,
      },
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  return row?.inserted ?? false;
}

/** recordJobStarted: the item is known from its first job. Returns whether to wake the watch. */
export async function recordItemJobStarted(tx: DbOrTx, job: Job, now: Date): Promise<boolean> {
  const inserted = await upsertItem(tx, job, now);
  return inserted ? refreshItemDeadline(tx, job, now) : false;
}

const SUCCESS = ['Completed', 'CompletedWithWarnings'];

/** Which protection a finished job leaves its item in, if it changes it (§2.5). */
export function protectionAfter(job: Pick<Job, 'operation' | 'status'>): Protection | null {
  if (!SUCCESS.includes(job.status)) return null;
  if (job.operation === 'StopProtectionRetainData' || job.operation === 'StopProtectionDeleteData') return 'Stopped';
  if (job.operation === 'ConfigureBackup' || job.operation === 'Backup') return 'Protected';
  return null;
}

/**
 * recordJobFinished: last backup (by end time, so a late report of an older job changes nothing),
 * last success (the max), protection (ordered by end time too) and the deadline they imply.
 */
export async function recordItemJobFinished(tx: DbOrTx, job: Job, now: Date): Promise<boolean> {
  if (!job.endedAt) return false;
  const ended = new Date(job.endedAt);
  const endedSql = sql`${ended.toISOString()}::timestamptz`;
  const isBackup = job.operation === 'Backup';
  const success = SUCCESS.includes(job.status);
  const protection = protectionAfter(job);
  const latestBackup = sql`(${isBackup} and (${items.lastBackupEndedAt} is null or ${items.lastBackupEndedAt} <= ${endedSql}))`;
  const protectionApplies = sql`(${protection}::text is not null and (${items.protectionAt} is null or ${items.protectionAt} <= ${endedSql}))`;
  const update = () => tx.update(items).set({
    lastBackupJobId: sql`case when ${latestBackup} then ${job.id} else ${items.lastBackupJobId} end`,
    lastBackupStatus: sql`case when ${latestBackup} then ${job.status} else ${items.lastBackupStatus} end`,
    lastBackupEndedAt: sql`case when ${latestBackup} then ${endedSql} else ${items.lastBackupEndedAt} end`,
    lastSuccessfulBackupAt: isBackup && success ? sql`greatest(${items.lastSuccessfulBackupAt}, ${endedSql})` : sql`${items.lastSuccessfulBackupAt}`,
    // Resuming protection starts the policy afresh: a Stopped item was not watched meanwhile.
    policySince: sql`case when ${protectionApplies} and ${protection} = 'Protected' and ${items.protection} = 'Stopped' then ${now.toISOString()}::timestamptz else ${items.policySince} end`,
    protection: sql`case when ${protectionApplies} then ${protection}::text else ${items.protection} end`,
    protectionAt: sql`case when ${protectionApplies} then ${endedSql} else ${items.protectionAt} end`,
    updatedAt: now,
  }).where(itemWhere(job)).returning({
    ...getTableColumns(items),
    vaultPolicy: vaultPolicySql(job.vaultId),
  });
  // One round trip in the common case (recordJobStarted made the item): the UPDATE holds the row
  // lock and returns the row as it now is, with the vault's default policy.
  let [updated] = await update();
  if (!updated) {
    await upsertItem(tx, job, now); // its start was never recorded as an item (a job older than the items)
    [updated] = await update();
  }
  if (!updated) return false;
  const { vaultPolicy, ...row } = updated;
  return refreshItemDeadline(tx, job, now, { row, vaultPolicy: vaultPolicy ?? null });
}

/**
 * PUT/DELETE …/policy: `null` restores the vault default. The policy starts to apply now only if
 * what is in force changed, so re-sending the same PUT does not push the deadline back.
 * Returns false when the item is unknown.
 */
export async function setItemPolicy(tx: DbOrTx, key: ItemKey, policy: ItemPolicy | null, now: Date): Promise<boolean> {
  const [row] = await tx.select().from(items).where(itemWhere(key)).for('update');
  if (!row) return false;
  const vaultPolicy = await vaultBackupPolicy(tx, key.vaultId);
  const changed = !samePolicy(policyInForce(row.policy ?? null, vaultPolicy), policyInForce(policy, vaultPolicy));
  await tx.update(items).set({ policy, ...(changed ? { policySince: now } : {}), updatedAt: now }).where(itemWhere(key));
  await refreshItemDeadline(tx, key, now);
  return true;
}

/**
 * PUT /v1/vaults/{id} with a backupPolicy: when the default in force changed, it starts to apply
 * now to every item without its own policy. Their deadlines are marked due now so that the watch
 * recomputes them in batches (100,000 items are one UPDATE here, not 100,000 round trips).
 * Returns true when the default changed and the watch must be woken.
 */
export async function applyVaultPolicy(db: DbOrTx, vaultId: string, policy: BackupPolicy | null, now: Date): Promise<boolean> {
  const [watch] = await db.select({ vaultPolicy: backupWatches.vaultPolicy }).from(backupWatches).where(eq(backupWatches.vaultId, vaultId));
  if (watch && samePolicy(policyInForce(null, watch.vaultPolicy ?? null), policyInForce(null, policy))) return false;
  const [vault] = await db.select({ id: vaults.id }).from(vaults).where(eq(vaults.id, vaultId));
  if (!vault) return false;
  // Items first, then the watch row: the same lock order as the job activities (no deadlock).
  await db.update(items)
    .set({ policySince: now, deadlineAt: sql`case when ${items.protection} = 'Protected' then ${now.toISOString()}::timestamptz else null end`, updatedAt: now })
    .where(and(eq(items.vaultId, vaultId), sql`${items.policy} is null`));
  await db.insert(backupWatches).values({ vaultId, vaultPolicy: policy, updatedAt: now })
    .onConflictDoUpdate({ target: backupWatches.vaultId, set: { vaultPolicy: policy, updatedAt: now } });
  return true;
}

import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { silences } from '../db/schema';
import { occurrenceAt, silenceMatches, silenceStatus, type SilenceSubject } from '../domain/silences';
import type { SilenceMatch } from '../domain/model';

export type SilenceCandidate = SilenceSubject;
type SilenceRow = typeof silences.$inferSelect;

export function silenceFromRow(row: SilenceRow, now: Date) {
  return {
    id: row.id,
    match: row.match,
    comment: row.comment,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    rrule: row.rrule,
    duration: row.duration,
    status: silenceStatus(row, now),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}
export type SilenceView = ReturnType<typeof silenceFromRow>;

/** Rows that may still be in force at `at` (not deleted before, not ended before); status is decided in code. */
function liveRows(db: DbOrTx, vaultId: string, at: Date) {
  const iso = at.toISOString();
  return db.select().from(silences).where(and(
    eq(silences.vaultId, vaultId),
    or(isNull(silences.deletedAt), sql`${silences.deletedAt} > ${iso}::timestamptz`),
    or(isNull(silences.endsAt), sql`${silences.endsAt} > ${iso}::timestamptz`),
    sql`${silences.startsAt} <= ${iso}::timestamptz`,
  ));
}

/**
 * §2.7: the id of a silence of the vault active at `at` whose match covers the alert, else null.
 * Inside a transaction the candidates are locked FOR SHARE: a release (which locks its silence FOR
 * UPDATE) then either sees this alert or is seen by it, so nothing stays suppressed past a release.
 * Pass `at` as a thunk to read the clock after the locks are granted.
 */
export async function findSuppressingSilence(
  db: DbOrTx, vaultId: string, alert: SilenceCandidate, at: Date | (() => Date), options: { lock?: boolean; except?: string } = {},
): Promise<string | null> {
  const probe = typeof at === 'function' ? at() : at;
  const query = liveRows(db, vaultId, probe);
  const rows = options.lock ? await query.orderBy(silences.id).for('share') : await query.orderBy(silences.id);
  const now = typeof at === 'function' ? at() : at;
  return suppressingIn(rows.filter((row) => row.id !== options.except), alert, now);
}

/** The first of `rows` whose match covers the alert and which is in force at `at`. */
const suppressingIn = (rows: readonly SilenceRow[], alert: SilenceCandidate, at: Date): string | null =>
  rows.find((row) => silenceMatches(row.match as SilenceMatch, alert) && occurrenceAt(row, at) !== null)?.id ?? null;

/** The same for several alerts at one instant (no locks): one read of the vault's silences. */
export async function findSuppressingSilences(db: DbOrTx, vaultId: string, alerts: readonly SilenceCandidate[], at: Date): Promise<(string | null)[]> {
  if (alerts.length === 0) return [];
  const rows = await liveRows(db, vaultId, at).orderBy(silences.id);
  return alerts.map((alert) => suppressingIn(rows, alert, at));
}

export async function findSilence(db: DbOrTx, vaultId: string, silenceId: string) {
  const [row] = await db.select().from(silences).where(and(eq(silences.vaultId, vaultId), eq(silences.id, silenceId)));
  return row ?? null;
}

/** The vault's silence rows, newest first (at most 500). */
export function listSilenceRows(db: DbOrTx, vaultId: string) {
  return db.select().from(silences).where(eq(silences.vaultId, vaultId)).orderBy(desc(silences.createdAt), desc(silences.id)).limit(500);
}

/** The vault's silences, newest first (at most 500), optionally by computed status. */
export async function listSilences(db: DbOrTx, vaultId: string, now: Date, status?: string): Promise<SilenceView[]> {
  const views = (await listSilenceRows(db, vaultId)).map((row) => silenceFromRow(row, now));
  return status ? views.filter((view) => view.status === status) : views;
}

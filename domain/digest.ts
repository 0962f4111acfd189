import { isOpenStatus, type AlertStatus, type Severity } from './types';

export interface DigestWindow {
  startMs: number;
  endMs: number;
}

/**
 * The window `[k·I, (k+1)·I)` containing `atMs`, counted from the Unix epoch (§4) so that every
 * worker, and every continued-as-new run, agrees on the boundaries without shared state.
 */
export function digestWindow(atMs: number, intervalMs: number): DigestWindow {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`digest interval must be a positive whole number of ms, got ${intervalMs}`);
  }
  if (!Number.isFinite(atMs)) throw new RangeError(`digest instant must be finite, got ${atMs}`);
  const startMs = Math.floor(atMs / intervalMs) * intervalMs;
  return { startMs, endMs: startMs + intervalMs };
}

export interface DigestEntry {
  id: string;
  raisedAt: Date;
  status: AlertStatus;
  /** Held by an active maintenance window (§2.7): its release notifies it later, not this digest. */
  suppressed: boolean;
  severity: Severity;
}

export type DigestContents<T extends DigestEntry> =
  | { send: true; reason: 'OpenAlertsInWindow'; alerts: T[] }
  | { send: false; reason: 'EmptyWindow' | 'AllResolved' | 'AllSuppressed' };

/**
 * §2.3, §2.7: what the digest of one window says at sending time, given the alerts that joined the
 * window (by their raisedAt, or by a silence's release). Resolved alerts are left out (acknowledged
 * ones stay: they are still open), so are alerts a silence still holds; nothing left sends nothing.
 * Oldest first, ties by id, so a follow-up or a re-rendering lists them in the same order.
 */
export function digestContents<T extends DigestEntry>(entries: readonly T[]): DigestContents<T> {
  if (entries.length === 0) return { send: false, reason: 'EmptyWindow' };
  const open = entries.filter((alert) => isOpenStatus(alert.status));
  if (open.length === 0) return { send: false, reason: 'AllResolved' };
  const listed = open.filter((alert) => !alert.suppressed);
  if (listed.length === 0) return { send: false, reason: 'AllSuppressed' };
  listed.sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { send: true, reason: 'OpenAlertsInWindow', alerts: listed };
}

// The vault workflow's whole state: the ends of its digest windows still to close, sorted, plus
// messages from callers that predate the delivery log. Alerts and deliveries live in Postgres.
import type { InactivateAlertSignal, RaisedAlert, UpdateSettingsSignal } from './definitions';

export type LegacyMessage =
  | { kind: 'alertRaised'; alert: RaisedAlert }
  | { kind: 'inactivate'; signal: InactivateAlertSignal }
  | { kind: 'settings'; signal: UpdateSettingsSignal };

export interface WakeupSnapshot {
  version: 2;
  windowEnds: number[];
  legacy: LegacyMessage[];
}

/** Bounds the carried set: more distinct pending window ends than this means windows are overdue anyway. */
export const MAX_WINDOW_ENDS = 1_000;

export class DigestWakeups {
  private ends: number[];
  readonly legacy: LegacyMessage[];

  constructor(snapshot?: WakeupSnapshot) {
    this.ends = [...(snapshot?.windowEnds ?? [])].sort((a, b) => a - b);
    this.legacy = [...(snapshot?.legacy ?? [])];
  }

  add(windowEndMs: number): void {
    if (!Number.isSafeInteger(windowEndMs) || this.ends.includes(windowEndMs)) return;
    this.ends.push(windowEndMs);
    this.ends.sort((a, b) => a - b);
    // Closing is by "every window of the vault that has ended", so dropping the latest ends keeps
    // correctness: the earliest one left wakes the workflow, and the sweeper covers the rest.
    if (this.ends.length > MAX_WINDOW_ENDS) this.ends.length = MAX_WINDOW_ENDS;
  }

  /** Removes the ends that are due and answers whether any were. */
  takeDue(nowMs: number): boolean {
    const before = this.ends.length;
    this.ends = this.ends.filter((end) => end > nowMs);
    return this.ends.length < before;
  }

  get nextMs(): number | undefined {
    return this.ends[0];
  }

  snapshot(): WakeupSnapshot {
    return { version: 2, windowEnds: [...this.ends], legacy: [...this.legacy] };
  }
}

export const isWakeupSnapshot = (state: unknown): state is WakeupSnapshot =>
  typeof state === 'object' && state !== null && (state as { version?: unknown }).version === 2;

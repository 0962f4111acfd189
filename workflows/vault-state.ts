import type { InactivateAlertSignal, RaisedAlert } from './definitions';

export type WorkItem =
  | { kind: 'inactivate'; alertId: string; by: string | null; at: string }
  | { kind: 'alertRaised'; alert: RaisedAlert };

export interface VaultSnapshot {
  pending: WorkItem[];
  /** Recently seen alert hand-offs, so a retried hand-off is not routed twice. */
  seen: string[];
}

const SEEN_LIMIT = 2_000;

/** The vault's notification state: handlers only enqueue; the workflow's loop does the I/O in order. */
export class VaultState {
  private pending: WorkItem[];
  private seen: string[];

  constructor(snapshot?: VaultSnapshot) {
    this.pending = snapshot?.pending ?? [];
    this.seen = snapshot?.seen ?? [];
  }

  onAlertRaised(alert: RaisedAlert): void {
    const key = `${alert.alertId}:${alert.isNew ? 'new' : 'repeat'}:${alert.raisedAt}`;
    if (alert.isNew && this.seen.includes(key)) return;
    if (alert.isNew) this.seen = [...this.seen.slice(-(SEEN_LIMIT - 1)), key];
    this.pending.push({ kind: 'alertRaised', alert });
  }

  onInactivate(signal: InactivateAlertSignal): void {
    this.pending.push({ kind: 'inactivate', ...signal });
  }

  get hasWork(): boolean {
    return this.pending.length > 0;
  }

  /** The next item stays queued until `done` so that a continue-as-new snapshot never drops it. */
  peek(): WorkItem | undefined {
    return this.pending[0];
  }

  done(): void {
    this.pending.shift();
  }

  snapshot(): VaultSnapshot {
    return { pending: [...this.pending], seen: [...this.seen] };
  }
}

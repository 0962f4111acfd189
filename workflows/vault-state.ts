import { digestWindow, routeNewAlert } from '../domain/digest';
import { newRecipients } from '../domain/recipients';
import type { InactivateAlertSignal, NotificationSettings, RaisedAlert, UpdateSettingsSignal } from './definitions';

export type WorkItem =
  | { kind: 'inactivate'; alertId: string; by: string | null; at: string }
  | { kind: 'saveSettings'; settings: NotificationSettings; by: string | null; requestId: string; welcome: string[] }
  | { kind: 'alertEmail'; alertId: string; recipients: string[] }
  | { kind: 'destructiveNotice'; alertId: string }
  | { kind: 'digest'; windowStartMs: number; windowEndMs: number; alertIds: string[] };

export interface DigestBucket {
  windowStartMs: number;
  windowEndMs: number;
  alertIds: string[];
}

export interface VaultSnapshot {
  settings: NotificationSettings | null;
  pending: WorkItem[];
  buckets: DigestBucket[];
  /** Recently routed alerts, so a retried hand-off is not routed twice. */
  seen: string[];
}

const SEEN_LIMIT = 5_000;
const subscribed = (s: NotificationSettings | null) => (s?.enabled ? s.recipients : []);

/**
 * The vault's notification state, free of I/O. Handlers apply messages in arrival order (so an
 * alert is routed by the settings in force when it arrived) and queue the I/O for the loop.
 */
export class VaultState {
  private settings: NotificationSettings | null;
  private pending: WorkItem[];
  private buckets: DigestBucket[];
  private seen: string[];

  constructor(private readonly digestIntervalMs: number, snapshot?: VaultSnapshot) {
    this.settings = snapshot?.settings ?? null;
    this.pending = snapshot?.pending ?? [];
    this.buckets = snapshot?.buckets ?? [];
    this.seen = snapshot?.seen ?? [];
  }

  /** Settings found in the read model when the workflow starts with no history of its own. */
  restoreSettings(settings: NotificationSettings | null): void {
    this.settings ??= settings;
  }

  onSettings({ settings, by, requestId }: UpdateSettingsSignal): void {
    const welcome = newRecipients(subscribed(this.settings), subscribed(settings));
    this.settings = settings;
    this.pending.push({ kind: 'saveSettings', settings, by, requestId, welcome });
  }

  onAlertRaised(alert: RaisedAlert): void {
    if (!alert.isNew) return; // a consolidated repeat notifies no one
    if (this.seen.includes(alert.alertId)) return;
    this.seen = [...this.seen.slice(-(SEEN_LIMIT - 1)), alert.alertId];
    const route = routeNewAlert({ settings: this.settings, alert });
    if (route.destructiveNotice) this.pending.push({ kind: 'destructiveNotice', alertId: alert.alertId });
    if (route.perAlertEmail && this.settings) {
      this.pending.push({ kind: 'alertEmail', alertId: alert.alertId, recipients: [...this.settings.recipients] });
    }
    if (route.addToDigest) this.addToDigest(alert);
  }

  onInactivate(signal: InactivateAlertSignal): void {
    this.pending.push({ kind: 'inactivate', ...signal });
  }

  /** Moves every window that has ended into the queue; returns ms until the next one ends. */
  releaseDueDigests(nowMs: number): number | undefined {
    const due = this.buckets.filter((b) => b.windowEndMs <= nowMs);
    this.buckets = this.buckets.filter((b) => b.windowEndMs > nowMs);
    for (const bucket of due) this.pending.push({ kind: 'digest', ...bucket });
    const next = Math.min(...this.buckets.map((b) => b.windowEndMs));
    return Number.isFinite(next) ? next - nowMs : undefined;
  }

  /** Digest recipients are those subscribed when the window closes. */
  get digestRecipients(): string[] {
    return [...subscribed(this.settings)];
  }

  get hasWork(): boolean {
    return this.pending.length > 0;
  }

  /** The next item stays queued until `done`, so a continue-as-new snapshot never drops it. */
  peek(): WorkItem | undefined {
    return this.pending[0];
  }

  done(): void {
    this.pending.shift();
  }

  snapshot(): VaultSnapshot {
    return { settings: this.settings, pending: [...this.pending], buckets: [...this.buckets], seen: [...this.seen] };
  }

  private addToDigest(alert: RaisedAlert): void {
    const window = digestWindow(Date.parse(alert.raisedAt), this.digestIntervalMs);
    let bucket = this.buckets.find((b) => b.windowStartMs === window.startMs);
    if (!bucket) {
      bucket = { windowStartMs: window.startMs, windowEndMs: window.endMs, alertIds: [] };
      this.buckets.push(bucket);
    }
    bucket.alertIds.push(alert.alertId);
  }
}

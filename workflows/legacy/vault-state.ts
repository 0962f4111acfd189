import { digestWindow } from '../../domain/digest';
import { routeNewAlert } from './route-new-alert';
import { newRecipients } from '../../domain/recipients';
import type { InactivateAlertSignal, NotificationSettings, RaisedAlert, UpdateSettingsSignal } from '../definitions';

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
  private seenSet: Set<string>;
  /** Messages that arrive before the settings are known wait here, in order (a new run only). */
  private early: (() => void)[] | null;

  constructor(private readonly digestIntervalMs: number, snapshot?: VaultSnapshot) {
    this.settings = snapshot?.settings ?? null;
    this.pending = snapshot?.pending ?? [];
    this.buckets = snapshot?.buckets ?? [];
    this.seen = snapshot?.seen ?? [];
    this.seenSet = new Set(this.seen);
    this.early = snapshot ? null : [];
  }

  /** Settings found in the read model when the workflow starts with no history of its own. */
  restoreSettings(settings: NotificationSettings | null): void {
    this.settings = settings;
    const early = this.early ?? [];
    this.early = null;
    for (const apply of early) apply();
  }

  onSettings(signal: UpdateSettingsSignal): void {
    if (this.early) return void this.early.push(() => this.onSettings(signal));
    const { settings, by, requestId } = signal;
    const welcome = newRecipients(subscribed(this.settings), subscribed(settings));
    this.settings = settings;
    this.pending.push({ kind: 'saveSettings', settings, by, requestId, welcome });
  }

  onAlertRaised(alert: RaisedAlert): void {
    if (this.early) return void this.early.push(() => this.onAlertRaised(alert));
    if (!alert.isNew) return; // a consolidated repeat notifies no one
    if (this.seenSet.has(alert.alertId)) return;
    this.remember(alert.alertId);
    const route = routeNewAlert({ settings: this.settings, alert });
    if (route.destructiveNotice) this.pending.push({ kind: 'destructiveNotice', alertId: alert.alertId });
    if (route.perAlertEmail && this.settings) {
      this.pending.push({ kind: 'alertEmail', alertId: alert.alertId, recipients: [...this.settings.recipients] });
    }
    if (route.addToDigest) this.addToDigest(alert);
  }

  onInactivate(signal: InactivateAlertSignal): void {
    if (this.early) return void this.early.push(() => this.onInactivate(signal));
    this.pending.push({ kind: 'inactivate', ...signal });
  }

  /** When the earliest open window ends; the loop re-arms its timer when this changes. */
  get nextDigestDueMs(): number | undefined {
    const next = Math.min(...this.buckets.map((b) => b.windowEndMs));
    return Number.isFinite(next) ? next : undefined;
  }

  /** Moves every window that has ended into the queue; returns ms until the next one ends. */
  releaseDueDigests(nowMs: number): number | undefined {
    const due = this.buckets.filter((b) => b.windowEndMs <= nowMs);
    this.buckets = this.buckets.filter((b) => b.windowEndMs > nowMs);
    for (const bucket of due) this.pending.push({ kind: 'digest', ...bucket });
    const next = this.nextDigestDueMs;
    return next === undefined ? undefined : next - nowMs;
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

  private remember(alertId: string): void {
    this.seen.push(alertId);
    this.seenSet.add(alertId);
    if (this.seen.length > SEEN_LIMIT) {
      for (const old of this.seen.splice(0, this.seen.length - SEEN_LIMIT)) this.seenSet.delete(old);
    }
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

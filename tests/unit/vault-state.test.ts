import { describe, expect, it } from 'vitest';
import type { NotificationSettings, RaisedAlert } from '../../workflows/definitions';
import { VaultState, type WorkItem } from '../../workflows/legacy/vault-state';

const HOUR = 3_600_000;
const perAlert: NotificationSettings = { enabled: true, recipients: ['a@contoso.com'], frequency: 'PerAlert' };
const digest: NotificationSettings = { enabled: true, recipients: ['a@contoso.com'], frequency: 'HourlyDigest' };
const alert = (id: string, over: Partial<RaisedAlert> = {}): RaisedAlert => ({
  alertId: id, scenario: 'BackupFailure', severity: 'Critical', destructive: false, isNew: true,
  raisedAt: '2026-01-01T10:15:00.000Z', ...over,
});

function drain(state: VaultState): WorkItem[] {
  const items: WorkItem[] = [];
  for (let item = state.peek(); item; item = state.peek()) {
    items.push(item);
    state.done();
  }
  return items;
}

function ready(settings: NotificationSettings | null) {
  const state = new VaultState(HOUR);
  state.restoreSettings(settings);
  return state;
}

describe('VaultState routing', () => {
  it.each([
    ['PerAlert, new alert', perAlert, alert('1'), ['alertEmail'], 0],
    ['PerAlert, consolidated repeat', perAlert, alert('1', { isNew: false }), [], 0],
    ['digest, new alert', digest, alert('1'), [], 1],
    ['no settings, ordinary alert', null, alert('1'), [], 0],
    ['no settings, destructive', null, alert('1', { destructive: true }), ['destructiveNotice'], 0],
    ['PerAlert, destructive', perAlert, alert('1', { destructive: true }), ['destructiveNotice', 'alertEmail'], 0],
    ['digest, destructive', digest, alert('1', { destructive: true }), ['destructiveNotice'], 1],
    ['disabled, destructive', { ...perAlert, enabled: false }, alert('1', { destructive: true }), ['destructiveNotice'], 0],
  ] as const)('%s', (_, settings, raised, kinds, buckets) => {
    const state = ready(settings);
    state.onAlertRaised(raised);
    expect(drain(state).map((i) => i.kind)).toEqual(kinds);
    expect(state.snapshot().buckets).toHaveLength(buckets);
  });

  it('routes a repeated hand-off of the same alert once', () => {
    const state = ready(perAlert);
    state.onAlertRaised(alert('1'));
    state.onAlertRaised(alert('1'));
    expect(drain(state)).toHaveLength(1);
  });

  it('holds messages that arrive before the settings load, then applies them in order', () => {
    const state = new VaultState(HOUR);
    state.onAlertRaised(alert('1'));
    state.onSettings({ settings: digest, by: null, requestId: 'r1' });
    state.onAlertRaised(alert('2'));
    expect(state.hasWork).toBe(false);
    state.restoreSettings(perAlert);
    expect(drain(state).map((i) => i.kind)).toEqual(['alertEmail', 'saveSettings']);
    expect(state.snapshot().buckets.map((b) => b.alertIds)).toEqual([['2']]);
  });
});

describe('VaultState settings and welcome', () => {
  it.each([
    ['first subscription', null, perAlert, ['a@contoso.com']],
    ['unchanged', perAlert, perAlert, []],
    ['added one, case-insensitive match', perAlert, { ...perAlert, recipients: ['A@contoso.com', 'b@contoso.com'] }, ['b@contoso.com']],
    ['disabled settings welcome no one', null, { ...perAlert, enabled: false }, []],
    ['enabling welcomes everyone', { ...perAlert, enabled: false }, perAlert, ['a@contoso.com']],
    ['frequency switch only', perAlert, digest, []],
  ] as [string, NotificationSettings | null, NotificationSettings, string[]][])('%s', (_, before, after, welcome) => {
    const state = ready(before);
    state.onSettings({ settings: after, by: 'admin', requestId: 'r' });
    const [item] = drain(state);
    expect(item).toMatchObject({ kind: 'saveSettings', welcome });
  });
});

describe('VaultState digest windows', () => {
  const at = (iso: string) => Date.parse(iso);

  it('releases a window only when it has ended, and reports the time to the next end', () => {
    const state = ready(digest);
    state.onAlertRaised(alert('1', { raisedAt: '2026-01-01T10:15:00.000Z' }));
    state.onAlertRaised(alert('2', { raisedAt: '2026-01-01T10:59:59.999Z' }));
    state.onAlertRaised(alert('3', { raisedAt: '2026-01-01T11:00:00.000Z' }));
    expect(state.releaseDueDigests(at('2026-01-01T10:30:00.000Z'))).toBe(30 * 60_000);
    expect(state.hasWork).toBe(false);
    expect(state.releaseDueDigests(at('2026-01-01T11:00:00.000Z'))).toBe(HOUR);
    expect(drain(state)).toEqual([{
      kind: 'digest', windowStartMs: at('2026-01-01T10:00:00.000Z'), windowEndMs: at('2026-01-01T11:00:00.000Z'), alertIds: ['1', '2'],
    }]);
    expect(state.releaseDueDigests(at('2026-01-01T12:00:00.000Z'))).toBeUndefined();
    expect(drain(state).map((i) => i.kind === 'digest' && i.alertIds)).toEqual([['3']]);
  });

  it('survives a snapshot round trip (continue-as-new) with queued work and open windows', () => {
    const state = ready(digest);
    state.onAlertRaised(alert('1'));
    state.onInactivate({ alertId: '1', by: 'x', at: '2026-01-01T10:20:00.000Z' });
    const copy = new VaultState(HOUR, JSON.parse(JSON.stringify(state.snapshot())));
    expect(copy.hasWork).toBe(true);
    expect(copy.digestRecipients).toEqual(['a@contoso.com']);
    copy.onAlertRaised(alert('1'));
    expect(drain(copy).map((i) => i.kind)).toEqual(['inactivate']);
    expect(copy.nextDigestDueMs).toBe(at('2026-01-01T11:00:00.000Z'));
  });
});

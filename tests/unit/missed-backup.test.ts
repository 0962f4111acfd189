import { describe, expect, it } from 'vitest';
import {
  isBackupMissed, missedBackupKey, missedBackupMessage, missedBackupWatch, nextCheckAt, policyInForce, samePolicy,
  type WatchFacts,
} from '../../domain/missed-backup';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const vault = { expectedEvery: '24h', grace: '2h' }; // 26 h
const item = { expectedEvery: '1h', grace: '30m' }; // 1.5 h

const facts = (over: Partial<WatchFacts> = {}): WatchFacts => ({
  protection: 'Protected', itemPolicy: null, vaultPolicy: vault, lastSuccessfulBackupAt: null,
  policySince: T0, lastMissedInactivatedAt: null, missedOpen: false, ...over,
});

describe('policy in force', () => {
  it.each([
    ['no override, no vault default', null, null, null],
    ['vault default only', null, vault, { ...vault, source: 'vault', allowanceMs: 26 * H }],
    ['item override wins over the vault default', item, vault, { ...item, source: 'item', allowanceMs: 1.5 * H }],
    ['item override without a vault default', item, null, { ...item, source: 'item', allowanceMs: 1.5 * H }],
    ['opt-out beats the vault default', { disabled: true as const }, vault, null],
    ['opt-out without a vault default', { disabled: true as const }, null, null],
    ['a malformed stored policy watches nothing', { expectedEvery: 'soon', grace: '1h' }, null, null],
  ])('%s', (_name, itemPolicy, vaultPolicy, expected) => {
    expect(policyInForce(itemPolicy, vaultPolicy)).toEqual(expected);
  });

  it('samePolicy compares source and allowances', () => {
    const a = policyInForce(null, vault);
    expect(samePolicy(a, policyInForce(null, { expectedEvery: '1d', grace: '120m' }))).toBe(true);
    expect(samePolicy(a, policyInForce(vault, null))).toBe(false); // same durations, other source
    expect(samePolicy(a, policyInForce(null, { expectedEvery: '25h', grace: '1h' }))).toBe(false); // same sum, other split
    expect(samePolicy(null, null)).toBe(true);
    expect(samePolicy(a, null)).toBe(false);
  });
});

describe('the deadline is the latest anchor plus expectedEvery and grace', () => {
  // [case, lastSuccess, policySince, lastInactivated, expected anchor]
  const cases: [string, number | null, number, number | null, number][] = [
    ['only policySince (item first seen, never backed up)', null, T0, null, T0],
    ['last success after policySince', T0 + 5 * H, T0, null, T0 + 5 * H],
    ['last success before policySince (policy set later)', T0 - 5 * H, T0, null, T0],
    ['last inactivation is the latest', T0 + 1 * H, T0, T0 + 3 * H, T0 + 3 * H],
    ['last inactivation older than the last success', T0 + 4 * H, T0, T0 + 3 * H, T0 + 4 * H],
    ['last inactivation older than policySince', null, T0, T0 - H, T0],
    ['all three, policySince latest', T0 - 2 * H, T0, T0 - H, T0],
    ['equal instants', T0, T0, T0, T0],
  ];
  it.each(cases)('%s', (_name, lastSuccessfulBackupAt, policySince, lastMissedInactivatedAt, anchor) => {
    const watch = missedBackupWatch(facts({ lastSuccessfulBackupAt, policySince, lastMissedInactivatedAt }));
    expect(watch).toMatchObject({ watched: true, anchorAt: anchor, deadlineAt: anchor + 26 * H });
  });

  it('uses the item override when there is one', () => {
    expect(missedBackupWatch(facts({ itemPolicy: item }))).toMatchObject({ deadlineAt: T0 + 1.5 * H, policy: { source: 'item' } });
  });
});

describe('what is not watched', () => {
  it.each([
    ['a Stopped item, even with a policy', facts({ protection: 'Stopped' }), 'Stopped'],
    ['a Stopped item with its own policy', facts({ protection: 'Stopped', itemPolicy: item }), 'Stopped'],
    ['an opted-out item', facts({ itemPolicy: { disabled: true } }), 'OptedOut'],
    ['no policy anywhere', facts({ vaultPolicy: null }), 'NoPolicy'],
  ])('%s', (_name, f, reason) => {
    expect(missedBackupWatch(f)).toEqual({ watched: false, reason });
    expect(nextCheckAt(f, T0 + 1000 * H)).toBeNull();
    expect(isBackupMissed(f, T0 + 1000 * H)).toBe(false);
  });
});

describe('when it is missed', () => {
  it.each([
    ['one millisecond before the deadline', facts(), T0 + 26 * H - 1, false],
    ['at the deadline', facts(), T0 + 26 * H, true],
    ['after the deadline', facts(), T0 + 40 * H, true],
    ['a success moved the deadline', facts({ lastSuccessfulBackupAt: T0 + 20 * H }), T0 + 40 * H, false],
    ['an accepted success not yet recorded (workers away) moved it too', facts({ acceptedSuccessAt: T0 + 20 * H }), T0 + 40 * H, false],
    ['an accepted success older than the recorded one changes nothing', facts({ lastSuccessfulBackupAt: T0 + 20 * H, acceptedSuccessAt: T0 + H }), T0 + 46 * H, true],
    ['never a second while one is open', facts({ missedOpen: true }), T0 + 100 * H, false],
    ['after the open one is inactivated: not until a full allowance later', facts({ lastMissedInactivatedAt: T0 + 30 * H }), T0 + 55 * H, false],
    ['re-armed after inactivation: due one allowance after it', facts({ lastMissedInactivatedAt: T0 + 30 * H }), T0 + 56 * H, true],
  ])('%s', (_name, f, now, missed) => {
    expect(isBackupMissed(f, now)).toBe(missed);
  });
});

describe('when the watch looks again', () => {
  it('at the deadline when no alert is open', () => {
    expect(nextCheckAt(facts({ lastSuccessfulBackupAt: T0 + H }), T0 + 2 * H)).toBe(T0 + 27 * H);
  });
  it('while one is open: one allowance from now, the earliest an inactivation could make the next one due', () => {
    const now = T0 + 30 * H;
    expect(nextCheckAt(facts({ missedOpen: true }), now)).toBe(now + 26 * H);
    // Inactivated at any moment t ≥ now, the next deadline is t + allowance ≥ the check: never late.
    const t = now + 5 * H;
    const after = missedBackupWatch(facts({ lastMissedInactivatedAt: t }));
    expect(after.watched && after.deadlineAt).toBeGreaterThanOrEqual(nextCheckAt(facts({ missedOpen: true }), now)!);
  });
  it('while one is open but the anchor is later than now (clock skew): the deadline', () => {
    const f = facts({ missedOpen: true, lastSuccessfulBackupAt: T0 + 50 * H });
    expect(nextCheckAt(f, T0 + 40 * H)).toBe(T0 + 76 * H);
  });
});

describe('the alert', () => {
  it('names the last successful backup and the policy', () => {
    const message = missedBackupMessage(facts({ lastSuccessfulBackupAt: T0 }));
    expect(message).toContain('since 2026-12-01T00:00:00.000Z');
    expect(message).toContain('every 24h with 2h grace');
    expect(message).toContain('vault default');
    expect(missedBackupMessage(facts({ itemPolicy: item }))).toMatch(/No successful backup has been recorded.*every 1h with 30m grace.*item's own policy/);
  });
  it('has one key per item that no job alert key can equal', () => {
    expect(missedBackupKey('v', 'AzureVM', 'vm1')).toBe('["v","BackupMissed","AzureVM","vm1"]');
    expect(missedBackupKey('v', 'AzureVM', 'vm1')).not.toBe(missedBackupKey('v', 'MAB', 'vm1'));
  });
});

describe('protection after a finished job (§2.5)', async () => {
  const { protectionAfter } = await import('../../readmodel/item-watch');
  it.each([
    ['StopProtectionRetainData', 'Completed', 'Stopped'],
    ['StopProtectionDeleteData', 'CompletedWithWarnings', 'Stopped'],
    ['StopProtectionRetainData', 'Failed', null],
    ['ConfigureBackup', 'Completed', 'Protected'],
    ['ConfigureBackup', 'Failed', null],
    ['Backup', 'CompletedWithWarnings', 'Protected'],
    ['Backup', 'Cancelled', null],
    ['Restore', 'Completed', null],
    ['DeleteBackupData', 'Completed', null],
  ] as const)('%s %s → %s', (operation, status, expected) => {
    expect(protectionAfter({ operation, status })).toBe(expected);
  });
});

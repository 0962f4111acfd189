// §2.5 missed backups: which policy is in force for an item, when its BackupMissed alert is due,
// and when the watch must look at it again. Pure: timestamps are epoch milliseconds.
import { parseContractDuration } from './duration';
import type { BackupPolicy, ItemPolicy } from './model';
import type { Protection } from './types';

export interface PolicyInForce extends BackupPolicy {
  source: 'vault' | 'item';
  /** expectedEvery + grace, in milliseconds: how long an item may go without a successful backup. */
  allowanceMs: number;
}

export const isDisabledPolicy = (policy: ItemPolicy | null | undefined): policy is { disabled: true } =>
  !!policy && 'disabled' in policy && policy.disabled === true;

function resolved(policy: BackupPolicy, source: 'vault' | 'item'): PolicyInForce | null {
  const every = parseContractDuration(policy.expectedEvery);
  const grace = parseContractDuration(policy.grace);
  // Stored policies were validated on the way in; a malformed one (hand-edited row) watches nothing.
  if (every === null || grace === null) return null;
  return { expectedEvery: policy.expectedEvery, grace: policy.grace, source, allowanceMs: every + grace };
}

/** The item's override wins (an opt-out turns the watch off); otherwise the vault default; else none. */
export function policyInForce(itemPolicy: ItemPolicy | null, vaultPolicy: BackupPolicy | null): PolicyInForce | null {
  if (itemPolicy) return isDisabledPolicy(itemPolicy) ? null : resolved(itemPolicy, 'item');
  return vaultPolicy ? resolved(vaultPolicy, 'vault') : null;
}

/** Two policies in force are the same watch when their source and allowances agree. */
export function samePolicy(a: PolicyInForce | null, b: PolicyInForce | null): boolean {
  if (!a || !b) return a === b;
  return a.source === b.source && a.allowanceMs === b.allowanceMs
    && parseContractDuration(a.expectedEvery) === parseContractDuration(b.expectedEvery);
}

export interface WatchFacts {
  protection: Protection;
  itemPolicy: ItemPolicy | null;
  vaultPolicy: BackupPolicy | null;
  lastSuccessfulBackupAt: number | null;
  /** A successful backup whose outcome the API accepted (§8) but no worker has recorded yet. */
  acceptedSuccessAt?: number | null;
  /** When the policy in force started to apply (set, changed, item first seen, protection resumed). */
  policySince: number;
  lastMissedInactivatedAt: number | null;
  /** An open (Active or Acknowledged) BackupMissed alert exists for the item. */
  missedOpen: boolean;
}

export type WatchDecision =
  | { watched: false; reason: 'Stopped' | 'NoPolicy' | 'OptedOut' }
  | { watched: true; policy: PolicyInForce; anchorAt: number; deadlineAt: number; missedOpen: boolean };

/** §2.5: deadline = latest of (last success, policy since, last inactivated BackupMissed) + expectedEvery + grace. */
export function missedBackupWatch(facts: WatchFacts): WatchDecision {
  if (facts.protection === 'Stopped') return { watched: false, reason: 'Stopped' };
  const policy = policyInForce(facts.itemPolicy, facts.vaultPolicy);
  if (!policy) return { watched: false, reason: isDisabledPolicy(facts.itemPolicy) ? 'OptedOut' : 'NoPolicy' };
  const anchorAt = Math.max(
    facts.policySince, facts.lastSuccessfulBackupAt ?? -Infinity, facts.acceptedSuccessAt ?? -Infinity, facts.lastMissedInactivatedAt ?? -Infinity,
  );
  return { watched: true, policy, anchorAt, deadlineAt: anchorAt + policy.allowanceMs, missedOpen: facts.missedOpen };
}

/**
 * When the watch must look at the item next (the `deadline_at` it sleeps on), or null: not watched.
 * While a BackupMissed alert is open no second one is raised; the earliest a next one could be due
 * is one allowance after that alert is inactivated, which is no earlier than `now`: so the watch
 * looks again at max(deadline, now + allowance) and never needs to be told about the inactivation.
 */
export function nextCheckAt(facts: WatchFacts, now: number): number | null {
  const watch = missedBackupWatch(facts);
  if (!watch.watched) return null;
  return watch.missedOpen ? Math.max(watch.deadlineAt, now + watch.policy.allowanceMs) : watch.deadlineAt;
}

/** True when the item's BackupMissed alert is due now: watched, none open, deadline reached. */
export function isBackupMissed(facts: WatchFacts, now: number): boolean {
  const watch = missedBackupWatch(facts);
  return watch.watched && !watch.missedOpen && watch.deadlineAt <= now;
}

/** The alert's errorMessage: names the last successful backup and the policy (§2.5). */
export function missedBackupMessage(facts: WatchFacts): string {
  const watch = missedBackupWatch(facts);
  if (!watch.watched) return 'No recent backup.';
  const { policy } = watch;
  const rule = `policy: a backup every ${policy.expectedEvery} with ${policy.grace} grace (${policy.source === 'item' ? "the item's own policy" : 'the vault default'})`;
  const last = facts.lastSuccessfulBackupAt === null
    ? 'No successful backup has been recorded'
    : `No successful backup since ${new Date(facts.lastSuccessfulBackupAt).toISOString()}`;
  return `${last}; ${rule}; due by ${new Date(watch.deadlineAt).toISOString()}.`;
}

/**
 * Alerts of one item meet on this key: the partial unique index keeps at most one open per item.
 * The scenario comes second so that it can never equal a job alert's key ([vault, entity, scenario, code]).
 */
export const missedBackupKey = (vaultId: string, workloadType: string, entityName: string): string =>
  JSON.stringify([vaultId, 'BackupMissed', workloadType, entityName]);

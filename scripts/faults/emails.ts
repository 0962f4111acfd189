// The email half of the notification check: every expected email (welcome, per-alert, destructive
// notice, each digest alert once) delivered exactly once by what the endpoint received, nothing else.
import type { VaultSetup } from './check';
import type { AlertOutcome } from './model';
import type { NotificationLog } from './notification-log';

const key = (parts: unknown[]) => JSON.stringify(parts);

export async function checkEmails(vaults: VaultSetup[], alerts: AlertOutcome[], log: NotificationLog, fail: (line: string) => void) {
  const { notifications, unmatched, pending } = await log.read();
  if (unmatched) fail(`${unmatched} emails received that no outbox row explains`);
  if (pending) fail(`${pending} notifications not delivered`);
  const want = new Map<string, number>();
  const add = (parts: unknown[]) => want.set(key(parts), (want.get(key(parts)) ?? 0) + 1);
  // Per digest vault: alerts that must be listed once, and resolved ones that may be (once at most):
  // whether a resolved alert made its window's digest depends on when the window closed.
  const mustDigest = new Map<string, string[]>();
  const mayDigest = new Set<string>();
  for (const vault of vaults) for (const recipient of vault.recipients) add(['welcome', vault.vaultId, [], [recipient]]);
  for (const alert of alerts) {
    const vault = vaults.find((v) => v.vaultId === alert.vaultId)!;
    // Destructive notices ignore silences (§2.3, §2.7).
    if (alert.destructive) add(['destructive', vault.vaultId, [alert.id], [...vault.contacts].sort()]);
    if (!alert.raisedNotified) continue;
    if (vault.frequency === 'PerAlert') add(['alert', vault.vaultId, [alert.id], [...vault.recipients].sort()]);
    else if (alert.resolved) mayDigest.add(alert.id);
    else mustDigest.set(vault.vaultId, [...(mustDigest.get(vault.vaultId) ?? []), alert.id]);
  }
  const got = new Map<string, number>();
  const digested = new Map<string, string[]>();
  for (const n of notifications) {
    if (n.received !== 1) fail(`${n.kind} email for ${n.vaultId} ${n.alertIds.join(',')} received ${n.received} times`);
    if (n.kind === 'digest') { digested.set(n.vaultId, [...(digested.get(n.vaultId) ?? []), ...n.alertIds]); continue; }
    const k = key([n.kind, n.vaultId, n.alertIds, n.targets]);
    got.set(k, (got.get(k) ?? 0) + 1);
  }
  for (const [k, n] of want) if ((got.get(k) ?? 0) !== n) fail(`expected ${n}× ${k}, delivered ${got.get(k) ?? 0}×`);
  for (const [k, n] of got) if (!want.has(k)) fail(`unexpected ${n}× ${k}`);
  let resolvedDigested = 0;
  for (const vault of vaults.filter((v) => v.frequency === 'HourlyDigest')) {
    const listed = digested.get(vault.vaultId) ?? [];
    const optional = listed.filter((id) => mayDigest.has(id));
    resolvedDigested += optional.length;
    if (new Set(optional).size !== optional.length) fail(`digests of ${vault.vaultId} listed a resolved alert twice`);
    const ids = listed.filter((id) => !mayDigest.has(id)).sort();
    const expectedIds = [...(mustDigest.get(vault.vaultId) ?? [])].sort();
    if (key(ids) !== key(expectedIds)) fail(`digests of ${vault.vaultId} listed ${ids.length} open alerts (${new Set(ids).size} distinct), expected ${expectedIds.length}`);
  }
  return {
    emails: notifications.length, digests: notifications.filter((n) => n.kind === 'digest').length,
    expectedNonDigestEmails: [...want.values()].reduce((a, b) => a + b, 0), resolvedDigested,
  };
}

// Maintenance windows in the fault suite (§2.7): some vaults get a silence that is active during
// part of the load and ends (endsAt) or is deleted before the end. Which alerts it suppressed is
// read from their history (`Suppressed`, stamped when the raise was processed, which may lag the
// job's end under faults), and checked for plausibility against the window; what each alert is
// then owed (released and notified once, or resolved under it and never notified) follows.
import type postgres from 'postgres';
import type { createServiceClient } from './http';

type Service = ReturnType<typeof createServiceClient>;

export interface SilencePlan {
  vaultId: string;
  match: Record<string, string>;
  /** Fractions of the load's duration: created at `from`, ends or is deleted at `until`. */
  from: number;
  until: number;
  ending: 'endsAt' | 'deleted';
  id?: string;
  endedAfterMs?: number;
}

/** Vault index → its silence: a whole-vault window that ends, a matcher-limited one that is deleted. */
export function silencePlans(vaultIds: string[]): SilencePlan[] {
  const plans: SilencePlan[] = [];
  vaultIds.forEach((vaultId, i) => {
    if (i % 4 === 0) plans.push({ vaultId, match: {}, from: 0.02, until: 0.4, ending: 'endsAt' });
    if (i % 4 === 1) plans.push({ vaultId, match: { workloadType: 'AzureVM' }, from: 0.2, until: 0.85, ending: 'deleted' });
  });
  return plans;
}

export async function startSilence(service: Service, plan: SilencePlan, loadStart: number, loadMs: number): Promise<void> {
  const endsAt = plan.ending === 'endsAt' ? loadStart + plan.until * loadMs : Date.now() + 3_600_000;
  const answer = await service.send('POST', `/v1/vaults/${plan.vaultId}/silences`, {
    match: plan.match, comment: `fault suite (${plan.ending})`, endsAt: new Date(endsAt).toISOString(),
  });
  if (answer.status !== 201) throw new Error(`silence on ${plan.vaultId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  plan.id = answer.body.id;
}

export async function endSilence(service: Service, plan: SilencePlan): Promise<void> {
  if (plan.ending !== 'deleted' || !plan.id) return;
  const answer = await service.send('DELETE', `/v1/vaults/${plan.vaultId}/silences/${plan.id}`);
  if (answer.status !== 204 && !(answer.status === 404 && answer.ambiguous)) throw new Error(`silence delete: ${answer.status}`);
}

export interface AlertRow {
  id: string; vault_id: string; scenario: string; severity: string; workload_type: string; entity_name: string;
  status: string; suppressed: boolean;
}

const SLACK_MS = 1_000;

/** Checks the silences and answers the ids of alerts each suppressed (by its history). */
export async function checkSilences(sql: postgres.Sql, plans: SilencePlan[], alerts: AlertRow[], fail: (line: string) => void) {
  const vaultIds = plans.map((p) => p.vaultId);
  const rows = new Map((await sql<{ id: string; starts_at: Date; ends_at: Date | null; deleted_at: Date | null }[]>`
    select id, starts_at, ends_at, deleted_at from silences where vault_id = any(${vaultIds})`).map((r) => [r.id, r]));
  const windows = new Map<string, { start: number; end: number; plan: SilencePlan }>();
  for (const plan of plans) {
    const row = plan.id ? rows.get(plan.id) : undefined;
    if (!row) { fail(`silence of ${plan.vaultId} was not stored`); continue; }
    if (plan.ending === 'deleted' && !row.deleted_at) fail(`silence ${row.id} was deleted but has no deletedAt`);
    const ends = [row.ends_at, row.deleted_at].filter((d): d is Date => d !== null).map((d) => d.getTime());
    windows.set(row.id, { start: row.starts_at.getTime(), end: Math.min(...ends), plan });
  }
  const suppressed = new Map<string, { silenceId: string; at: Date }>();
  for (const entry of await sql<{ alert_id: string; silence_id: string; at: Date }[]>`
    select alert_id, silence_id, at from alert_history where vault_id = any(${vaultIds}) and action = 'Suppressed'`) {
    const window = windows.get(entry.silence_id);
    if (!window) fail(`alert ${entry.alert_id} suppressed by unknown silence ${entry.silence_id}`);
    else if (entry.at.getTime() < window.start - SLACK_MS || entry.at.getTime() > window.end + SLACK_MS) {
      fail(`alert ${entry.alert_id} suppressed at ${entry.at.toISOString()}, outside its silence`);
    }
    suppressed.set(entry.alert_id, { silenceId: entry.silence_id, at: entry.at });
  }
  // When each alert's raise was processed: its first planned alert.raised (the transaction's clock).
  const processed = new Map((await sql<{ alert_id: string; at: Date }[]>`
    select alert_id, min(created_at) as at from deliveries where vault_id = any(${vaultIds}) and event = 'alert.raised'
      and dedup_key not like '%:destructive:%' group by alert_id`).map((r) => [r.alert_id, r.at.getTime()]));
  const byVault = new Map([...windows.values()].map((w) => [w.plan.vaultId, w]));
  let released = 0;
  let resolvedUnder = 0;
  for (const alert of alerts) {
    const window = byVault.get(alert.vault_id);
    if (!window) continue;
    const open = alert.status !== 'Inactive';
    if (suppressed.has(alert.id)) {
      if (alert.suppressed && open) fail(`alert ${alert.id} still suppressed and open after its silence ended`);
      if (alert.suppressed) resolvedUnder++;
      else released++;
      continue;
    }
    const subject: Record<string, string> = { entityName: alert.entity_name, workloadType: alert.workload_type, scenario: alert.scenario, severity: alert.severity };
    const covered = Object.entries(window.plan.match).every(([k, v]) => subject[k] === v);
    const at = processed.get(alert.id);
    // Margins: the transaction's clock is read before the silence check, which may wait for locks.
    if (covered && at !== undefined && at > window.start + 2_000 && at < window.end - 5_000) {
      fail(`alert ${alert.id} (${alert.scenario}) was raised at ${new Date(at).toISOString()} inside its vault's silence but not suppressed`);
    }
  }
  return { suppressed, counts: { silences: plans.length, silenced: suppressed.size, silencedReleased: released, silencedResolved: resolvedUnder } };
}

// Missed-backup watches in the fault suite (§2.5): one vault with a short default policy
// (20 s + 5 s). `missed` items back up once and never again: exactly one BackupMissed each, left
// open. `late` items do the same, then, once their alert shows, get a long policy and one
// successful backup, which resolves it. `kept` items (a policy long enough to ride out the
// Postgres outage and the catch-up after it) back up every few seconds: never an alert. Their
// first successes are spread over the load so that deadlines fall before, during and after faults.
import type postgres from 'postgres';
import type { JobRun } from './check';
import type { createServiceClient } from './http';
import { criticalAlertVisible, runJob, waitUntil } from './load';
import type { AlertOutcome } from './model';
import type { PlannedJob } from './plan';

type Service = ReturnType<typeof createServiceClient>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const WATCH_POLICY = { expectedEvery: '20s', grace: '5s' };
const KEPT_POLICY = { expectedEvery: '60s', grace: '60s' };
const KEPT_EVERY_MS = 10_000;
const ALERT_WAIT_MS = 300_000;

export interface WatchItem {
  entityName: string;
  role: 'missed' | 'late' | 'kept';
  firstJobId?: string;
  fixJobId?: string;
}

export function createWatchLoad(service: Service, vaultId: string, perRole: number, runs: JobRun[], fail: (line: string) => void) {
  const items: WatchItem[] = (['missed', 'late', 'kept'] as const).flatMap((role) =>
    Array.from({ length: perRole }, (_, i) => ({ entityName: `watch-${role}-${i}`, role })));
  let jobs = 0;
  let stopped = false;
  const backup = async (item: WatchItem) => {
    const job: PlannedJob = { index: -1, vaultId, jobId: `${vaultId}-b${String(jobs++).padStart(4, '0')}`, kind: 'backup', entityName: item.entityName, duplicate: false };
    runs.push(await runJob(service, job));
    return job.jobId;
  };
  const itemPath = (item: WatchItem) => `/v1/vaults/${vaultId}/items/AzureVM/${item.entityName}`;

  return {
    items,
    /** Before the faults: kept items exist and carry their long policy. */
    async setup() {
      for (const item of items.filter((i) => i.role === 'kept')) {
        await backup(item);
        if (!(await waitUntil(async () => (await service.send('GET', itemPath(item))).status === 200, 60_000, 250))) throw new Error(`${item.entityName} never appeared`);
        const answer = await service.send('PUT', `${itemPath(item)}/policy`, KEPT_POLICY);
        if (answer.status !== 200) throw new Error(`policy of ${item.entityName}: ${answer.status}`);
      }
    },
    /** Runs until every missed and late item has played its part; kept items back up until stop(). */
    async run(loadStart: number, loadMs: number) {
      const kept = items.filter((i) => i.role === 'kept').map(async (item) => {
        while (!stopped) { await backup(item); await sleep(KEPT_EVERY_MS); }
      });
      const once = items.filter((i) => i.role !== 'kept').map(async (item, k, all) => {
        const due = loadStart + (k / all.length) * 0.6 * loadMs;
        if (due > Date.now()) await sleep(due - Date.now());
        item.firstJobId = await backup(item);
        if (item.role !== 'late') return;
        // Its success recorded first: an alert seen before that may be the early one (checkWatch).
        const recorded = async () => (await service.send('GET', itemPath(item))).body?.lastSuccessfulBackupAt != null;
        const missed = criticalAlertVisible(service, vaultId, item.entityName);
        if (!(await waitUntil(async () => (await recorded()) && (await missed()), ALERT_WAIT_MS, 2_000))) {
          return fail(`${item.entityName}: no BackupMissed within ${ALERT_WAIT_MS / 1000} s`);
        }
        // A long policy first, so the success that resolves the alert does not start a new short watch.
        const answer = await service.send('PUT', `${itemPath(item)}/policy`, { expectedEvery: '1h', grace: '1h' });
        if (answer.status !== 200) fail(`policy of ${item.entityName}: ${answer.status}`);
        item.fixJobId = await backup(item);
      });
      await Promise.all(once);
      // Kept items stop backing up before the settling (minutes of delivery retries): their watch
      // is turned off first, as a service that stops protecting them would.
      return {
        stop: async () => {
          stopped = true;
          await Promise.all(kept);
          for (const item of items.filter((i) => i.role === 'kept')) {
            const answer = await service.send('PUT', `${itemPath(item)}/policy`, { disabled: true });
            if (answer.status !== 200) fail(`turning off the watch of ${item.entityName}: ${answer.status}`);
          }
        },
      };
    },
  };
}

/** Exactly one BackupMissed per missed and late item, nothing else; late ones resolved by their success. */
export async function checkWatch(sql: postgres.Sql, vaultId: string, items: WatchItem[], fail: (line: string) => void) {
  const rows = await sql<{ id: string; scenario: string; severity: string; entity_name: string; error_code: string | null; status: string; resolution: string | null; resolved_by_job_id: string | null }[]>`
    select id, scenario, severity, entity_name, error_code, status, resolution, resolved_by_job_id from alerts where vault_id = ${vaultId}`;
  const outcomes: AlertOutcome[] = [];
  let falseAlarms = 0;
  for (const item of items) {
    let mine = rows.filter((r) => r.entity_name === item.entityName);
    if (item.role === 'kept') { if (mine.length) fail(`${item.entityName} kept backing up but got ${mine.length} alert(s)`); continue; }
    // Known edge (§2.5 is judged on what has been recorded): when the item's one success is
    // processed more than an allowance after the item was first seen (worker down, Postgres cut),
    // the watch raises before it and that success then resolves it. Allowed once, counted, notified
    // like any alert; the real miss after it must still be there.
    const early = mine.filter((r) => r.status === 'Inactive' && r.resolution === 'AutoResolved' && r.resolved_by_job_id === item.firstJobId);
    for (const row of early.slice(0, 1)) {
      falseAlarms++;
      outcomes.push({ id: row.id, vaultId, severity: 'Critical', destructive: false, raisedNotified: true, resolved: true });
    }
    mine = mine.filter((r) => !early.slice(0, 1).includes(r));
    if (mine.length !== 1) { fail(`${item.entityName}: ${mine.length} alerts, expected one BackupMissed`); continue; }
    const alert = mine[0]!;
    if (alert.scenario !== 'BackupMissed' || alert.severity !== 'Critical' || alert.error_code !== 'NoRecentBackup') {
      fail(`${item.entityName}: alert ${alert.scenario}/${alert.severity}/${alert.error_code}`);
    }
    const resolved = item.role === 'late';
    if (resolved && (alert.status !== 'Inactive' || alert.resolution !== 'AutoResolved' || alert.resolved_by_job_id !== item.fixJobId)) {
      fail(`${item.entityName}: BackupMissed ${alert.status}/${alert.resolution} by ${alert.resolved_by_job_id}, expected resolved by ${item.fixJobId}`);
    }
    if (!resolved && alert.status !== 'Active') fail(`${item.entityName}: BackupMissed is ${alert.status}, expected Active`);
    outcomes.push({ id: alert.id, vaultId, severity: 'Critical', destructive: false, raisedNotified: true, resolved });
  }
  for (const row of rows) if (!items.some((i) => i.entityName === row.entity_name)) fail(`unexpected alert ${row.id} in the watch vault`);
  return { outcomes, counts: { watchedItems: items.length, missed: outcomes.length - falseAlarms, missedResolved: outcomes.filter((o) => o.resolved).length - falseAlarms, missedBeforeRecorded: falseAlarms } };
}

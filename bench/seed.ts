// Bulk seed for the API load phase (c): jobs and alerts spread over 20 vaults and 90 days, loaded
// with COPY through the postgres driver, then the items those jobs name and the deliveries those
// alerts wrote (bench/seed-extra.ts). Also runs alone: `npm run bench:seed -- --jobs 1000000`.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { migrateDatabase } from '../db/migrate';
import { jobVisibility } from '../domain/visibility';
import type { Operation, Trigger, WorkloadType } from '../domain/types';
import { copy, iso, timeOrderedId } from './lib/copy';
import { pick, rng } from './lib/plan';
import { log, progress, progressDone } from './lib/progress';
import { ItemTracker, seedDeliveries, type SeededAlert } from './seed-extra';

export const SEED_VAULTS = 20;
export const seedVaultId = (index: number) => `seed-${String(index).padStart(2, '0')}`;
const SPAN_MS = 90 * 24 * 3_600_000;

export interface SeedResult {
  jobs: number;
  alerts: number;
  items: number;
  deliveries: number;
  copyJobsMs: number;
  copyAlertsMs: number;
  itemsMs: number;
  copyDeliveriesMs: number;
  vacuumMs: number;
  totalMs: number;
  jobsTableBytes: number;
  alertsTableBytes: number;
  itemsTableBytes: number;
  deliveriesTableBytes: number;
}

const WORKLOADS: ReadonlyArray<readonly [WorkloadType, number]> = [['AzureVM', 45], ['AzureFiles', 20], ['AzureWorkload', 25], ['MAB', 10]];
const OPERATIONS: ReadonlyArray<readonly [Operation, number]> = [
  ['Backup', 88], ['Restore', 4], ['ConfigureBackup', 5], ['StopProtectionRetainData', 1.5], ['StopProtectionDeleteData', 0.5], ['DeleteBackupData', 1],
];
const STATUSES = [['Completed', 85], ['CompletedWithWarnings', 4], ['Failed', 8], ['Cancelled', 2], ['InProgress', 1]] as const;
const SCENARIOS = [
  ['BackupFailure', 'Critical', 70], ['RestoreFailure', 'Critical', 5], ['BackupSucceededWithWarnings', 'Warning', 15],
  ['StopProtectionRetainData', 'Warning', 5], ['StopProtectionDeleteData', 'Critical', 2], ['DeleteBackupData', 'Critical', 3],
] as const;

export async function seedDatabase(options: { sql: postgres.Sql; jobs: number; alerts: number; now?: number }): Promise<SeedResult> {
  const { sql } = options;
  const started = Date.now();
  const now = options.now ?? Date.now();
  const random = rng(42);
  await sql`insert into vaults (id, name, subscription_id, contacts)
    select 'seed-' || lpad(i::text, 2, '0'), 'Seeded vault ' || i, 'sub-seed', '{"owners":[],"admins":[],"coAdmins":[]}'::jsonb
    from generate_series(0, ${SEED_VAULTS - 1}) as i on conflict do nothing`;

  // Jobs in time order over the last 90 days, each in a random vault (random() drawn in the order
  // of the columns, so the rows are those of earlier runs).
  const tracker = new ItemTracker();
  const step = SPAN_MS / Math.max(1, options.jobs);
  const copyJobsMs = await copy(sql,
    'copy jobs (vault_id, id, workload_type, operation, trigger, entity_name, status, listed, started_at, ended_at, duration_ms, error_code, error_message, warnings, updated_at) from stdin',
    options.jobs, 'jobs', (i) => {
      const startedMs = Math.floor(now - SPAN_MS + i * step);
      const workloadType = pick(random, WORKLOADS);
      const trigger: Trigger = random() < 0.8 ? 'Scheduled' : 'User';
      const status = pick(random, STATUSES);
      const duration = status === 'InProgress' ? null : Math.floor(60_000 + random() * 3_600_000);
      const failed = status === 'Failed';
      const vaultId = seedVaultId(Math.floor(random() * SEED_VAULTS));
      const id = timeOrderedId(startedMs, random);
      const operation = pick(random, OPERATIONS);
      const entityName = `${workloadType === 'AzureWorkload' ? 'sqldb' : workloadType === 'AzureFiles' ? 'share' : 'vm'}-${Math.floor(random() * 500)}`;
      tracker.job(vaultId, workloadType, entityName, { id, operation, status, startedMs, endedMs: duration === null ? null : startedMs + duration });
      return [
        vaultId, id, workloadType, operation, trigger, entityName,
        status, jobVisibility({ workloadType, trigger }).listed ? 't' : 'f', iso(startedMs),
        duration === null ? '\\N' : iso(startedMs + duration), duration === null ? '\\N' : String(duration),
        failed ? 'UserErrorGuestAgentStatusUnavailable' : '\\N', failed ? 'The VM agent is unable to communicate with the Azure Backup Service.' : '\\N',
        status === 'CompletedWithWarnings' ? '["Some files were skipped."]' : '[]', iso(duration === null ? startedMs : startedMs + duration),
      ].join('\t') + '\n';
    });

  const alertStep = SPAN_MS / Math.max(1, options.alerts);
  const seededAlerts: SeededAlert[] = [];
  const copyAlertsMs = await copy(sql,
    'copy alerts (id, vault_id, scenario, severity, status, workload_type, entity_name, job_id, latest_job_id, occurrences, error_code, error_message, raised_at, last_occurred_at, inactivated_at, inactivated_by) from stdin',
    options.alerts, 'alerts', (i) => {
      const raisedMs = Math.floor(now - SPAN_MS + i * alertStep);
      const [scenario, severity] = pick(random, SCENARIOS.map(([s, sev, w]) => [[s, sev] as const, w] as const));
      // Older alerts have mostly been dealt with; about 30% are still Active overall.
      const active = random() < 0.05 + 0.5 * (i / Math.max(1, options.alerts));
      const jobId = timeOrderedId(raisedMs, random);
      const id = randomUUID();
      const vaultIndex = Math.floor(random() * SEED_VAULTS);
      seededAlerts.push({ id, vaultIndex, raisedMs });
      const workloadType = scenario === 'BackupSucceededWithWarnings' ? 'MAB' : 'AzureVM';
      const entityName = `vm-${Math.floor(random() * 500)}`;
      if (active) tracker.openAlert(seedVaultId(vaultIndex), workloadType, entityName, severity);
      return [
        id, seedVaultId(vaultIndex), scenario, severity, active ? 'Active' : 'Inactive', workloadType, entityName, jobId, jobId, '1',
        scenario.endsWith('Failure') ? 'UserErrorGuestAgentStatusUnavailable' : '\\N', scenario.endsWith('Failure') ? 'The VM agent is unable to communicate.' : '\\N',
        iso(raisedMs), iso(raisedMs), active ? '\\N' : iso(raisedMs + 3_600_000), '\\N',
      ].join('\t') + '\n';
    });

  const items = await tracker.load(sql);
  const deliveries = await seedDeliveries(sql, seededAlerts, seedVaultId, random);

  // What autovacuum does after a bulk insert: statistics for the planner and a visibility map.
  progress('seed: vacuum analyze jobs, alerts, items, deliveries, vaults…');
  const vacuumStarted = Date.now();
  await sql`vacuum (analyze) jobs, alerts, items, deliveries, webhooks, vaults`;
  const vacuumMs = Date.now() - vacuumStarted;
  progressDone();
  const [sizes] = await sql<{ jobs: string; alerts: string; items: string; deliveries: string }[]>`
    select pg_total_relation_size('jobs')::text as jobs, pg_total_relation_size('alerts')::text as alerts,
      pg_total_relation_size('items')::text as items, pg_total_relation_size('deliveries')::text as deliveries`;
  return {
    jobs: options.jobs, alerts: options.alerts, items: items.items, deliveries: deliveries.deliveries,
    copyJobsMs, copyAlertsMs, itemsMs: items.ms, copyDeliveriesMs: deliveries.totalMs, vacuumMs, totalMs: Date.now() - started,
    jobsTableBytes: Number(sizes!.jobs), alertsTableBytes: Number(sizes!.alerts),
    itemsTableBytes: Number(sizes!.items), deliveriesTableBytes: Number(sizes!.deliveries),
  };
}

/** Standalone: `npm run bench:seed -- [--jobs N] [--alerts N] [--database-url URL]`. */
async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: { jobs: { type: 'string' }, alerts: { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write('npm run bench:seed -- [--jobs 1000000] [--alerts 100000] [--database-url postgres://…/backup_monitor_bench]\n' +
      'Migrates the database if needed, replaces the rows of the seed-00…seed-19 vaults (jobs, alerts, items, deliveries, webhooks), then bulk-loads them.\n');
    return;
  }
  const url = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/backup_monitor_bench';
  const jobs = Number((values.jobs ?? '1000000').replace(/_/g, ''));
  const alerts = Number((values.alerts ?? '100000').replace(/_/g, ''));
  if (!Number.isInteger(jobs) || jobs < 0 || !Number.isInteger(alerts) || alerts < 0) throw new Error('--jobs and --alerts take whole numbers');
  log(`migrating ${url}`);
  await migrateDatabase(url);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const removed = await sql`delete from jobs where vault_id like 'seed-%'`;
    const removedAlerts = await sql`delete from alerts where vault_id like 'seed-%'`;
    for (const table of ['items', 'deliveries', 'webhooks']) await sql`delete from ${sql(table)} where vault_id like 'seed-%'`;
    if (removed.count + removedAlerts.count > 0) log(`removed ${removed.count} jobs and ${removedAlerts.count} alerts of an earlier seed`);
    const result = await seedDatabase({ sql, jobs, alerts });
    log(`seeded ${jobs.toLocaleString('en-US')} jobs in ${(result.copyJobsMs / 1000).toFixed(1)} s, ${alerts.toLocaleString('en-US')} alerts in ` +
      `${(result.copyAlertsMs / 1000).toFixed(1)} s, ${result.items.toLocaleString('en-US')} items in ${(result.itemsMs / 1000).toFixed(1)} s, ` +
      `${result.deliveries.toLocaleString('en-US')} deliveries in ${(result.copyDeliveriesMs / 1000).toFixed(1)} s, vacuum analyze ${(result.vacuumMs / 1000).toFixed(1)} s; ` +
      `jobs ${Math.round(result.jobsTableBytes / 1048576)} MB, alerts ${Math.round(result.alertsTableBytes / 1048576)} MB (with indexes)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((error) => {
    log(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

// The report's latency target (§2.8, issue 16): a 90-day report over a vault with 1,000,000 jobs
// answers within 200 ms. Seeds ONE vault (COPY, spread over 90 days, scheduled SQL jobs included),
// then times GET /v1/vaults/{id}/report through the real Hono app (in process: the route needs no
// Temporal) and the read model alone, for a day-aligned and an unaligned 90-day period.
// `npm run bench:report -- [--jobs 1000000] [--alerts 20000] [--runs 30] [--database-url URL]`
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../api/app';

import { connectDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { vaultReport } from '../readmodel/report';
import { pick, rng } from './lib/plan';
import { log } from './lib/progress';
import { ms, summarize } from './lib/stats';

// The API needs a token since access control (§7): the bench is the bootstrap admin.
const BENCH_TOKEN = 'bm_report_bench_0123456789abcdef0123456789abcdef';

const VAULT = 'report-bench';
const D = 86_400_000;
const TARGET_MS = 200;

const { values } = parseArgs({
  options: { jobs: { type: 'string' }, alerts: { type: 'string' }, runs: { type: 'string' }, 'database-url': { type: 'string' }, 'no-seed': { type: 'boolean' } },
});
const jobCount = Number((values.jobs ?? '1000000').replace(/_/g, ''));
const alertCount = Number((values.alerts ?? '20000').replace(/_/g, ''));
const runs = Number(values.runs ?? '30');
const url = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/backup_monitor_bench';

const STATUSES = [['Completed', 85], ['CompletedWithWarnings', 4], ['Failed', 8], ['Cancelled', 2], ['InProgress', 1]] as const;
const WORKLOADS = [['AzureVM', 45], ['AzureFiles', 20], ['AzureWorkload', 25], ['MAB', 10]] as const;
const OPERATIONS = [['Backup', 88], ['Restore', 4], ['ConfigureBackup', 5], ['DeleteBackupData', 3]] as const;
const SCENARIOS = [['BackupFailure', 'Critical', 70], ['BackupSucceededWithWarnings', 'Warning', 15], ['BackupMissed', 'Critical', 15]] as const;

async function copy(sql: ReturnType<typeof connectDb>['sql'], statement: string, total: number, line: (i: number) => string) {
  async function* chunks() {
    for (let i = 0; i < total; i += 5_000) {
      let text = '';
      for (let j = i; j < Math.min(total, i + 5_000); j++) text += line(j);
      yield text;
    }
  }
  await pipeline(Readable.from(chunks()), await sql.unsafe(statement).writable());
}

async function seed(sql: ReturnType<typeof connectDb>['sql'], now: number) {
  const random = rng(16);
  await sql`delete from jobs where vault_id = ${VAULT}`;
  await sql`delete from alerts where vault_id = ${VAULT}`;
  await sql`delete from items where vault_id = ${VAULT}`;
  await sql`insert into vaults (id, name, contacts) values (${VAULT}, 'Report bench', '{"owners":[],"admins":[],"coAdmins":[]}') on conflict do nothing`;
  const started = Date.now();
  // One COPY statement: the rollup trigger aggregates it once, as it would a bulk import.
  await copy(sql, 'copy jobs (vault_id, id, workload_type, operation, trigger, entity_name, status, listed, started_at) from stdin', jobCount, (i) => {
    const workload = pick(random, WORKLOADS);
    const trigger = random() < 0.8 ? 'Scheduled' : 'User';
    return [VAULT, `j${i}`, workload, pick(random, OPERATIONS), trigger, `${workload}-${Math.floor(random() * 500)}`, pick(random, STATUSES),
      workload === 'AzureWorkload' && trigger === 'Scheduled' ? 'f' : 't', new Date(now - 90 * D + (i * 90 * D) / jobCount).toISOString()].join('\t') + '\n';
  });
  await copy(sql, 'copy alerts (vault_id, scenario, severity, status, workload_type, entity_name, job_id, latest_job_id, raised_at, last_occurred_at, inactivated_at) from stdin', alertCount, (i) => {
    const [scenario, severity] = pick(random, SCENARIOS.map(([s, v, w]) => [[s, v] as const, w] as const));
    const raised = now - 90 * D + (i * 90 * D) / alertCount;
    const resolved = random() < 0.7;
    return [VAULT, scenario, severity, resolved ? 'Inactive' : 'Active', 'AzureVM', `AzureVM-${Math.floor(random() * 500)}`, `a${i}`, `a${i}`,
      new Date(raised).toISOString(), new Date(raised).toISOString(), resolved ? new Date(raised + random() * 8 * 3_600_000).toISOString() : '\\N'].join('\t') + '\n';
  });
  await sql`insert into items (vault_id, workload_type, entity_name, last_backup_status)
    select ${VAULT}, 'AzureVM', 'AzureVM-' || i, case when i % 10 = 0 then 'Failed' else 'Completed' end from generate_series(0, 499) i on conflict do nothing`;
  await sql`vacuum (analyze) jobs, alerts, items, job_day_counts`;
  log(`seeded ${jobCount.toLocaleString('en-US')} jobs and ${alertCount.toLocaleString('en-US')} alerts into ${VAULT} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function time(label: string, run: () => Promise<unknown>) {
  await run(); // warm: plans and buffers, as a live API's would be
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  const s = summarize(samples);
  log(`${label.padEnd(44)} p50 ${ms(s.p50, 1)}  p95 ${ms(s.p95, 1)}  max ${ms(s.max, 1)}  ${s.p95 <= TARGET_MS ? 'meets' : 'MISSES'} ${TARGET_MS} ms`);
  return s;
}

async function main() {
  await migrateDatabase(url);
  const database = connectDb(url, { max: 6 });
  try {
    const now = Date.now();
    if (!values['no-seed']) await seed(database.sql, now);
    const app = createApp({ db: database.db, temporal: {} as Client, taskQueue: 'unused', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }), adminToken: BENCH_TOKEN });
    const auth = { headers: { authorization: `Bearer ${BENCH_TOKEN}` } };
    const to = new Date(now);
    const unaligned = new Date(now - 90 * D);
    const alignedTo = new Date(Math.floor(now / D) * D);
    const aligned = new Date(alignedTo.getTime() - 90 * D);
    await time('read model, 90 days, unaligned', () => vaultReport(database.db, VAULT, unaligned, to));
    await time('read model, 90 days, whole days', () => vaultReport(database.db, VAULT, aligned, alignedTo));
    await time('GET /report, 90 days (Hono app, in process)', async () => {
      const response = await app.request(`/v1/vaults/${VAULT}/report?from=${unaligned.toISOString()}&to=${to.toISOString()}`, auth);
      if (response.status !== 200) throw new Error(`report answered ${response.status}`);
      await response.arrayBuffer();
    });
    await time('GET /report, default 7 days', async () => (await app.request(`/v1/vaults/${VAULT}/report`, auth)).arrayBuffer());
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  log(`report bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

// The bench's table (stdout) and docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type postgres from 'postgres';
import { TEMPORAL_CLI_VERSION } from '../scripts/lib/temporal-cli';
import type { ApiLoadResult } from './api-load';
import { watchRows, type WatchResult } from './backup-watch';
import type { FloodResult } from './digest-flood';
import type { FloorResult } from './floor';
import type { BenchArgs } from './lib/args';
import { mb, ms, num, seconds } from './lib/stats';
import type { LifecycleResult } from './lifecycle';
import type { SeedResult } from './seed';
import { findings } from './findings';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  temporalCli: string;
  postgres: string;
  postgresSettings: string;
}

export interface BenchReport {
  machine: Machine;
  args: BenchArgs;
  temporalStore: 'memory' | 'file';
  startedAt: string;
  totalMs: number;
  /** 1-minute load average when the bench started (other work on the machine). */
  loadAtStart: number;
  /** 1-minute load average just before each measured phase (includes the bench's own earlier phases). */
  loadBefore: Partial<Record<'a' | 'aRate' | 'b' | 'c' | 'd' | 'w', number>>;
  lifecycle?: LifecycleResult;
  lifecycleAtRate?: LifecycleResult;
  floor?: FloorResult;
  seed?: SeedResult;
  api?: ApiLoadResult;
  flood?: FloodResult;
  watch?: WatchResult;
  workerRssIdleBytes?: number;
  workerRssMaxBytes?: number;
  /** Wall time, CPU seconds per process and Postgres transactions of each measured phase. */
  phases: Partial<Record<'a' | 'aRate' | 'b' | 'c' | 'd' | 'w', PhaseCost>>;
}

export interface PhaseCost {
  wallMs: number;
  cpuSeconds: Record<string, number>;
  dbTransactions: number;
}

export async function collectMachine(sql: postgres.Sql, cliPath: string): Promise<Machine> {
  let cli = 'unknown';
  try {
    cli = execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  const [pg] = await sql<{ version: string; shared_buffers: string }[]>`
    select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers`;
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    temporalCli: `pinned v${TEMPORAL_CLI_VERSION}, binary says "${cli}"`,
    postgres: pg?.version ?? 'unknown',
    postgresSettings: `shared_buffers ${pg?.shared_buffers ?? '?'}`,
  };
}

// ---- targets --------------------------------------------------------------------------------------

export interface Verdict {
  target: string;
  measured: string;
  met: boolean | null;
}

const RSS_LIMIT = 300 * 1024 * 1024;

export function verdicts(report: BenchReport): Verdict[] {
  const out: Verdict[] = [];
  const { lifecycle, floor, lifecycleAtRate, api, flood } = report;
  if (lifecycle && floor) {
    const ratio = lifecycle.jobsPerSec / floor.jobsPerSec;
    out.push({ target: '(a)/(b) jobs/s ≥ 0.8', measured: `${num(lifecycle.jobsPerSec)} / ${num(floor.jobsPerSec)} = ${num(ratio, 2)}`, met: ratio >= 0.8 });
  }
  if (lifecycleAtRate) {
    const rate = lifecycleAtRate.offeredRate ?? 0;
    const held = lifecycleAtRate.jobsPerSec >= rate * 0.95;
    out.push({
      target: `alert→email p99 ≤ 1 s at ${rate} jobs/s`,
      measured: `p99 ${ms(lifecycleAtRate.alertToEmail.p99)} at ${num(lifecycleAtRate.jobsPerSec)} jobs/s achieved` +
        `${lifecycleAtRate.emailsSeen < lifecycleAtRate.emailsExpected ? `, ${lifecycleAtRate.emailsExpected - lifecycleAtRate.emailsSeen} emails missing` : ''}`,
      met: held && lifecycleAtRate.alertToEmail.p99 <= 1_000 && lifecycleAtRate.emailsSeen >= lifecycleAtRate.emailsExpected,
    });
  }
  if (api) {
    const worst = [...api.scenarios].sort((a, b) => b.http.p99 - a.http.p99)[0];
    const fast = api.scenarios.filter((s) => s.http.p99 <= 25 && s.http.rps >= api.rps * 0.95).length;
    out.push({
      target: `list p99 ≤ 25 ms at ${api.rps} rps`,
      measured: `${fast}/${api.scenarios.length} scenarios; worst ${worst ? `${ms(worst.http.p99, 1)} (${worst.name})` : 'n/a'}`,
      met: fast === api.scenarios.length,
    });
    const close = api.scenarios.filter((s) => s.ratioP99 <= 1.5).length;
    const worstRatio = [...api.scenarios].sort((a, b) => b.ratioP99 - a.ratioP99)[0];
    out.push({
      target: 'list p99 ≤ 1.5× the same SQL',
      measured: `${close}/${api.scenarios.length} scenarios; worst ${worstRatio ? `${num(worstRatio.ratioP99, 2)}× (${worstRatio.name})` : 'n/a'}`,
      met: close === api.scenarios.length,
    });
  }
  if (flood) {
    out.push({
      target: `(d) window end → digest ≤ 10 s (${flood.alerts.toLocaleString('en-US')} alerts)`,
      measured: flood.allDigestedMs === null ? `not all digested (${flood.alertsDigested}/${flood.alerts})` : seconds(flood.allDigestedMs),
      met: flood.allDigestedMs !== null && flood.allDigestedMs <= 10_000,
    });
  }
  if (report.watch) {
    const w = report.watch;
    out.push({
      target: `(w) missed-backup lateness p99 ≤ 5 s (${w.misses} of ${w.items.toLocaleString('en-US')} due at once)`,
      measured: `p99 ${ms(w.lateness.p99)} (visible to a reader: ${ms(w.visibleLateness.p99)}), ${w.alertsSeen}/${w.misses} raised`,
      met: w.alertsSeen >= w.misses && w.visibleLateness.p99 <= 5_000,
    });
    out.push({ target: '(w) idle worker RSS ≤ 300 MB', measured: mb(w.idleWorkerRssBytes), met: w.idleWorkerRssBytes > 0 && w.idleWorkerRssBytes <= RSS_LIMIT });
  }
  if (report.workerRssMaxBytes) {
    out.push({ target: 'worker RSS ≤ 300 MB', measured: `max ${mb(report.workerRssMaxBytes)} (idle after start ${mb(report.workerRssIdleBytes ?? 0)})`, met: report.workerRssMaxBytes <= RSS_LIMIT });
  }
  return out;
}

// ---- rendering ------------------------------------------------------------------------------------

function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const mark = (met: boolean | null) => (met === null ? '–' : met ? 'met' : '**not met**');

export function renderTable(report: BenchReport): string {
  const parts: string[] = [];
  parts.push(mdTable(['target', 'measured', 'verdict'], verdicts(report).map((v) => [v.target, v.measured, mark(v.met)])));

  const lifeRows: string[][] = [];
  const lifeRow = (name: string, r: LifecycleResult) => lifeRows.push([
    name, `${r.jobs}`, `${num(r.jobsPerSec)}`, `${ms(r.completeToAlert.p50)} / ${ms(r.completeToAlert.p95)} / ${ms(r.completeToAlert.p99)}`,
    `${ms(r.alertToEmail.p50)} / ${ms(r.alertToEmail.p95)} / ${ms(r.alertToEmail.p99)}`,
    `${ms(r.startHttp.p50)} / ${ms(r.startHttp.p99)}`, `${ms(r.completeHttp.p50)} / ${ms(r.completeHttp.p99)}`,
    `${r.alertsSeen}/${r.alertsExpected}`, `${r.emailsSeen}/${r.emailsExpected}`, `${r.errors.length}`, mb(r.workerRssMaxBytes),
  ]);
  if (report.lifecycle) lifeRow(`(a) concurrency ${report.lifecycle.concurrency}`, report.lifecycle);
  if (report.lifecycleAtRate) lifeRow(`(a) at ${report.lifecycleAtRate.offeredRate} jobs/s`, report.lifecycleAtRate);
  if (report.floor) {
    const f = report.floor;
    lifeRows.push([`(b) floor, concurrency ${f.concurrency}`, `${f.jobs}`, num(f.jobsPerSec), '', '', '', '', '', '', `${f.errors.length}`, mb(f.workerRssMaxBytes)]);
  }
  if (lifeRows.length) {
    parts.push(mdTable(
      ['run', 'jobs', 'jobs/s', 'complete→alert p50/p95/p99', 'alert→email p50/p95/p99', 'POST start p50/p99', 'POST complete p50/p99', 'alerts', 'emails', 'errors', 'worker RSS max'],
      lifeRows,
    ));
  }
  if (report.api) {
    parts.push(mdTable(
      ['API scenario (c)', 'page', 'HTTP rps', 'HTTP p50', 'HTTP p99', 'SQL p50', 'SQL p99', 'p99 ratio', 'non-2xx'],
      report.api.scenarios.map((s) => [
        s.name, String(s.page), num(s.http.rps, 0), ms(s.http.p50, 1), ms(s.http.p99, 1), ms(s.sql.p50, 2), ms(s.sql.p99, 2), `${num(s.ratioP99, 2)}×`,
        String(s.http.non2xx + s.http.errors),
      ]),
    ));
  }
  if (report.flood) {
    const f = report.flood;
    parts.push(mdTable(
      ['(d) one vault', 'value'],
      [
        ['alerts in the window', f.alerts.toLocaleString('en-US')],
        ['signal-with-start rate', `${num(f.signalsPerSec, 0)} signals/s (${seconds(f.signalMs)})`],
        ['window end → first digest accepted', f.firstDigestMs === null ? 'n/a' : seconds(f.firstDigestMs)],
        ['window end → every alert digested', f.allDigestedMs === null ? 'n/a' : seconds(f.allDigestedMs)],
        ['digest emails', `${f.digests} (${f.alertsDigested.toLocaleString('en-US')} alerts)`],
        ['events per run', f.runs.map((r) => `${r.historyLength} (${r.status.toLowerCase()})`).join(', ')],
        ['worker RSS max', mb(f.workerRssMaxBytes)],
      ],
    ));
  }
  if (report.watch) parts.push(mdTable(['(w) missed-backup watch', 'value'], watchRows(report.watch)));
  const phaseNames: Record<string, string> = { w: '(w) backup watch', b: '(b) floor', a: '(a) throughput', aRate: `(a) at ${report.args.rate} jobs/s`, d: '(d) one vault', c: '(c) API load' };
  const costRows = Object.entries(report.phases).map(([phase, cost]) => {
    const jobs = phase === 'a' ? report.lifecycle?.jobs : phase === 'aRate' ? report.lifecycleAtRate?.jobs : phase === 'b' ? report.floor?.jobs : undefined;
    const c = cost!.cpuSeconds;
    const perJob = (v: number) => (jobs ? `${num((v * 1000) / jobs, 1)}` : '');
    return [
      phaseNames[phase] ?? phase, seconds(cost!.wallMs),
      ...['worker', 'floorWorker', 'api', 'temporal', 'postgres', 'bench'].map((k) => `${num(c[k] ?? 0, 1)}${jobs && (c[k] ?? 0) > 0 ? ` (${perJob(c[k]!)})` : ''}`),
      `${cost!.dbTransactions}${jobs ? ` (${num(cost!.dbTransactions / jobs, 1)})` : ''}`,
    ];
  });
  if (costRows.length) {
    parts.push(mdTable(
      ['phase cost: CPU s (ms per job)', 'wall', 'worker', 'floor worker', 'API', 'Temporal', 'Postgres', 'bench', 'DB transactions (per job)'],
      costRows,
    ));
  }
  if (report.seed) {
    const s = report.seed;
    parts.push(`Seed: ${s.jobs.toLocaleString('en-US')} jobs in ${seconds(s.copyJobsMs)}, ${s.alerts.toLocaleString('en-US')} alerts in ${seconds(s.copyAlertsMs)}, ` +
      `vacuum analyze ${seconds(s.vacuumMs)} (jobs ${mb(s.jobsTableBytes)}, alerts ${mb(s.alertsTableBytes)} with indexes).`);
  }
  parts.push(`Total ${seconds(report.totalMs, 0)}; load average (1 min) ${report.loadAtStart} at the start, before the phases: ${Object.entries(report.loadBefore).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  return parts.join('\n\n');
}

export function renderReport(report: BenchReport, table: string): string {
  const m = report.machine;
  const a = report.args;
  const notes = findings(report);
  return `# Benchmarks

Produced by \`npm run bench\` (bench/main.ts) on ${report.startedAt.slice(0, 10)}; rerun it to refresh this page.
The numbers come from one run on a shared machine: read them as orders of magnitude, and check
the load average noted below before comparing two runs.

## Machine

| | |
|---|---|
| date | ${report.startedAt} |
| CPU | ${m.cores} cores, ${m.cpuModel} |
| memory | ${Math.round(m.memoryBytes / 1024 ** 3)} GiB (os.totalmem) |
| OS | ${m.os} |
| Node.js | ${m.node} |
| Temporal CLI | ${m.temporalCli}; dev server ${report.temporalStore === 'file' ? 'with a SQLite file (WAL, synchronous=normal), as `npm start` runs it' : 'in memory'} |
| Postgres | ${m.postgres} (${m.postgresSettings}) |
| load average | 1-minute load ${report.loadAtStart} when the bench started; before each phase (the bench's own earlier phases included): ${Object.entries(report.loadBefore).map(([k, v]) => `${k} ${v}`).join(', ') || 'n/a'} |
| total runtime | ${seconds(report.totalMs, 0)} |

## Command

\`\`\`sh
npm run bench -- --jobs ${a.jobs} --concurrency ${a.concurrency} --rate ${a.rate} --rate-jobs ${a.rateJobs} \\
  --seed-jobs ${a.seedJobs} --seed-alerts ${a.seedAlerts} --api-rps ${a.apiRps} --api-seconds ${a.apiSeconds} \\
  --flood-alerts ${a.floodAlerts} --watch-items ${a.watchItems} --watch-vaults ${a.watchVaults} --watch-misses ${a.watchMisses} \\
  --watch-idle-seconds ${a.watchIdleSeconds} --phases ${[...a.phases].join(',')} --temporal-store ${a.temporalStore}${a.sqlAfterMigrate ? ` --sql-after-migrate ${a.sqlAfterMigrate}` : ''}
\`\`\`

## Results

${table}

## What each phase does

The bench starts everything itself, on free ports: a Temporal dev server of its own
(\`scripts/lib/dev-server.ts\`, ${report.temporalStore === 'file' ? 'SQLite file in a temporary folder, WAL' : 'in memory'}), the database
\`backup_monitor_bench\` (dropped, created and migrated with \`db/migrate.ts\`), a fake Resend endpoint
in the bench process (\`bench/lib/fake-resend.ts\`: answers like Resend, records when it accepted each
email), and the real worker and API as child processes (\`node --import tsx worker/main.ts\` and
\`api/main.ts\`, \`LOG_LEVEL=warn\`, \`DIGEST_INTERVAL=${a.digestInterval}\`). Worker RSS is VmRSS from
\`/proc/<pid>/status\`, sampled every 250 ms.

- **(a) Job lifecycle.** 20 vaults (10 \`PerAlert\`, 10 \`HourlyDigest\`, one recipient each, one
  owner each). A seeded mix of jobs: AzureVM 40%, AzureFiles 20%, AzureWorkload 25% (80% scheduled),
  MAB 15%; Backup 86%, Restore 6%, ConfigureBackup 5%, StopProtectionRetainData 2%, DeleteBackupData 1%;
  10% Failed (one failure in ten with \`UserErrorBackupOperationInProgress\`, which raises nothing),
  2% cancelled, 5% completed with warnings. Each job is \`POST …/jobs\` then \`POST …/complete\` (or
  \`…/cancel\`) over HTTP. The throughput run keeps \`--concurrency\` jobs in flight; the latency run
  starts \`--rate\` jobs per second (open loop, at most 64 in flight) and stops starting new ones after
  1.5× its planned duration, so a machine that cannot keep the rate is measured rather than waited
  for (the jobs column then counts those started). jobs/s counts from the first start request until the
  last job answered, its alert was visible and its email accepted. *complete→alert* is from sending
  \`complete\` to the alert's \`alert_occurrences\` row being visible: the bench polls Postgres every
  20 ms for the few jobs still outstanding (primary-key lookups; it does not go through the API, so
  the polling adds little load). *alert→email* is from the alert's \`raisedAt\` (the job's
  \`endedAt\`, stamped by the API when \`complete\` arrives) to the fake provider accepting the email,
  matched through \`deliveries.provider_id\`. A warm-up of a few dozen jobs runs first.
- **(b) Floor.** \`bench/floor-workflow.ts\`: the same shape as \`backupJob\` and
  \`vaultNotifications\` (two activities, a completion signal awaited with the timeout timer, then for
  an alert two more activities, the last one a signal-with-start to a per-vault workflow that runs one
  activity per email) with activities that do nothing, its own worker as a child process
  (\`bench/floor-worker.ts\`), the same server, the same jobs and concurrency, driven straight
  through the Temporal client (start, signal, wait for the result).
- **(c) API under load.** \`bench/seed.ts\` loads ${a.seedJobs.toLocaleString('en-US')} jobs and
  ${a.seedAlerts.toLocaleString('en-US')} alerts over 20 vaults and 90 days with \`COPY\` (time-ordered ids),
  then \`VACUUM (ANALYZE)\` as autovacuum would (the full 1,000,000 loads in about 10 s on this machine,
  so the default run uses it; \`--seed-jobs\` makes it smaller). autocannon sends ${a.apiRps} requests/s for ${a.apiSeconds} s per
  scenario over 10 connections, rotating over the 20 vaults; deep scenarios carry the cursor of
  page 100 (limit 50), taken with the API's own list function. Percentiles come from each
  response's own duration (autocannon's histogram back-fills coordinated-omission samples at 1 ms
  steps when a rate is set). *SQL* replays the exact statement the API's list function sends
  (captured through a logging drizzle instance) with the postgres driver, a 10-connection pool like
  the API's, and autocannon's pacing (each of 10 lanes sends its share of a second back to back).
  The API also looks the vault up before each list (\`requireVault\`), which the SQL column does not
  include.
- **(d) One vault, one window.** An \`HourlyDigest\` vault; ${a.floodAlerts.toLocaleString('en-US')} alert rows inserted
  first, then as many \`alertRaised\` signal-with-starts (100 in flight) exactly as \`handAlertToVault\`
  sends them. The digest interval of this vault's workflow is picked so that its current window
  ends a little after the signals should be done (a 500-signal probe measures the rate first), and
  the time runs from the window's end to the provider accepting the digest. *events per run* is the
  history length of each run of the vault's workflow (it continues as new after 10,000 events).
- **(w) Missed-backup watch.** ${a.watchItems.toLocaleString('en-US')} items over ${a.watchVaults} vaults (vault default
  \`30d\` + \`1d\`) inserted in bulk with the rows the job activities write (\`policy_since\` = now,
  \`deadline_at\` = now + 31 d, a \`backup_watches\` row per vault), then one \`wakeBackupWatch\`
  signal-with-start per vault, as the activities send it. *Armed* is when every vault's watch has
  swept its vault and recorded its wake-up. Then ${a.watchIdleSeconds} s of idle (worker RSS and CPU), then
  ${a.watchMisses.toLocaleString('en-US')} items spread over the vaults get \`policy_since\` moved back so that the rule itself makes
  them due at one instant 10 s ahead (what a policy change does), their vaults are woken, and the
  lateness of each BackupMissed is measured as its \`raisedAt\` minus that instant, and as the moment
  a reader polling every 100 ms first sees it committed.
- **Phase cost.** CPU seconds (user + system, all threads, from \`/proc/<pid>/stat\`) of the worker,
  the floor worker, the API, the Temporal server, the Postgres backends connected to the bench
  database and the bench process itself, over each measured phase, with Postgres's committed and
  rolled-back transactions (\`pg_stat_database\`); per job where a phase runs jobs.

## Findings and next steps

${notes.join('\n\n')}
`;
}

// `npm run bench`: starts its own Temporal dev server, database, fake email provider, worker and
// API, runs the phases, prints a table and writes docs/benchmarks.md. See docs/benchmarks.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startWebhookReceiver } from '../scripts/lib/webhook-receiver';
import { runApiLoad, type ApiLoadResult } from './api-load';
import { runWatchBench } from './backup-watch';
import { runDigestFlood, type FloodResult } from './digest-flood';
import { runFanout, type FanoutResult } from './fanout';
import { runFloor, type FloorResult } from './floor';
import { setupVaults } from './lib/api-call';
import { parseBenchArgs } from './lib/args';
import { startBenchResend } from './lib/fake-resend';
import { planJobs } from './lib/plan';
import { log } from './lib/progress';
import { cpuMeter } from './lib/cpu';
import { sampleRss } from './lib/rss';
import { startListFloor, startServices } from './lib/services';
import { freshDatabase, ROOT, spawnService, startBenchCluster, startTemporal, waitForWorker, type ChildService } from './lib/stack';
import { runLifecycle, type LifecycleResult } from './lifecycle';
import { collectMachine, renderTable, type BenchReport } from './report';
import { renderReport, writeReportPage } from './report-page';
import { seedDatabase, type SeedResult } from './seed';
import { jobWorkflowId } from '../workflows/definitions';

const args = parseBenchArgs(process.argv.slice(2));
const benchStarted = Date.now();
const loadAtStart = Number(os.loadavg()[0]!.toFixed(2));
const stops: Array<() => Promise<unknown>> = [];
let stopping = false;
async function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping everything`);
    void stopAll().then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const artifacts = join(ROOT, '.data', 'bench');
  mkdirSync(artifacts, { recursive: true });
  log(`fresh database ${args.databaseUrl}`);
  await freshDatabase(args.databaseUrl);
  const sql = postgres(args.databaseUrl, { max: 4, onnotice: () => {} });
  stops.push(() => sql.end({ timeout: 5 }));
  if (args.sqlAfterMigrate) {
    log(`running ${args.sqlAfterMigrate} after the migrations`);
    await sql.unsafe(readFileSync(args.sqlAfterMigrate, 'utf8'));
  }

  log(args.temporal === 'cluster'
    ? 'starting the Temporal cluster (pinned server, 16 shards, Postgres temporal_cluster_bench)'
    : `starting a Temporal dev server (${args.temporalStore === 'file' ? 'SQLite file, WAL' : 'in memory'})`);
  const temporal = args.temporal === 'cluster'
    ? await startBenchCluster(join(artifacts, 'temporal-cluster.log'))
    : await startTemporal(args.temporalStore, join(artifacts, 'temporal-server.log'));
  stops.push(() => temporal.stop());
  const resend = await startBenchResend();
  stops.push(() => resend.stop());
  // Every path under /hook/ answers 204 at once, under /hang/ never (the worker's 10 s delivery
  // timeout ends each attempt); bodies are dropped once parsed, the run may hold many thousands.
  const receiver = await startWebhookReceiver({
    answer: (path) => (path.startsWith('/hang/') ? 'hang' : path.startsWith('/hook/') ? 204 : 404),
    keepBodies: false,
  });
  stops.push(() => receiver.stop());

  const { env, taskQueue, baseUrl, workers, api } = await startServices({ args, temporal, resendUrl: resend.baseUrl, stops });
  const worker = workers[0]!;
  // The first worker's memory stands for all of them.
  const workerRss = sampleRss(() => worker.pid);
  const apiRss = sampleRss(() => api.pid);
  stops.push(async () => { workerRss.stop(); apiRss.stop(); });
  for (const each of workers) watchCrash(each);
  watchCrash(api);

  // Where each phase's CPU goes, and how many Postgres transactions it cost.
  let pgPids: number[] = [];
  const refreshPgPids = async () => {
    pgPids = (await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`).map((r) => r.pid);
  };
  await refreshPgPids();
  const pgTimer = setInterval(() => void refreshPgPids().catch(() => {}), 1_000);
  stops.push(async () => clearInterval(pgTimer));
  let floorPid: number | undefined;
  const cpu = cpuMeter({
    worker: () => workers.map((each) => each.pid).filter((pid): pid is number => pid !== undefined), api: () => api.pid, temporal: () => temporal.pid(), postgres: () => pgPids, bench: () => process.pid,
    floorWorker: () => floorPid,
  });
  const xacts = async () => Number((await sql<{ n: string }[]>`
    select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`)[0]!.n);
  async function measure<T>(phase: keyof BenchReport['loadBefore'], run: () => Promise<T>): Promise<T> {
    report.loadBefore[phase] = loadavg();
    await refreshPgPids();
    cpu.mark();
    const x0 = await xacts();
    const t0 = Date.now();
    const result = await run();
    const wallMs = Date.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 600)); // backends report their counters when idle
    report.phases[phase] = { wallMs, cpuSeconds: cpu.since(), dbTransactions: (await xacts()) - x0 };
    return result;
  }

  const report: BenchReport = {
    machine: await collectMachine(sql, temporal.cliPath),
    args, temporalStore: args.temporalStore, startedAt: new Date(benchStarted).toISOString(), totalMs: 0, loadAtStart, loadBefore: {},
    workerRssIdleBytes: workerRss.current(), phases: {},
  };
  const needsLifecycle = args.phases.has('a') || args.phases.has('b');
  if (needsLifecycle) {
    log('creating 20 vaults (10 PerAlert, 10 HourlyDigest, one webhook each) through the API');
    await setupVaults(baseUrl, receiver.url);
  }
  const plan = planJobs(args.jobs, 1);
  const warmup = Math.min(100, Math.ceil(args.jobs / 10));

  if (args.phases.has('b')) {
    log(`(b) floor: bare workflows, ${args.jobs} jobs at concurrency ${args.concurrency}`);
    const floorQueue = `${taskQueue}-floor`;
    const floorWorker = spawnService('floor-worker', 'bench/floor-worker.ts', { ...env, TEMPORAL_TASK_QUEUE: floorQueue });
    stops.push(() => floorWorker.stop());
    await waitForWorker(temporal.client, floorQueue, floorWorker);
    floorPid = floorWorker.pid;
    const floorRss = sampleRss(() => floorWorker.pid);
    await runFloor({ client: temporal.client, taskQueue: floorQueue, jobs: planJobs(warmup, 7), concurrency: args.concurrency, workerRss: floorRss });
    report.floor = await measure('b', () => runFloor({ client: temporal.client, taskQueue: floorQueue, jobs: plan, concurrency: args.concurrency, workerRss: floorRss }));
    floorRss.stop();
    await floorWorker.stop();
  }

  if (args.phases.has('a')) {
    log(`(a) warm-up: ${warmup} jobs`);
    // In flight = from the start request until the job's workflow ended, as the floor counts it.
    const awaitJobWorkflow = (vaultId: string, jobId: string) => temporal.client.workflow.getHandle(jobWorkflowId(vaultId, jobId)).result();
    await runLifecycle({ label: 'warm-up', baseUrl, sql, resend, receiver, jobs: planJobs(warmup, 9), concurrency: args.concurrency, workerRss, apiRss, awaitJobWorkflow });
    log(`(a) lifecycle throughput: ${args.jobs} jobs at concurrency ${args.concurrency}`);
    report.lifecycle = await measure('a', () => runLifecycle({
      label: '(a) throughput', baseUrl, sql, resend, receiver, jobs: plan, concurrency: args.concurrency, workerRss, apiRss, awaitJobWorkflow,
    }));
    // --rate auto: half of what the floor (b) measured a moment ago, on the same server and machine.
    const rate = args.rate === 'auto' ? (report.floor ? Math.round(report.floor.jobsPerSec * 5) / 10 : undefined) : args.rate;
    if (args.rateJobs > 0 && rate) {
      report.rate = { jobsPerSec: rate, source: args.rate === 'auto' ? 'auto' : 'explicit' };
      log(`(a) lifecycle latency: ${args.rateJobs} jobs at ${rate} jobs/s${args.rate === 'auto' ? ' (half the floor)' : ''}`);
      report.lifecycleAtRate = await measure('aRate', () => runLifecycle({
        label: `(a) ${rate} jobs/s`, baseUrl, sql, resend, receiver, jobs: planJobs(args.rateJobs, 2), concurrency: Math.max(args.concurrency, 64),
        ratePerSec: rate, workerRss, apiRss,
      }));
    }
  }

  if (args.phases.has('f')) {
    log(`(f) webhook fan-out: one alert to ${args.fanoutHooks} webhooks, one of them hanging`);
    report.fanout = await measure('f', () => runFanout({ baseUrl, sql, receiver, hooks: args.fanoutHooks }));
  }

  if (args.phases.has('d')) {
    log(`(d) one vault, ${args.floodAlerts} alerts in one digest window`);
    report.flood = await measure('d', () => runDigestFlood({ client: temporal.client, sql, resend, taskQueue, alerts: args.floodAlerts, workerRss }));
  }

  if (args.phases.has('c')) {
    log(`(c) seeding ${args.seedJobs} jobs and ${args.seedAlerts} alerts`);
    report.seed = await seedDatabase({ sql, jobs: args.seedJobs, alerts: args.seedAlerts });
    const floorUrl = await startListFloor(args.databaseUrl, stops);
    report.api = await measure('c', () => runApiLoad({ baseUrl, floorUrl, databaseUrl: args.databaseUrl, sql, rps: args.apiRps, seconds: args.apiSeconds, apiRss }));
  }

  if (args.phases.has('w')) {
    log(`(w) missed-backup watch: ${args.watchItems} items in ${args.watchVaults} vaults, ${args.watchMisses} due at once`);
    report.watch = await measure('w', () => runWatchBench({
      client: temporal.client, sql, taskQueue, items: args.watchItems, vaults: args.watchVaults, misses: args.watchMisses,
      idleSeconds: args.watchIdleSeconds, workerRss, cpu,
    }));
  }

  // The whole run's peak: each phase resets its own maximum.
  report.workerRssMaxBytes = workerRss.peak();
  report.totalMs = Date.now() - benchStarted;
  const table = renderTable(report);
  process.stdout.write(`\n${table}\n`);
  // What bench/render.ts re-renders the page from (also after --no-write, to render elsewhere).
  writeFileSync(join(artifacts, 'report.json'), `${JSON.stringify({ ...report, args: { ...args, phases: [...args.phases] } }, null, 2)}\n`);
  if (args.write) {
    writeReportPage(join(ROOT, args.out), renderReport(report, table));
    log(`wrote ${args.out}`);
  }
}

function loadavg(): number {
  return Number(os.loadavg()[0]!.toFixed(2));
}

function watchCrash(service: ChildService) {
  void service.exited.then((how) => {
    if (stopping) return;
    log(`${service.name} ${how} during the bench:\n${service.output()}`);
    void stopAll().then(() => process.exit(1));
  });
}

try {
  await main();
  log(`done in ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
  await stopAll();
  process.exit(0);
} catch (error) {
  log(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
}

export type { ApiLoadResult, FanoutResult, FloodResult, FloorResult, LifecycleResult, SeedResult };

// The bench's report: its data, and the tables printed on stdout and put in docs/benchmarks.md
// (the page around them: bench/report-page.ts; the targets: bench/verdicts.ts).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type postgres from 'postgres';
import { TEMPORAL_CLI_VERSION } from '../scripts/lib/temporal-cli';
import type { ApiLoadResult } from './api-load';
import { NEW_SCENARIOS } from './api-scenarios';
import { watchRows, type WatchResult } from './backup-watch';
import { BEFORE_DATE, BEFORE_LISTS } from './before';
import type { FloodResult } from './digest-flood';
import { fanoutRows, type FanoutResult } from './fanout';
import type { FloorResult } from './floor';
import type { BenchArgs } from './lib/args';
import { mb, ms, num, seconds } from './lib/stats';
import type { LifecycleResult } from './lifecycle';
import type { SeedResult } from './seed';
import { rateLabel, verdicts } from './verdicts';

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
  loadBefore: Partial<Record<PhaseKey, number>>;
  lifecycle?: LifecycleResult;
  /** The latency run's offered rate: auto = half the floor's jobs/s of this run. */
  rate?: { jobsPerSec: number; source: 'auto' | 'explicit' };
  lifecycleAtRate?: LifecycleResult;
  fanout?: FanoutResult;
  floor?: FloorResult;
  seed?: SeedResult;
  api?: ApiLoadResult;
  flood?: FloodResult;
  watch?: WatchResult;
  workerRssIdleBytes?: number;
  workerRssMaxBytes?: number;
  /** Wall time, CPU seconds per process and Postgres transactions of each measured phase. */
  phases: Partial<Record<PhaseKey, PhaseCost>>;
}

export type PhaseKey = 'a' | 'aRate' | 'b' | 'c' | 'd' | 'f' | 'w';

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

// ---- rendering ------------------------------------------------------------------------------------

function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const mark = (met: boolean | null) => (met === null ? '–' : met ? 'met' : '**not met**');

export function renderTable(report: BenchReport): string {
  const parts: string[] = [];
  parts.push(mdTable(['target', `before (${BEFORE_DATE})`, 'measured', 'verdict'], verdicts(report).map((v) => [v.target, v.before, v.measured, mark(v.met)])));

  const lifeRows: string[][] = [];
  const lifeRow = (name: string, r: LifecycleResult) => lifeRows.push([
    name, `${r.jobs}`, `${num(r.jobsPerSec)}`, `${ms(r.completeToAlert.p50)} / ${ms(r.completeToAlert.p95)} / ${ms(r.completeToAlert.p99)}`,
    `${ms(r.alertToEmail.p50)} / ${ms(r.alertToEmail.p95)} / ${ms(r.alertToEmail.p99)}`,
    `${ms(r.alertToWebhook.p50)} / ${ms(r.alertToWebhook.p95)} / ${ms(r.alertToWebhook.p99)}`,
    `${ms(r.startHttp.p50)} / ${ms(r.startHttp.p99)}`, `${ms(r.completeHttp.p50)} / ${ms(r.completeHttp.p99)}`,
    `${r.alertsSeen}/${r.alertsExpected}`, `${r.emailsSeen}/${r.emailsExpected}`, `${r.webhooksSeen}/${r.webhooksExpected}`, `${r.errors.length}`, mb(r.workerRssMaxBytes),
  ]);
  if (report.lifecycle) lifeRow(`(a) concurrency ${report.lifecycle.concurrency}`, report.lifecycle);
  if (report.lifecycleAtRate) lifeRow(`(a) ${rateLabel(report)}`, report.lifecycleAtRate);
  if (report.floor) {
    const f = report.floor;
    lifeRows.push([`(b) floor, concurrency ${f.concurrency}`, `${f.jobs}`, num(f.jobsPerSec), '', '', '', '', '', '', '', '', `${f.errors.length}`, mb(f.workerRssMaxBytes)]);
  }
  if (lifeRows.length) {
    parts.push(mdTable(
      ['run', 'jobs', 'jobs/s', 'complete→alert p50/p95/p99', 'alert→email p50/p95/p99', 'alert→webhook p50/p95/p99', 'POST start p50/p99',
        'POST complete p50/p99', 'alerts', 'emails', 'webhooks', 'errors', 'worker RSS max'],
      lifeRows,
    ));
  }
  if (report.fanout) parts.push(mdTable(['(f) webhook fan-out, one alert', 'value'], fanoutRows(report.fanout)));
  if (report.api) {
    parts.push(mdTable(
      ['API scenario (c)', 'page', 'rows', 'HTTP rps', 'HTTP p50', 'HTTP p99', 'SQL p50', 'SQL p99', 'p99 ratio', 'bare HTTP p50 / p99 (ratio)', `before p99 (ratio)`, 'non-2xx'],
      report.api.scenarios.map((s) => {
        const before = BEFORE_LISTS[s.name];
        return [
          s.name, String(s.page), String(s.rows ?? ''), num(s.http.rps, 0), ms(s.http.p50, 1), ms(s.http.p99, 1), ms(s.sql.p50, 2), ms(s.sql.p99, 2),
          `${num(s.ratioP99, 2)}×`, `${ms(s.floor.p50, 1)} / ${ms(s.floor.p99, 1)} (${num(s.floorRatioP99, 2)}×)`, before ? `${ms(before.p99, 1)} (${num(before.ratio, 2)}×)` : NEW_SCENARIOS.has(s.name) ? '— (new)' : '—',
          String(s.http.non2xx + s.http.errors),
        ];
      }),
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
  const phaseNames: Record<string, string> = {
    w: '(w) backup watch', b: '(b) floor', a: '(a) throughput', aRate: `(a) ${rateLabel(report)}`, d: '(d) one vault', c: '(c) API load', f: '(f) fan-out',
  };
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
      `${(s.items ?? 0).toLocaleString('en-US')} items in ${seconds(s.itemsMs ?? Number.NaN)}, ${(s.deliveries ?? 0).toLocaleString('en-US')} deliveries in ${seconds(s.copyDeliveriesMs ?? Number.NaN)}, ` +
      `vacuum analyze ${seconds(s.vacuumMs)} (with indexes: jobs ${mb(s.jobsTableBytes)}, alerts ${mb(s.alertsTableBytes)}, ` +
      `items ${mb(s.itemsTableBytes ?? 0)}, deliveries ${mb(s.deliveriesTableBytes ?? 0)}).`);
  }
  parts.push(`Total ${seconds(report.totalMs, 0)}; load average (1 min) ${report.loadAtStart} at the start, before the phases: ${Object.entries(report.loadBefore).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  return parts.join('\n\n');
}


// Command-line flags of `npm run bench` (after `--`).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

export const DEFAULTS = {
  jobs: 2_000,
  concurrency: 32,
  /** auto: half of the floor's (b) jobs/s measured earlier in the same run. */
  rate: 'auto' as const,
  rateJobs: 1_000,
  seedJobs: 1_000_000,
  seedAlerts: 100_000,
  floodAlerts: 10_000,
  apiRps: 200,
  apiSeconds: 10,
  digestInterval: '30s',
  watchItems: 100_000,
  watchVaults: 100,
  watchMisses: 1_000,
  watchIdleSeconds: 30,
  fanoutHooks: 20,
};

export const ALL_PHASES = ['a', 'b', 'c', 'd', 'f', 'w'] as const;
export type Phase = (typeof ALL_PHASES)[number];

export interface BenchArgs {
  jobs: number;
  concurrency: number;
  /** Jobs/s of the latency run of (a); 'auto' = (b)'s jobs/s ÷ 2 from the same run. */
  rate: number | 'auto';
  rateJobs: number;
  seedJobs: number;
  seedAlerts: number;
  floodAlerts: number;
  apiRps: number;
  apiSeconds: number;
  watchItems: number;
  watchVaults: number;
  watchMisses: number;
  watchIdleSeconds: number;
  /** Webhooks on the fan-out vault (f): all but one answer at once, the last one hangs. */
  fanoutHooks: number;
  phases: Set<Phase>;
  temporalStore: 'memory' | 'file';
  /** dev: the CLI's dev server; cluster: the pinned server on Postgres (scripts/lib/cluster.ts). */
  temporal: 'dev' | 'cluster';
  /** Worker processes on the task queue. */
  workers: number;
  databaseUrl: string;
  digestInterval: string;
  write: boolean;
  out: string;
  /** SQL run after the migrations, to try a schema change (an index) before it lands. */
  sqlAfterMigrate?: string;
  /** A directory for V8 CPU profiles of the worker(s) and the API (`node --cpu-prof`). */
  cpuProfileDir?: string;
}

export const USAGE = `npm run bench -- [flags]

  --jobs N            jobs in the lifecycle throughput run (a) and the floor (b)   [${DEFAULTS.jobs}]
  --concurrency N     jobs in flight at once in (a) and (b)                          [${DEFAULTS.concurrency}]
  --rate N|auto       jobs started per second in the latency run of (a); auto is half
                      the floor's (b) jobs/s measured earlier in the same run        [${DEFAULTS.rate}]
  --rate-jobs N       jobs in that latency run (0 skips it)                          [${DEFAULTS.rateJobs}]
  --seed-jobs N       jobs seeded for the API load (c)                                [${DEFAULTS.seedJobs}]
  --seed-alerts N     alerts seeded for the API load (c)                              [${DEFAULTS.seedAlerts}]
  --api-rps N         request rate of each API scenario (c)                           [${DEFAULTS.apiRps}]
  --api-seconds N     duration of each API scenario (c)                               [${DEFAULTS.apiSeconds}]
  --flood-alerts N    alerts in one digest window of one vault (d)                    [${DEFAULTS.floodAlerts}]
  --watch-items N     watched items seeded in bulk for the missed-backup watch (w)    [${DEFAULTS.watchItems}]
  --watch-vaults N    vaults they are spread over (one watch workflow each) (w)       [${DEFAULTS.watchVaults}]
  --watch-misses N    items made due at the same instant (w)                          [${DEFAULTS.watchMisses}]
  --watch-idle-seconds N  idle window measured after arming (w)                       [${DEFAULTS.watchIdleSeconds}]
  --fanout-hooks N    webhooks on the fan-out vault, the last one hanging (f)         [${DEFAULTS.fanoutHooks}]
  --phases a,b,c,d,f,w  which phases to run                                           [${ALL_PHASES.join(',')}]
  --temporal-store    memory | file: the dev server's SQLite store                    [file]
  --temporal          dev | cluster: the CLI's dev server, or the real cluster on Postgres
                      (npm run cluster's server, own databases temporal_cluster_bench*)  [dev]
  --workers N         worker processes on the task queue                              [1]
  --database-url URL  Postgres database to drop, create and use   [postgres://postgres@127.0.0.1:5432/backup_monitor_bench]
  --sql-after-migrate FILE  SQL to run after the migrations (try an index before it lands)
  --cpu-prof DIR      write V8 CPU profiles of the worker(s) and the API into DIR (on exit)
  --no-write          print the table only; leave docs/benchmarks.md alone
  --out PATH          where the report goes                                           [docs/benchmarks.md]
`;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      jobs: { type: 'string' }, concurrency: { type: 'string' }, rate: { type: 'string' }, 'rate-jobs': { type: 'string' },
      'seed-jobs': { type: 'string' }, 'seed-alerts': { type: 'string' }, 'flood-alerts': { type: 'string' },
      'api-rps': { type: 'string' }, 'api-seconds': { type: 'string' },
      'watch-items': { type: 'string' }, 'watch-vaults': { type: 'string' }, 'watch-misses': { type: 'string' }, 'watch-idle-seconds': { type: 'string' },
      'fanout-hooks': { type: 'string' }, phases: { type: 'string' }, 'temporal-store': { type: 'string' }, temporal: { type: 'string' }, workers: { type: 'string' }, 'database-url': { type: 'string' },
      'digest-interval': { type: 'string' }, 'no-write': { type: 'boolean' }, 'sql-after-migrate': { type: 'string' }, 'cpu-prof': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const count = (name: string, raw: string | undefined, fallback: number, min = 1) => {
    if (raw === undefined) return fallback;
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return value;
  };
  const phases = new Set((values.phases ?? ALL_PHASES.join(',')).split(',').map((p) => p.trim()).filter(Boolean));
  for (const phase of phases) if (!(ALL_PHASES as readonly string[]).includes(phase)) throw new Error(`unknown phase "${phase}" (use ${ALL_PHASES.join(',')})`);
  const rate = values.rate === undefined || values.rate === 'auto' ? 'auto' : Number(values.rate);
  if (rate !== 'auto' && !(Number.isFinite(rate) && rate > 0)) throw new Error(`--rate must be a positive number or auto, got "${values.rate}"`);
  const rateJobs = count('rate-jobs', values['rate-jobs'], DEFAULTS.rateJobs, 0);
  if (rate === 'auto' && rateJobs > 0 && phases.has('a') && !phases.has('b')) {
    throw new Error('--rate auto is half the floor (b) of the same run: add phase b, pass --rate N, or --rate-jobs 0');
  }
  const store = values['temporal-store'] ?? 'file';
  if (store !== 'memory' && store !== 'file') throw new Error('--temporal-store must be memory or file');
  const temporal = values.temporal ?? 'dev';
  if (temporal !== 'dev' && temporal !== 'cluster') throw new Error('--temporal must be dev or cluster');
  return {
    jobs: count('jobs', values.jobs, DEFAULTS.jobs),
    concurrency: count('concurrency', values.concurrency, DEFAULTS.concurrency),
    rate,
    rateJobs,
    seedJobs: count('seed-jobs', values['seed-jobs'], DEFAULTS.seedJobs, 0),
    seedAlerts: count('seed-alerts', values['seed-alerts'], DEFAULTS.seedAlerts, 0),
    floodAlerts: count('flood-alerts', values['flood-alerts'], DEFAULTS.floodAlerts),
    apiRps: count('api-rps', values['api-rps'], DEFAULTS.apiRps),
    apiSeconds: count('api-seconds', values['api-seconds'], DEFAULTS.apiSeconds),
    watchItems: count('watch-items', values['watch-items'], DEFAULTS.watchItems),
    watchVaults: count('watch-vaults', values['watch-vaults'], DEFAULTS.watchVaults),
    watchMisses: count('watch-misses', values['watch-misses'], DEFAULTS.watchMisses),
    watchIdleSeconds: count('watch-idle-seconds', values['watch-idle-seconds'], DEFAULTS.watchIdleSeconds),
    fanoutHooks: count('fanout-hooks', values['fanout-hooks'], DEFAULTS.fanoutHooks, 2),
    phases: phases as BenchArgs['phases'],
    temporalStore: store,
    temporal,
    workers: count('workers', values.workers, 1),
    databaseUrl: values['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/backup_monitor_bench',
    digestInterval: values['digest-interval'] ?? DEFAULTS.digestInterval,
    write: !values['no-write'],
    out: values.out ?? 'docs/benchmarks.md',
    sqlAfterMigrate: values['sql-after-migrate'],
    cpuProfileDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
  };
}

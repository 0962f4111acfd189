// The "before" of issue 15: the last full run before it (docs/benchmarks.md of 2026-12-01, phases
// a–d; phase w from the separate `--phases w` run of the same day). Hard-coded on purpose: the
// results table shows every target beside what that run measured; "—" where it measured nothing.
export const BEFORE_DATE = '2026-12-01';

export const BEFORE = {
  ratio: '0.82 (19.9 / 24.2 jobs/s)',
  postStart: 'p50 401 ms, p99 903 ms (concurrency 32)',
  postComplete: 'p50 310 ms, p99 580 ms (concurrency 32)',
  alertToEmail: 'p99 47,438 ms at 18.6 jobs/s (50 offered)',
  alertToWebhook: '—',
  fanout: '—',
  listP99: '0/9; worst 74.1 ms',
  listRatio: '0/9; worst 4.14×',
  digest: '0.6 s',
  // As that run reported it (its maximum restarted with each phase); its (a) runs peaked at 642 and 697 MB.
  workerRss: 'max 526 MB as reported, (a) peaked at 697 MB; idle after start 391 MB',
  watchLateness: 'p99 1,438 ms (reader 4.2 s), phase w alone',
  watchIdleRss: '336 MB, phase w alone',
} as const;

/** HTTP p99 and its ratio to the same SQL per list scenario of that run; scenarios added since have none. */
export const BEFORE_LISTS: Record<string, { p99: number; ratio: number }> = {
  'jobs, first page': { p99: 46.3, ratio: 2.99 },
  'jobs, status=Failed': { p99: 49.3, ratio: 2.67 },
  'jobs, workloadType=AzureFiles&operation=Restore': { p99: 74.1, ratio: 1.53 },
  'jobs, from/to (one week, a month ago)': { p99: 41.8, ratio: 4.14 },
  'jobs, deep cursor': { p99: 57.7, ratio: 3.34 },
  'jobs, status=Failed, deep cursor': { p99: 67.8, ratio: 2.22 },
  'alerts, first page': { p99: 46.8, ratio: 4.03 },
  'alerts, status=Active&severity=Critical': { p99: 45.2, ratio: 3.45 },
  'alerts, deep cursor': { p99: 40.9, ratio: 1.56 },
};

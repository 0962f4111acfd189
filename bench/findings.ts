// The "Findings and next steps" of docs/benchmarks.md: for every target missed, the measured
// reason and what to change. Each block is tied to the measurement that shows it, so a block
// disappears on its own once the cause is fixed.
import type { BenchReport } from './report';
import { mb, ms, num } from './lib/stats';

const perJob = (report: BenchReport, phase: 'a' | 'b' | 'aRate', name: string, jobs?: number) => {
  const seconds = report.phases[phase]?.cpuSeconds[name];
  return seconds !== undefined && jobs ? (seconds * 1000) / jobs : Number.NaN;
};

export function findings(report: BenchReport): string[] {
  const out: string[] = [];
  const { lifecycle: a, floor: b, lifecycleAtRate: rate, api, flood } = report;

  if (a && b) {
    const ratio = a.jobsPerSec / b.jobsPerSec;
    const cpu = (phase: 'a' | 'b', name: string) => perJob(report, phase, name, phase === 'a' ? a.jobs : b.jobs);
    const ours = ['worker', 'api', 'temporal', 'postgres'].reduce((sum, k) => sum + (cpu('a', k) || 0), 0);
    const floor = ['floorWorker', 'temporal'].reduce((sum, k) => sum + (cpu('b', k) || 0), 0);
    const xactsPerJob = (report.phases.a?.dbTransactions ?? 0) / a.jobs;
    const polling = xactsPerJob > 40
      ? `1. **The API's read-your-writes wait polls Postgres every 20 ms** (\`waitUntil\` in api/deps.ts, used by
   \`startJob\`, \`completeJob\`, \`cancelJob\`, \`saveSettings\`). Under load each \`POST …/jobs\` waits for the
   worker, so every request in flight issues 50 queries a second: that is most of the ${num(xactsPerJob, 0)}
   transactions per job (a job needs about ten writes and reads) and most of the API's and Postgres's
   CPU${a.startHttp.p50 > 2_500 ? `; POST start p50 ${ms(a.startHttp.p50)} is the 3 s budget running out while the job waits in the queue` : ''}. Next step (api/,
   db/): one \`LISTEN\` connection in the API and a \`pg_notify('job_changed', vault_id || '/' || id)\` from
   the jobs write (a trigger in a migration, or the activity's statement), waiters resolved by the
   notification with the poll kept as a slow fallback (e.g. 250 ms); or at least an exponential
   back-off from 10 ms.
`
      : `1. **The API's read-your-writes wait** now backs off (10 ms doubling to 250 ms, commit 8d510cf):
   ${num(xactsPerJob, 0)} Postgres transactions per job in this run, down from 87–95 with the former 20 ms poll.
   What polling is left could go with a \`LISTEN\` connection in the API and a \`pg_notify\` from the jobs
   write (a trigger in a migration), the poll kept as a slow fallback.
`;
    out.push(`### Throughput: ours ${num(a.jobsPerSec)} jobs/s, floor ${num(b.jobsPerSec)} jobs/s (ratio ${num(ratio, 2)}, target ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'not met'})

Both runs are CPU-bound on two cores shared with the Temporal server and Postgres. CPU per job
(phase cost table): ours ${num(ours, 0)} ms (worker ${num(cpu('a', 'worker'), 0)}, API ${num(cpu('a', 'api'), 0)},
Temporal ${num(cpu('a', 'temporal'), 0)}, Postgres ${num(cpu('a', 'postgres'), 0)}), the floor ${num(floor, 0)} ms (worker
${num(cpu('b', 'floorWorker'), 0)}, Temporal ${num(cpu('b', 'temporal'), 0)}). Postgres ran ${num(xactsPerJob, 0)} transactions per job.
Where ours spends more than the floor, and what would take it off:

${polling}2. **\`completeJob\` describes the workflow before signalling** (api/commands/jobs.ts \`openJobHandle\`):
   one \`DescribeWorkflowExecution\` per completion, plus a \`findJob\`. Signal directly and map
   \`WorkflowNotFoundError\` to 404/409; the 409 for a terminal job can come from the read model alone.
3. **Four regular activities per alerting job, each a server round trip and a workflow task**
   (workflows/backup-job.ts: \`recordJobStarted\`, \`recordJobFinished\`, \`raiseAlert\`,
   \`handAlertToVault\`). The three database writes are short and idempotent: as local activities
   (\`proxyLocalActivities\`) they would be recorded as markers inside the workflow task instead of
   costing schedule/start/complete events, history and task dispatch on the server; \`raiseAlert\` and
   \`handAlertToVault\` can also be one activity (the hand-off is idempotent by alert id in VaultState).
4. Two \`upsertSearchAttributes\` per alerting job (JobStatus, then AlertSeverity) are two visibility
   writes; one upsert after \`raiseAlert\` with both keys halves them.

Measured once on 2026-11-25 with patched copies of the tree (phase (a), 1,000 jobs, concurrency 32,
the same loaded machine, runs alternated): as is 8.9 / 10.4 / 10.6 jobs/s; local activities for the
three writes (item 3) 12.1 / 14.2 jobs/s, Temporal CPU 71–77 → 45–52 ms per job; a poll back-off
from 10 ms doubling to 250 ms (item 1; it has since landed in 8d510cf) 11.3 / 11.7 jobs/s, 87 → 26 Postgres
transactions per job, API CPU 36–40 → 22–24 ms per job. Both together with a prebuilt workflow
bundle: 15.6 jobs/s against a floor of 22.2 in the same run (ratio 0.70, against 0.63 as is in the
run after it). Items 2 and 4 and NOTIFY itself were not measured; they take API and server CPU off
what remains (API ${num(cpu('a', 'api'), 0)} ms and Postgres ${num(cpu('a', 'postgres'), 0)} ms per job in this run).`);
  }

  if (rate) {
    const held = rate.jobsPerSec >= (rate.offeredRate ?? 0) * 0.95;
    if (!held || rate.alertToEmail.p99 > 1_000) {
      out.push(`### Alert→email at ${rate.offeredRate} jobs/s: p99 ${ms(rate.alertToEmail.p99)} (target ≤ 1 s: not met)

${held ? '' : `This machine does not sustain ${rate.offeredRate} jobs/s (the run achieved ${num(rate.jobsPerSec)} jobs/s with up to
${rate.concurrency} jobs in flight), so jobs queue in Temporal and the alert and its email wait behind
them: complete→alert p50 ${ms(rate.completeToAlert.p50)}, the email ${ms(rate.visibleToEmail.p50)} (p50) after the alert row appears. `}The
email path itself is short when the system is idle (one \`sendAlertEmail\` activity: two reads, a
react-email render, the outbox insert and the provider call in one transaction). Next step: the
throughput items above. ${rate.offeredRate} jobs/s on two cores leaves at most ${num(2_000 / (rate.offeredRate ?? 1), 0)} ms of CPU per job for
everything (worker, API, Temporal, Postgres); this run spent ${num(['worker', 'api', 'temporal', 'postgres'].reduce((sum, k) => sum + (perJob(report, 'aRate', k, rate.jobs) || 0), 0), 0)} ms.`);
    }
  }

  if (api) {
    const slow = api.scenarios.filter((s) => s.http.p99 > 25 || s.ratioP99 > 1.5 || s.http.rps < api.rps * 0.95);
    if (slow.length > 0) {
      const items: string[] = [];
      const first = api.scenarios.find((s) => s.name === 'jobs, first page');
      if (api.listIndexDefs.some((def) => /NULLS LAST/i.test(def))) {
        items.push(`**The list indexes do not match the queries' sort order.** db/schema.ts declares
   \`jobs_list_idx\` and \`alerts_list_idx\` with \`.desc()\`, which drizzle-kit writes as \`DESC NULLS LAST\`;
   the API's \`ORDER BY started_at DESC, id DESC\` means \`NULLS FIRST\`. Postgres cannot read a page off
   such an index, so a list request reads the whole vault, sorts it and keeps 51 rows${first ? ` (first page
   of jobs: ${ms(first.sql.p50, 1)} p50 as raw SQL)` : ''}. Fix (db/): \`.desc().nullsFirst()\` on both columns of both
   indexes, then \`npm run db:generate\`; \`bench/experiments/list-indexes-nulls-first.sql\` is that migration
   for \`--sql-after-migrate\`.`);
      }
      if (/ or /i.test(api.deepCursorSql)) {
        items.push(`**The cursor condition is not an index condition.** \`startedAt < at OR (startedAt = at AND id < id)\`
   is applied as a filter, so page 100 walks the 4,950 rows before it. The row comparison
   \`(started_at, id) < ($1, $2)\` is an index range condition.`);
      }
      const overhead = api.scenarios.map((s) => s.http.p50 - s.sql.p50);
      const rare = api.scenarios.find((s) => s.name.includes('AzureFiles'));
      items.push(`**What is left is per-request overhead and a loaded machine.** HTTP p50 is
   ${num(Math.min(...overhead), 0)}–${num(Math.max(...overhead), 0)} ms above the SQL's p50 in every scenario: the API's own work per request
   (routing, zod validation of params and query, the \`requireVault\` query and its round trip, mapping
   and JSON) while the machine's load average stood at ${report.loadBefore.c ?? '?'} (other engineers' test runs on the same
   two cores). The SQL's own p99 (${num(Math.min(...api.scenarios.map((s) => s.sql.p99)), 0)}–${num(Math.max(...api.scenarios.map((s) => s.sql.p99)), 0)} ms against a p50 of ${num(Math.min(...api.scenarios.map((s) => s.sql.p50)), 0)}–${num(Math.max(...api.scenarios.map((s) => s.sql.p50)), 0)} ms) shows the same
   scheduling noise: autocannon's pacing sends each second's requests in a burst over 10 connections.
   Next steps: (1) rerun \`npm run bench -- --phases c\` when the load average is below 1; (2) drop the
   separate \`requireVault\` query from the list routes (an \`exists\` in the list query, or look the vault up
   only when the page is empty, to tell 404 from an empty list); (3) ${rare ? `the rare filter combination
   (\`${rare.name.replace('jobs, ', '')}\`, under 1% of a vault's jobs) costs ${ms(rare.sql.p50, 1)} SQL p50 because it walks the
   vault's index until 51 rows match; if admins filter like that often, a partial or composite index on
   (vault_id, workload_type, started_at DESC, id DESC) serves it` : 'a composite index for frequent rare filters'}.`);
      out.push(`### List endpoints: ${slow.length}/${api.scenarios.length} scenarios miss p99 ≤ 25 ms, ≤ 1.5× SQL or 200 rps

Since commit 8d510cf the list indexes match the queries' order (NULLS FIRST) and the cursor is a row
comparison: ${api.listIndexDefs.some((def) => /NULLS LAST/i.test(def)) || / or /i.test(api.deepCursorSql) ? 'not in this run\'s database or code, see below' : 'every scenario here reads its page straight off the index'}. Before that change (2026-11-25, same
seed, load about 5) four job scenarios managed only 15–22 requests/s with HTTP p99 0.5–1.6 s: each request sorted
the vault's 40,000 listed jobs (raw SQL p50 346 ms for the first page).

${items.map((item, i) => `${i + 1}. ${item}`).join('\n')}`);
    }
  }

  if (flood && flood.workerRssMaxBytes > 300 * 1024 * 1024) {
    out.push(`### One vault with ${flood.alerts.toLocaleString('en-US')} alerts: the worker peaks at ${mb(flood.workerRssMaxBytes)}

The digest itself is fast (window end → digest ${flood.allDigestedMs === null ? 'n/a' : ms(flood.allDigestedMs)}), but the worker's memory
jumps while one workflow takes ${num(flood.signalsPerSec, 0)} signals a second. Across runs on 2026-11-25 the peak varied
from 584 MB to 955 MB, and the high runs used about three times the worker CPU for the same
signals (39 s against 13 s), which points at the vault workflow being evicted from the sticky
cache and replayed from its history, up to 10,000 events (runs: ${flood.runs.map((r) => r.historyLength).join(', ')} events).
Next steps: confirm with the SDK's \`sticky_cache_miss\` / replay metrics (the worker exports them
with \`WORKER_METRICS_PORT\`); lower \`MAX_HISTORY_EVENTS\` in workflows/vault-notifications.ts
(2,000–5,000 bounds a replay to a fifth of today's; the carried state is small). The 250-run cache
bound (\`WORKER_MAX_CACHED_WORKFLOWS\`, 8d510cf) does not prevent this peak: it limits how many runs
stay cached, not how large one run's replay gets.`);
  }

  if (flood && (flood.allDigestedMs === null || flood.allDigestedMs > 10_000)) {
    out.push(`### One vault with ${flood.alerts.toLocaleString('en-US')} alerts: window end → digest ${flood.allDigestedMs === null ? 'not reached' : ms(flood.allDigestedMs)} (target ≤ 10 s: not met)

Runs: ${flood.runs.map((r) => `${r.historyLength} events`).join(', ')}.${flood.lateSignals > 0 ? ` ${flood.lateSignals} signals arrived after the window ended and went out in a follow-up digest.` : ''}`);
  }

  const rssMax = report.workerRssMaxBytes ?? 0;
  if (rssMax > 300 * 1024 * 1024) {
    out.push(`### Worker RSS: max ${mb(rssMax)}, ${mb(report.workerRssIdleBytes ?? 0)} right after start (target ≤ 300 MB: not met)

Peaks by phase: (a) ${mb(a?.workerRssMaxBytes ?? 0)}, (a) at ${rate?.offeredRate ?? '–'} jobs/s ${mb(rate?.workerRssMaxBytes ?? 0)}, (d) ${mb(flood?.workerRssMaxBytes ?? 0)} (see above).

Most of it is there before the first task: worker/create-worker.ts passes \`workflowsPath\`, so every
worker start runs webpack in-process to bundle the workflow code, and the process keeps that memory.
Measured on this machine with the same workflows and no activities: 307 MB after start with
\`workflowsPath\`, 197 MB with a prebuilt bundle (\`workflowBundle: { codePath }\`). Next step (worker/,
package.json): bundle once at build time (\`bundleWorkflowCode\` → e.g. \`dist/workflow-bundle.js\`, an
npm script run by \`npm start\` and CI) and load it in production; keep \`workflowsPath\` for tests.
The remainder grows with cached workflows; \`WORKER_MAX_CACHED_WORKFLOWS\` (default 250 since 8d510cf;
the SDK's own default is a share of the heap limit, thousands here) bounds that growth.`);
  }
  if (out.length === 0) out.push('Every target is met in this run.');
  return out;
}

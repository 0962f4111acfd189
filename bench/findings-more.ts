// Findings for the list endpoints (c), the digest (d), worker memory and the watch (w): each block
// only when its target was missed, with the numbers of this run that say why.
import type { ScenarioResult } from './api-load';
import { mb, ms, num } from './lib/stats';
import type { BenchReport } from './report';
import { TARGETS } from './verdicts';

/** List scenarios whose filter is not in the index their query reads (db/schema/). */
const WALKED: Record<string, string> = {
  'jobs, status=Failed': 'jobs_list_idx has no status',
  'jobs, workloadType=AzureFiles&operation=Restore': 'jobs_list_idx has neither column',
  'jobs, status=Failed, deep cursor': 'jobs_list_idx has no status',
  'alerts, status=Active&severity=Critical': 'alerts_status_list_idx has no severity',
  'deliveries, channel=webhook': 'deliveries_list_idx has no channel',
  'deliveries, status=Failed': 'deliveries_list_idx has no status',
};

const range = (values: number[], digits = 0) => `${num(Math.min(...values), digits)}–${num(Math.max(...values), digits)}`;

function listFindings(report: BenchReport): string | null {
  const api = report.api;
  if (!api) return null;
  const slow = api.scenarios.filter((s) => s.http.p99 > TARGETS.listP99 || s.ratioP99 > TARGETS.listRatio || s.http.rps < api.rps * 0.95);
  if (slow.length === 0) return null;
  const items: string[] = [];
  // Scenarios whose SQL alone misses the target: the query, not the API, is the problem there.
  const sqlSlow = api.scenarios.filter((s) => s.sql.p99 > TARGETS.listP99).sort((a, b) => b.sql.p50 - a.sql.p50);
  const overhead = api.scenarios.map((s) => s.http.p50 - s.sql.p50);
  const floorOverhead = api.scenarios.map((s) => s.floor.p50 - s.sql.p50);
  const floorRatios = api.scenarios.map((s) => s.floorRatioP99);
  const floorMisses = api.scenarios.filter((s) => s.floorRatioP99 > TARGETS.listRatio).length;
  items.push(`**What an HTTP hop alone costs here.** A bare \`node:http\` server sending the very same
   statements through the same pool and answering their rows as JSON (bench/list-floor-server.ts, no
   framework, validation or mapping) has p99 ${range(floorRatios, 2)}× the SQL's and misses ${TARGETS.listRatio}× in ${floorMisses} of ${api.scenarios.length}
   scenarios: on ${report.machine.cores} shared cores one more process between the caller and Postgres must be scheduled
   twice per request. Against that floor, ours is ${range(api.scenarios.map((s) => s.http.p99 / s.floor.p99), 1)}× at p99; the rest is the API's own work (next item).`);
  items.push(`**Per-request work in the API.** HTTP p50 is ${range(overhead, 1)} ms above the SQL's p50 (the bare server's
   ${range(floorOverhead, 1)} ms): authentication, routing, zod validation of params and query, drizzle's row
   mapping and JSON (the vault check is inside the list statement; a separate lookup runs only for an
   empty page). ${api.scenarios.filter((s) => s.ratioP99 > TARGETS.listRatio).length} scenarios exceed ${TARGETS.listRatio}× the SQL's p99. Measured with the API alone on the
   seeded database (docs/design/performance.md §7): 1.1–1.6 ms of CPU per list request against the bare
   server's 0.9–1.1. Next step: the API's own per-request work (drizzle's row mapping is the largest
   item), and phase (c) with the load generator on another host.`);
  if (sqlSlow.length > 0) {
    const names = sqlSlow.slice(0, 4).map((s) => `\`${s.name}\` ${ms(s.sql.p50, 1)} / ${ms(s.sql.p99, 1)}`).join(', ');
    items.push(`**The SQL alone misses ${TARGETS.listP99} ms at p99 in ${sqlSlow.length} scenarios** (p50 / p99: ${names}).
   Its p50 spans ${range(api.scenarios.map((s) => s.sql.p50), 1)} ms and its p99 ${range(api.scenarios.map((s) => s.sql.p99), 1)} ms: where p99 is many times p50 the
   spread is the machine (load average ${report.loadBefore.c ?? '?'} before the phase on ${report.machine.cores} cores; every process of the stack and the load
   generator share them); where p50 itself is high the query reads more than its page.
   On an idle machine a 5 ms timer fires up to 60 ms late and the jobs page statement alone has p99
   21 ms / max 159 ms at 200/s (docs/design/performance.md §5): the machine's jitter is most of the tail.`);
  }
  const byName = new Map(api.scenarios.map((s) => [s.name, s] as const));
  const deliveries = byName.get('deliveries, first page');
  const alerts = byName.get('alerts, first page');
  if (deliveries && alerts && deliveries.sql.p50 > alerts.sql.p50 * 1.5) {
    items.push(`**The deliveries list reads every row's payload.** \`listDeliveries\` (readmodel/deliveries.ts) selects
   all columns, including the stored rendered payload (a whole email, several KB, from TOAST), though the
   answer never carries it: its first page costs ${ms(deliveries.sql.p50, 2)} SQL p50 against ${ms(alerts.sql.p50, 2)} for the alerts'.
   Next step: select the columns \`deliveryFromRow\` uses.`);
  }
  // Filters the list index does not contain (db/schema/): applied row by row while walking it.
  const walked = api.scenarios.filter((s) => WALKED[s.name] && s.sql.p50 > Math.min(...api.scenarios.map((x) => x.sql.p50)) * 2);
  if (walked.length > 0) {
    items.push(`**Filters outside the list index are applied while walking it**: ${walked.map((s) => `\`${s.name}\` (${WALKED[s.name]}; SQL p50 ${ms(s.sql.p50, 1)}, ${s.rows} rows on the shortest page)`).join(', ')}.
   If admins filter like that often, a partial or composite index on the filter column and the list order serves it.`);
  }
  const short = api.scenarios.filter((s) => s.http.rps < api.rps * 0.95);
  if (short.length > 0) items.push(`**Below ${api.rps} requests/s:** ${short.map((s) => `\`${s.name}\` ${num(s.http.rps, 0)}/s`).join(', ')}: the API could not keep the rate.`);
  return `### List endpoints: ${slow.length}/${api.scenarios.length} scenarios miss p99 ≤ ${TARGETS.listP99} ms, ≤ ${TARGETS.listRatio}× SQL or ${api.rps} rps

${worstLine(slow)}

${items.map((item, i) => `${i + 1}. ${item}`).join('\n')}`;
}

function worstLine(slow: ScenarioResult[]): string {
  const worst = [...slow].sort((a, b) => b.http.p99 - a.http.p99).slice(0, 3);
  return `Worst HTTP p99: ${worst.map((s) => `\`${s.name}\` ${ms(s.http.p99, 1)} (SQL ${ms(s.sql.p99, 1)}, ${num(s.ratioP99, 2)}×)`).join('; ')}.`;
}

export function findingsMore(report: BenchReport): string[] {
  const out: string[] = [];
  const lists = listFindings(report);
  if (lists) out.push(lists);
  const { flood, watch } = report;

  if (flood && (flood.allDigestedMs === null || flood.allDigestedMs > TARGETS.digestMs)) {
    out.push(`### One vault with ${flood.alerts.toLocaleString('en-US')} alerts: window end → digest ${flood.allDigestedMs === null ? 'not reached' : ms(flood.allDigestedMs)} (target ≤ 10 s: not met)

Signals arrived at ${num(flood.signalsPerSec, 0)}/s; ${flood.lateSignals} after the window ended; ${flood.digests} digest(s) carried
${flood.alertsDigested.toLocaleString('en-US')} alerts; runs of the vault's workflow: ${flood.runs.map((r) => `${r.historyLength} events`).join(', ')}.
Next step: the vault workflow's history around the window's end (\`temporal workflow show\`) shows whether the
digest waited for signals, for the planning activity or for the provider.`);
  }

  const rssMax = report.workerRssMaxBytes ?? 0;
  if (rssMax > TARGETS.rssBytes || (watch && watch.idleWorkerRssBytes > TARGETS.rssBytes)) {
    const peaks: [string, number | undefined][] = [
      ['(a) throughput', report.lifecycle?.workerRssMaxBytes], ['(a) latency run', report.lifecycleAtRate?.workerRssMaxBytes],
      ['(d)', flood?.workerRssMaxBytes], ['(w) raising', watch?.workerRssMaxBytes], ['(w) idle', watch?.idleWorkerRssBytes],
    ];
    const idle = report.workerRssIdleBytes ?? 0;
    out.push(`### Worker RSS: max ${mb(rssMax)} over the run, ${mb(idle)} right after start (target ≤ 300 MB: not met)

Peaks by phase: ${peaks.filter(([, v]) => v).map(([k, v]) => `${k} ${mb(v!)}`).join(', ')}. The worker loads the prebuilt
workflow bundle (\`WORKFLOW_BUNDLE_PATH\`), so no webpack runs in it; ${idle > TARGETS.rssBytes * 0.8
  ? `${mb(idle)} before the first task is most of the budget: the process's baseline (Node, the SDK's native runtime, the bundle in its V8 context, activity dependencies such as react-email) is what to cut`
  : `it grows from ${mb(idle)} at start with the work: cached workflows (\`WORKER_MAX_CACHED_WORKFLOWS\`) and the activities' allocations`}.
Next step: \`process.memoryUsage()\` (heap, external, array buffers) logged by the worker at start and at each
peak, to tell V8 heap from native memory; then try a smaller \`WORKER_MAX_CACHED_WORKFLOWS\` in a \`--phases a,d\` run.`);
  }

  if (watch && !(watch.alertsSeen >= watch.misses && watch.visibleLateness.p99 <= TARGETS.watchP99)) {
    out.push(`### Missed-backup watch: lateness p99 ${ms(watch.lateness.p99)}, visible to a reader ${ms(watch.visibleLateness.p99)} (target ≤ 5 s: not met)

${watch.alertsSeen}/${watch.misses} BackupMissed alerts raised for items due at one instant over ${watch.vaults} vaults
(${watch.items.toLocaleString('en-US')} items watched); raisedAt lateness p50 ${ms(watch.lateness.p50)}, committed and read p50 ${ms(watch.visibleLateness.p50)}.
The gap between the two is the sweep's transaction: raisedAt is stamped when a sweep batch starts, the rows
become visible when that batch's transaction commits (up to \`SWEEP_BATCH\` = 1,000 items with their alerts,
history and planned deliveries, activities/backup-watch.ts). Next step: time one batch's statements; smaller
batches make the first alerts visible sooner at the cost of more transactions.`);
  }
  return out;
}

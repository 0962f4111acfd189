// The "Findings and next steps" of docs/benchmarks.md: for every target missed, the measured
// reason and what to change next. Each block is computed from this run's numbers, so it goes away
// once its target is met. Lists, digest, memory and watch: bench/findings-more.ts.
import { findingsMore } from './findings-more';
import { ms, num } from './lib/stats';
import type { BenchReport, PhaseKey } from './report';
import { heldRate, rateLabel, TARGETS, verdicts } from './verdicts';

const OURS = ['worker', 'api', 'temporal', 'postgres'] as const;
const NAMES: Record<string, string> = { worker: 'worker', api: 'API', temporal: 'Temporal', postgres: 'Postgres', floorWorker: 'floor worker' };

/** CPU ms per job of one process in one phase (NaN when not measured). */
export function cpuPerJob(report: BenchReport, phase: PhaseKey, name: string, jobs?: number): number {
  const s = report.phases[phase]?.cpuSeconds[name];
  return s !== undefined && jobs ? (s * 1000) / jobs : Number.NaN;
}

/** Cores the processes kept busy on average over a phase. */
function coresBusy(report: BenchReport, phase: PhaseKey): number {
  const cost = report.phases[phase];
  if (!cost) return Number.NaN;
  const total = Object.values(cost.cpuSeconds).reduce((a, b) => a + b, 0);
  return total / (cost.wallMs / 1000);
}

export function findings(report: BenchReport): string[] {
  const out: string[] = [];
  const { lifecycle: a, floor: b, lifecycleAtRate: rate, fanout } = report;
  const cores = report.machine.cores;

  if (a && b && a.jobsPerSec / b.jobsPerSec < TARGETS.ratio) {
    const ratio = a.jobsPerSec / b.jobsPerSec;
    const ours = (k: string) => cpuPerJob(report, 'a', k, a.jobs);
    const floor = (k: string) => cpuPerJob(report, 'b', k, b.jobs);
    const total = OURS.reduce((sum, k) => sum + (ours(k) || 0), 0);
    const floorTotal = ['floorWorker', 'temporal', 'postgres', 'api'].reduce((sum, k) => sum + (floor(k) || 0), 0);
    const deltas = OURS.map((k) => ({ k, delta: (ours(k) || 0) - (k === 'worker' ? floor('floorWorker') || 0 : floor(k) || 0) }))
      .sort((x, y) => y.delta - x.delta);
    const xacts = (report.phases.a?.dbTransactions ?? 0) / a.jobs;
    const busyA = coresBusy(report, 'a');
    const why: Record<string, string> = {
      temporal: 'server work per job: ours upserts search attributes and records patch markers, and starts a delivery workflow for a message ' +
        'whose first attempt (made by the raise) needs a retry; the floor runs the email and the webhook as two activities of the vault\'s workflow',
      worker: 'the activities\' own work (the Postgres writes, rendering, signing and sending each email and webhook), which the floor\'s no-op activities skip',
      api: 'the two POSTs per job (the floor is driven straight through the Temporal client)',
      postgres: `${num(xacts, 0)} transactions per job, which the floor does not have`,
    };
    out.push(`### (a)/(b) = ${num(ratio, 2)} (target ≥ ${num(TARGETS.ratio)}: not met)

Ours ${num(a.jobsPerSec)} jobs/s, the floor ${num(b.jobsPerSec)} jobs/s, both at concurrency ${a.concurrency}. CPU per job
(phase cost table): ours ${num(total, 0)} ms (${OURS.map((k) => `${NAMES[k]} ${num(ours(k), 0)}`).join(', ')}), the floor
${num(floorTotal, 0)} ms (floor worker ${num(floor('floorWorker'), 0)}, Temporal ${num(floor('temporal'), 0)}). Over (a) the processes kept
${num(busyA, 1)} of ${cores} cores busy (load average ${report.loadBefore.a ?? '?'} before it), so ${busyA >= cores * 0.8
  ? 'the run is CPU-bound and the ratio follows the CPU spent per job'
  : 'the run is not CPU-bound: part of each job is waiting (round trips), not computing'}.
Where ours spends more than the floor, largest first:

${deltas.filter((d) => d.delta > 0).map((d, i) => `${i + 1}. **${NAMES[d.k]}: +${num(d.delta, 0)} ms per job**: ${why[d.k]}.`).join('\n')}

Measured (\`npm run bench -- --phases a --cpu-prof DIR\`, docs/design/performance.md §5 and §7): the SDK calls into the
workflow sandbox with a vm timeout, and Node starts a watchdog thread for each call (about 5 ms of worker CPU
per job here; nodejs/node#47739); drizzle's query building is the largest item of the worker's own code.
Done since: one transaction for a success's end and its auto-resolve, prepared statements (Postgres 6.1 → 3.8 ms
per job in an A/B of one session). Next step: the job path's statements built once (drizzle's \`.prepare()\`
cannot serve a transaction's connection, so raw SQL for the three hottest), and fewer statements per job
(the worker's \`recordJobStarted\` repeats the API's insert).`);
  }

  if (rate) {
    const at = rateLabel(report);
    const misses = verdicts(report).filter((v) => v.met === false && v.target.startsWith('POST'));
    if (misses.length > 0) {
      const api = cpuPerJob(report, 'aRate', 'api', rate.jobs);
      const held = heldRate(rate);
      out.push(`### POST …/jobs p50 ${ms(rate.startHttp.p50)} / p99 ${ms(rate.startHttp.p99)}, POST …/complete p50 ${ms(rate.completeHttp.p50)} / p99 ${ms(rate.completeHttp.p99)} ${at} (targets ${TARGETS.httpP50} / ${TARGETS.httpP99} ms: not met)

${held ? `The run held its rate (${num(rate.jobsPerSec)} jobs/s achieved).` : `The run achieved ${num(rate.jobsPerSec)} of the ${num(rate.offeredRate ?? 0)} jobs/s offered: jobs
queued and every request waited behind them.`} The API's own CPU was ${num(api, 1)} ms per job for both requests
together (phase cost table), so each request spends most of its time waiting, not computing:
\`POST …/jobs\` is one lookup (vault and job), one \`StartWorkflowExecution\` and an insert; \`POST …/complete\` a claim
in Postgres, one \`SignalWorkflowExecution\` and a mark (api/commands/jobs.ts).${b?.startMs && b.signalMs ? ` The same two
Temporal calls from the bench's own client in (b), at concurrency ${b.concurrency}: start p50 ${ms(b.startMs.p50)} / p99 ${ms(b.startMs.p99)},
signal p50 ${ms(b.signalMs.p50)} / p99 ${ms(b.signalMs.p99)}.` : ''} Load average ${report.loadBefore.aRate ?? '?'} on ${cores} cores before the run.
Next step: time the steps inside the two routes (a histogram per step in api/metrics.ts, or a
\`Server-Timing\` header) to split Temporal's share from Postgres's; if it is Temporal's, compare the dev
server's SQLite persistence with \`--temporal cluster\` on the same machine.`);
    }

    const emailMiss = rate.alertToEmail.p99 > TARGETS.notifyP99 || rate.emailsSeen < rate.emailsExpected;
    const hookMiss = rate.alertToWebhook.p99 > TARGETS.notifyP99 || rate.webhooksSeen < rate.webhooksExpected;
    if (emailMiss || hookMiss || !heldRate(rate)) {
      out.push(`### Alert→email p99 ${ms(rate.alertToEmail.p99)}, alert→webhook p99 ${ms(rate.alertToWebhook.p99)} ${at} (target ≤ 1 s: ${emailMiss || hookMiss ? 'not met' : 'met, but the rate was not held'})

${heldRate(rate) ? '' : `The machine did not sustain the offered ${num(rate.offeredRate ?? 0)} jobs/s (achieved ${num(rate.jobsPerSec)}, up to ${rate.concurrency}
in flight), so work queued in Temporal. `}Split of the time: \`complete\` → the alert row visible p50 ${ms(rate.completeToAlert.p50)} /
p99 ${ms(rate.completeToAlert.p99)} (the job workflow's task and its local activities); then the alert row → the email
accepted p50 ${ms(rate.visibleToEmail.p50)} / p99 ${ms(rate.visibleToEmail.p99)}. The webhook (every vault has one) took p50
${ms(rate.alertToWebhook.p50)} from \`raisedAt\`, the email p50 ${ms(rate.alertToEmail.p50)}${rate.webhooksSeen < rate.webhooksExpected ? `; ${rate.webhooksExpected - rate.webhooksSeen} webhooks never arrived` : ''}${rate.emailsSeen < rate.emailsExpected ? `; ${rate.emailsExpected - rate.emailsSeen} emails never arrived` : ''}.
${rate.completeToAlert.p99 > TARGETS.notifyP99 / 2
  ? 'Most of it passes before the alert exists: the job workflow waits for a workflow task on a busy worker and server.'
  : 'Most of it passes after the alert exists: planning the deliveries, then starting one delivery workflow per message and its attempt activity.'}
Next step: ${rate.completeToAlert.p99 > TARGETS.notifyP99 / 2
  ? 'less CPU per job for the workflow side (worker and Temporal in the phase cost table), since workflow tasks queue behind each other on two cores.'
  : 'send the first attempt from the activity that planned the deliveries (after its commit) and keep the delivery workflow for retries only, so a healthy endpoint is one HTTP call after the alert.'}`);
    }
  }

  if (fanout && !(fanout.allHealthyMs !== null && fanout.allHealthyMs <= TARGETS.fanoutMs)) {
    const hangFirst = fanout.hangFirstRequestMs;
    const blocked = hangFirst !== null && fanout.allHealthyMs !== null && fanout.allHealthyMs > hangFirst + 9_000;
    const single = rate?.alertToWebhook.p50;
    out.push(`### Fan-out: ${fanout.healthyAccepted}/${fanout.healthy} healthy webhooks ${fanout.allHealthyMs === null ? 'not all delivered' : `all delivered after ${ms(fanout.allHealthyMs)}`} (target ≤ 1 s: not met)

From the alert's \`raisedAt\`, each healthy endpoint accepted its webhook after p50 ${ms(fanout.perHook.p50)}, p95 ${ms(fanout.perHook.p95)},
max ${ms(fanout.perHook.max)}; the hanging endpoint received its first attempt after ${hangFirst === null ? 'never' : ms(hangFirst)}${blocked
  ? ', and the last healthy ones came only after that attempt had timed out (10 s): the hanging endpoint held them back'
  : ', and the healthy ones did not wait for it to time out: the delay is in starting and running the deliveries, not in the hanging one'}.
${fanout.plannedMs && fanout.attemptStartMs && fanout.attemptToAcceptedMs ? `The delivery log splits it: all ${fanout.healthy} rows were planned ${ms(fanout.plannedMs.max)} after \`raisedAt\`; their
attempts started from ${ms(fanout.attemptStartMs.min ?? Number.NaN)} to ${ms(fanout.attemptStartMs.max)} (p50 ${ms(fanout.attemptStartMs.p50)}), and each was accepted
${ms(fanout.attemptToAcceptedMs.p50)} (p50, max ${ms(fanout.attemptToAcceptedMs.max)}) after its attempt started: ${(fanout.attemptStartMs.max - (fanout.attemptStartMs.min ?? 0)) > fanout.attemptToAcceptedMs.max * 3
  ? `the attempts start one after another (${ms((fanout.attemptStartMs.max - (fanout.attemptStartMs.min ?? 0)) / Math.max(1, fanout.healthy - 1))} apart on average), not together`
  : 'the attempts run together; the time is before the first one starts'}. ` : ''}${single !== undefined && Number.isFinite(single) ? `One webhook alone took p50 ${ms(single)} from \`raisedAt\` in the latency run of (a). ` : ''}The hanging delivery was
${fanout.hangStatus} after ${fanout.hangAttempts} attempt(s)${fanout.hangLastError ? ` ("${fanout.hangLastError}")` : ''}.
Next step: ${blocked
  ? 'find what the deliveries share (activity slots, an HTTP agent, one workflow) and give each its own.'
  : `the ${fanout.healthy} deliveries are ${fanout.healthy} workflows started after the alert's transaction commits
(notifications/dispatch.ts starts them 20 at a time), each needing a workflow task and an activity task
on the same worker; attempting them from the activity that planned them (concurrently, bounded by the
channel timeout) and keeping the workflows for retries would make the fan-out one round of HTTP calls.`}`);
  }

  const failed = [a, rate].filter((r) => r && r.errors.length > 0);
  if (failed.length > 0) {
    const counts = new Map<string, number>();
    for (const r of failed) for (const e of r!.errors) counts.set(e.slice(0, 120), (counts.get(e.slice(0, 120)) ?? 0) + 1);
    out.push(`### Requests that failed in (a)

${failed.map((r) => `${r!.label}: ${r!.errors.length} of ${r!.jobs} jobs`).join('; ')}. Answers: ${[...counts].map(([e, n]) => `${n}× \`${e}\``).join(', ')}.
${[...counts.keys()].some((e) => e.includes('other side closed')) ? `\`other side closed\`: the API closed a kept-alive connection as the bench sent on it. Most likely the
keep-alive race: Node's server closes idle sockets after 5 s (\`keepAliveTimeout\`, not set in api/main.ts), the
client reuses them up to its own 4 s, and on a busy machine a late timer on either side loses it (not
confirmed). Next step: a \`keepAliveTimeout\` above the clients' (e.g. 65 s, \`headersTimeout\` above it) on
the API's server, then rerun.` : 'Next step: the API\'s log around those requests (LOG_LEVEL=warn keeps errors).'}`);
  }

  out.push(...findingsMore(report));
  if (out.length === 0) out.push('Every target is met in this run.');
  return out;
}


// The targets of issue 15, each with what this run measured, its verdict and the 2026-12-01 value.
import { BEFORE } from './before';
import type { LifecycleResult } from './lifecycle';
import { mb, ms, num, seconds } from './lib/stats';
import type { BenchReport } from './report';

export interface Verdict {
  target: string;
  before: string;
  measured: string;
  met: boolean | null;
}

export const TARGETS = {
  ratio: 1.0,
  httpP50: 30,
  httpP99: 150,
  notifyP99: 1_000,
  fanoutMs: 1_000,
  listP99: 25,
  listRatio: 1.5,
  digestMs: 10_000,
  rssBytes: 300 * 1024 * 1024,
  watchP99: 5_000,
} as const;

/** The latency run held its offered rate (within 5%). */
export const heldRate = (r: LifecycleResult) => r.offeredRate !== null && r.jobsPerSec >= r.offeredRate * 0.95;

/** "at half the floor (12.1 jobs/s)" or "at 20 jobs/s (--rate)". */
export function rateLabel(report: BenchReport): string {
  const rate = report.rate ?? (report.lifecycleAtRate?.offeredRate ? { jobsPerSec: report.lifecycleAtRate.offeredRate, source: 'explicit' as const } : undefined);
  if (!rate) return 'at half the floor';
  return rate.source === 'auto' ? `at half the floor (${num(rate.jobsPerSec)} jobs/s)` : `at ${num(rate.jobsPerSec)} jobs/s (--rate)`;
}

export function verdicts(report: BenchReport): Verdict[] {
  const out: Verdict[] = [];
  const { lifecycle, floor, lifecycleAtRate: r, api, flood, fanout, watch } = report;
  if (lifecycle && floor) {
    const ratio = lifecycle.jobsPerSec / floor.jobsPerSec;
    out.push({
      target: `(a)/(b) jobs/s ≥ ${num(TARGETS.ratio)}`, before: BEFORE.ratio,
      measured: `${num(ratio, 2)} (${num(lifecycle.jobsPerSec)} / ${num(floor.jobsPerSec)} jobs/s)`, met: ratio >= TARGETS.ratio,
    });
  }
  if (r) {
    const at = rateLabel(report);
    const achieved = `${num(r.jobsPerSec)} jobs/s achieved`;
    for (const [name, summary, before] of [['POST …/jobs', r.startHttp, BEFORE.postStart], ['POST …/complete', r.completeHttp, BEFORE.postComplete]] as const) {
      out.push({
        target: `${name} p50 ≤ ${TARGETS.httpP50} ms, p99 ≤ ${TARGETS.httpP99} ms ${at}`, before,
        measured: `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)} (${achieved})`,
        met: summary.p50 <= TARGETS.httpP50 && summary.p99 <= TARGETS.httpP99,
      });
    }
    const missing = (seen: number, expected: number, what: string) => (seen < expected ? `, ${expected - seen} ${what} missing` : '');
    out.push({
      target: `alert→email p99 ≤ 1 s ${at}`, before: BEFORE.alertToEmail,
      measured: `p99 ${ms(r.alertToEmail.p99)} at ${achieved}${missing(r.emailsSeen, r.emailsExpected, 'emails')}`,
      met: heldRate(r) && r.alertToEmail.p99 <= TARGETS.notifyP99 && r.emailsSeen >= r.emailsExpected,
    });
    out.push({
      target: `alert→webhook p99 ≤ 1 s ${at}`, before: BEFORE.alertToWebhook,
      measured: `p99 ${ms(r.alertToWebhook.p99)} at ${achieved}${missing(r.webhooksSeen, r.webhooksExpected, 'webhooks')}`,
      met: heldRate(r) && r.alertToWebhook.p99 <= TARGETS.notifyP99 && r.webhooksSeen >= r.webhooksExpected,
    });
  }
  if (fanout) {
    out.push({
      target: `(f) ${fanout.healthy} healthy webhooks of ${fanout.hooks} delivered ≤ 1 s while the last one hangs`, before: BEFORE.fanout,
      measured: `${fanout.healthyAccepted}/${fanout.healthy} ${fanout.allHealthyMs === null ? 'delivered' : `in ${ms(fanout.allHealthyMs)}`}; ` +
        `the hanging one ${fanout.hangStatus}, ${fanout.hangAttempts} attempt(s)`,
      met: fanout.allHealthyMs !== null && fanout.allHealthyMs <= TARGETS.fanoutMs,
    });
  }
  if (api) {
    const worst = [...api.scenarios].sort((a, b) => b.http.p99 - a.http.p99)[0];
    const fast = api.scenarios.filter((s) => s.http.p99 <= TARGETS.listP99 && s.http.rps >= api.rps * 0.95).length;
    out.push({
      target: `(c) list p99 ≤ ${TARGETS.listP99} ms at ${api.rps} rps, every scenario`, before: BEFORE.listP99,
      measured: `${fast}/${api.scenarios.length}; worst ${worst ? `${ms(worst.http.p99, 1)} (${worst.name})` : 'n/a'}`,
      met: fast === api.scenarios.length,
    });
    const close = api.scenarios.filter((s) => s.ratioP99 <= TARGETS.listRatio).length;
    const worstRatio = [...api.scenarios].sort((a, b) => b.ratioP99 - a.ratioP99)[0];
    const floorClose = api.scenarios.filter((s) => s.floorRatioP99 <= TARGETS.listRatio).length;
    const floorRatios = api.scenarios.map((s) => s.floorRatioP99);
    out.push({
      target: `(c) list p99 ≤ ${TARGETS.listRatio}× the same SQL, every scenario`, before: BEFORE.listRatio,
      measured: `${close}/${api.scenarios.length}; worst ${worstRatio ? `${num(worstRatio.ratioP99, 2)}× (${worstRatio.name})` : 'n/a'}` +
        `; a bare HTTP server over the same SQL: ${floorClose}/${api.scenarios.length}, ${num(Math.min(...floorRatios), 2)}–${num(Math.max(...floorRatios), 2)}×`,
      met: close === api.scenarios.length,
    });
  }
  if (flood) {
    out.push({
      target: `(d) window end → digest ≤ 10 s (${flood.alerts.toLocaleString('en-US')} alerts)`, before: BEFORE.digest,
      measured: flood.allDigestedMs === null ? `not all digested (${flood.alertsDigested}/${flood.alerts})` : seconds(flood.allDigestedMs),
      met: flood.allDigestedMs !== null && flood.allDigestedMs <= TARGETS.digestMs,
    });
  }
  if (watch) {
    out.push({
      target: `(w) missed-backup lateness p99 ≤ 5 s (${watch.misses.toLocaleString('en-US')} of ${watch.items.toLocaleString('en-US')} due at once)`,
      before: BEFORE.watchLateness,
      measured: `p99 ${ms(watch.lateness.p99)} (reader ${ms(watch.visibleLateness.p99)}), ${watch.alertsSeen}/${watch.misses} raised`,
      met: watch.alertsSeen >= watch.misses && watch.visibleLateness.p99 <= TARGETS.watchP99,
    });
    out.push({
      target: '(w) idle worker RSS ≤ 300 MB', before: BEFORE.watchIdleRss, measured: mb(watch.idleWorkerRssBytes),
      met: watch.idleWorkerRssBytes > 0 && watch.idleWorkerRssBytes <= TARGETS.rssBytes,
    });
  }
  if (report.workerRssMaxBytes) {
    out.push({
      target: 'worker RSS ≤ 300 MB, whole run', before: BEFORE.workerRss,
      measured: `max ${mb(report.workerRssMaxBytes)} (idle after start ${mb(report.workerRssIdleBytes ?? 0)})`,
      met: report.workerRssMaxBytes <= TARGETS.rssBytes,
    });
  }
  return out;
}

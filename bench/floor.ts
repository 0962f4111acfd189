// Phase (b) driver: the floor workflows for the same planned jobs, at the same concurrency.
import type { Client } from '@temporalio/client';
import { isPerAlertVault, type PlannedJob } from './lib/plan';
import { bar, progress, progressDone } from './lib/progress';
import type { RssSampler } from './lib/rss';
import { mb, summarize, type Summary } from './lib/stats';
import { floorCompleteSignal, floorProgressQuery, type FloorJobInput } from './floor-workflow';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

export interface FloorResult {
  jobs: number;
  concurrency: number;
  durationMs: number;
  jobsPerSec: number;
  errors: string[];
  workerRssMaxBytes: number;
  /** Temporal's own latency from the bench's client: StartWorkflowExecution and SignalWorkflowExecution. */
  startMs?: Summary;
  signalMs?: Summary;
}

export async function runFloor(options: {
  client: Client; taskQueue: string; jobs: PlannedJob[]; concurrency: number; workerRss: RssSampler; timeoutMs?: number;
}): Promise<FloorResult> {
  const { client, taskQueue, jobs, concurrency } = options;
  const errors: string[] = [];
  options.workerRss.reset();
  const first = Date.now();
  let next = 0;
  let done = 0;
  let lastJobEnd = first;
  const report = setInterval(() => {
    progress(`floor: ${bar(done, jobs.length)} ${done}/${jobs.length} jobs  ${((done * 1000) / (Date.now() - first)).toFixed(1)} jobs/s  worker ${mb(options.workerRss.current())}`);
  }, 500);
  const emailsByVault = new Map<string, number>();
  const startMs: number[] = [];
  const signalMs: number[] = [];

  async function lane(): Promise<void> {
    for (;;) {
      const job = jobs[next++];
      if (!job) return;
      const email = job.raisesAlert && (isPerAlertVault(job.vaultIndex) || job.destructive);
      if (job.raisesAlert) emailsByVault.set(job.vaultId, (emailsByVault.get(job.vaultId) ?? 0) + 1);
      const input: FloorJobInput = { vaultId: job.vaultId, jobId: job.jobId, alert: job.raisesAlert, email, webhook: job.raisesAlert, timeoutMs: 24 * 3_600_000 };
      try {
        const t0 = performance.now();
        const handle = await client.workflow.start('floorJob', { workflowId: `floor-job/${job.vaultId}/${job.jobId}`, taskQueue, args: [input] });
        const t1 = performance.now();
        await handle.signal(floorCompleteSignal, { status: job.outcome === 'cancel' ? 'Cancelled' : job.outcome.status });
        startMs.push(t1 - t0);
        signalMs.push(performance.now() - t1);
        await handle.result();
        lastJobEnd = Math.max(lastJobEnd, Date.now());
      } catch (error) {
        errors.push(String(error instanceof Error ? error.message : error));
      }
      done += 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  clearInterval(report);

  // Every hand-off processed by its vault workflow ("emails" sent where ours would send one).
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastEmailAt = 0;
  for (;;) {
    let processed = 0;
    lastEmailAt = 0;
    for (const vaultId of emailsByVault.keys()) {
      const state = await client.workflow.getHandle(`floor-vault/${vaultId}`).query(floorProgressQuery);
      processed += state.processed;
      lastEmailAt = Math.max(lastEmailAt, state.lastEmailAt);
    }
    const expected = [...emailsByVault.values()].reduce((a, b) => a + b, 0);
    progress(`floor: draining: ${processed}/${expected} hand-offs processed`);
    if (processed >= expected) break;
    if (Date.now() > deadline) {
      errors.push(`only ${processed}/${expected} hand-offs processed`);
      break;
    }
    await sleep(100);
  }
  progressDone();
  const durationMs = Math.max(lastJobEnd, lastEmailAt) - first;
  return {
    jobs: jobs.length, concurrency, durationMs, jobsPerSec: (jobs.length * 1000) / durationMs, errors,
    workerRssMaxBytes: options.workerRss.max(), startMs: summarize(startMs), signalMs: summarize(signalMs),
  };
}

// How the suite's backup services run one planned job: start it (twice at once for duplicates),
// then report its outcome (a completion and a cancel at once for duplicates). Each job is one
// JobRun for the checker. Also the small polls services use to wait for what workflows derive.
import type { JobRun } from './check';
import type { createServiceClient } from './http';
import { KINDS, type PlannedJob } from './plan';

type Service = ReturnType<typeof createServiceClient>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runJob(service: Service, job: PlannedJob): Promise<JobRun> {
  const facts = KINDS[job.kind];
  const startBody = { ...facts.body, jobId: job.jobId, entityName: job.entityName };
  const starts = await Promise.all(Array.from({ length: job.duplicate ? 2 : 1 }, () => service.send('POST', `/v1/vaults/${job.vaultId}/jobs`, startBody)));
  const started = starts.find((a) => a.status === 201) ?? starts[0]!;
  const run: JobRun = {
    job, start: started.status, outcome: null, outcomeAmbiguous: false,
    starts: starts.map((a) => a.status), startsAmbiguous: starts.some((a) => a.ambiguous),
  };
  if (facts.outcome === 'none') return run;
  const path = `/v1/vaults/${job.vaultId}/jobs/${job.jobId}`;
  if (job.duplicate) {
    const both = await Promise.all([service.send('POST', `${path}/complete`, facts.outcome), service.send('POST', `${path}/cancel`)]);
    run.outcomes = both.map((a) => a.status);
    run.outcome = both.find((a) => a.status === 202)?.status ?? both[0]!.status;
    run.outcomeAmbiguous = both.some((a) => a.ambiguous);
    return run;
  }
  const answer = facts.outcome === 'cancel' ? await service.send('POST', `${path}/cancel`) : await service.send('POST', `${path}/complete`, facts.outcome);
  run.outcome = answer.status;
  run.outcomeAmbiguous = answer.ambiguous;
  return run;
}

/** Polls until `probe` answers true (a service waiting for what a workflow derives); false on timeout. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 1_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/**
 * True once the item shows an open Critical alert (item views count them; the alert list has no
 * item filter yet). The suite's items have at most one alert each, so this is "its alert is raised".
 */
export const criticalAlertVisible = (service: Service, vaultId: string, entityName: string) => async () => {
  const answer = await service.send('GET', `/v1/vaults/${vaultId}/items/AzureVM/${encodeURIComponent(entityName)}`);
  return answer.status === 200 && answer.body.openAlerts?.Critical > 0;
};

/**
 * A failed backup followed by a successful one of the same item, once the failure's alert is
 * visible: the success must then resolve it (§2.4), deterministically (a success processed before
 * the failure would raise it already resolved, which is a different, equally valid story).
 */
export async function runFix(service: Service, failed: PlannedJob, timeoutMs: number): Promise<JobRun | string> {
  if (!(await waitUntil(criticalAlertVisible(service, failed.vaultId, failed.entityName), timeoutMs))) {
    return `${failed.vaultId}/${failed.jobId}: its alert never became visible, so its fix never ran`;
  }
  return runJob(service, { ...failed, jobId: `${failed.jobId}-fix`, kind: 'backup', duplicate: false });
}

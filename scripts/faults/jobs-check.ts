// The job half of the model check: every job recorded once, terminal, with the outcome its service
// reported (or JobTimedOut), its claim matching what was sent, every outcome call answered 202 (or
// 409 after an attempt that may have landed, judged by the claim).
import type postgres from 'postgres';
import type { JobRun } from './check';
import { KINDS } from './plan';

export async function checkJobs(sql: postgres.Sql, vaultIds: string[], runs: JobRun[], fail: (line: string) => void) {
  const jobs = new Map((await sql<{ vault_id: string; id: string; status: string; error_code: string | null }[]>`
    select vault_id, id, status, error_code from jobs where vault_id = any(${vaultIds})`).map((r) => [`${r.vault_id}/${r.id}`, r]));
  const claims = new Map((await sql<{ vault_id: string; job_id: string; kind: string; signal: { status?: string } }[]>`
    select vault_id, job_id, kind, signal from job_outcomes where vault_id = any(${vaultIds})`).map((r) => [`${r.vault_id}/${r.job_id}`, r]));
  let terminal = 0;
  for (const run of runs) {
    const { job } = run;
    const facts = KINDS[job.kind];
    const id = `${job.vaultId}/${job.jobId}`;
    if (run.start !== 201 && run.start !== 200) fail(`${id}: start answered ${run.start}`);
    const row = jobs.get(id);
    if (!row) { fail(`${id}: no job row`); continue; }
    if (row.status === 'InProgress') { fail(`${id}: still InProgress`); continue; }
    terminal++;
    if (run.starts && run.starts.filter((s) => s === 201).length > 1) fail(`${id}: two starts answered 201`);
    if (run.starts && !run.startsAmbiguous && run.starts.filter((s) => s === 201).length !== 1) fail(`${id}: starts answered ${run.starts}`);
    const claim = claims.get(id);
    if (job.duplicate) {
      // Two outcomes at once: exactly one wins, the job ends the way the winner said, the other is a 409.
      const wins = (run.outcomes ?? []).filter((s) => s === 202).length;
      if (wins > 1 || (!run.outcomeAmbiguous && wins !== 1)) fail(`${id}: outcomes answered ${run.outcomes}`);
      const expectedStatus = claim?.kind === 'cancel' ? 'Cancelled' : claim?.signal.status;
      if (!claim || row.status !== expectedStatus) fail(`${id}: status ${row.status} but claim ${claim?.kind} ${claim?.signal.status ?? ''}`);
      continue;
    }
    if (row.status !== facts.finalStatus) fail(`${id} (${job.kind}): status ${row.status}, expected ${facts.finalStatus}`);
    if (facts.finalErrorCode && row.error_code !== facts.finalErrorCode) fail(`${id}: errorCode ${row.error_code}, expected ${facts.finalErrorCode}`);
    if (facts.outcome === 'none') continue;
    const expectedKind = facts.outcome === 'cancel' ? 'cancel' : 'complete';
    if (!claim || claim.kind !== expectedKind || (expectedKind === 'complete' && claim.signal.status !== (facts.outcome as { status: string }).status)) {
      fail(`${id}: claimed outcome ${claim ? `${claim.kind} ${claim.signal.status ?? ''}` : 'missing'}`);
    }
    if (run.outcome !== 202 && !(run.outcome === 409 && run.outcomeAmbiguous)) fail(`${id}: outcome answered ${run.outcome}`);
  }
  if (jobs.size !== runs.length) fail(`${jobs.size} job rows for ${runs.length} jobs started`);
  return {
    jobs: runs.length, jobRows: jobs.size, terminal,
    consolidatedOccurrences: runs.filter((r) => r.job.kind === 'repeat').length,
    duplicateJobs: runs.filter((r) => r.job.duplicate).length,
  };
}

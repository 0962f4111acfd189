// Delivers outcomes that were claimed (202) but whose signal never went out or was never marked:
// the API crashed between the claim and the signal, or Temporal was down at the time. Runs in
// every worker; two sweepers signalling the same claim are harmless (the workflow keeps the
// first outcome and ignores a repeat, which carries the same outcome anyway).
import type { Client } from '@temporalio/client';
import { signalOutcome } from '../client/job-outcomes';
import type { Database } from '../db/client';
import { findJob } from '../readmodel/jobs';
import { markSignalled, releaseClaim, unsignalledClaims } from '../readmodel/job-outcomes';

export interface OutcomeSweeperDeps {
  db: Database;
  client: Client;
  intervalMs?: number;
  /** Claims younger than this are left to the API request that is signalling them right now. */
  graceMs?: number;
  log?: { warn(fields: object, message: string): void };
}

export interface OutcomeSweeper {
  /** One pass; returns how many claims it delivered. Exposed for tests. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startOutcomeSweeper(deps: OutcomeSweeperDeps): OutcomeSweeper {
  const intervalMs = deps.intervalMs ?? 5_000;
  const graceMs = deps.graceMs ?? 10_000; // longer than an API request's Temporal deadline
  let stopped = false;
  let pass: Promise<unknown> = Promise.resolve();

  async function sweep(): Promise<number> {
    let delivered = 0;
    for (const claim of await unsignalledClaims(deps.db, graceMs, 200)) {
      if (stopped) break;
      if ((await signalOutcome(deps.client, claim)) === 'signalled') {
        await markSignalled(deps.db, claim.vaultId, claim.jobId);
        delivered++;
        continue;
      }
      // No workflow: a job Postgres does not know either was never accepted (the API answered a
      // 404 or 503 and releases it too); a known one ended or was terminated: nothing to tell.
      if (await findJob(deps.db, claim.vaultId, claim.jobId)) await markSignalled(deps.db, claim.vaultId, claim.jobId);
      else await releaseClaim(deps.db, claim.vaultId, claim.jobId);
    }
    return delivered;
  }

  const timer = setInterval(() => {
    pass = pass.then(sweep).catch((error) => deps.log?.warn({ err: error }, 'outcome sweep failed; next pass retries'));
  }, intervalMs);
  timer.unref();
  return {
    sweep: () => (pass = pass.then(sweep)) as Promise<number>,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await pass.catch(() => {});
    },
  };
}

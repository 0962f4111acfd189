import {
  condition, getCurrentDetails, log, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { evaluateAlert } from '../domain/alert-rules';
import { scenariosResolvedBy } from '../domain/scenarios';
import {
  cancelJobSignal, completeJobSignal, DELIVERY_LOG_PATCH, FINISH_AND_RESOLVE_PATCH, getJobQuery, RAISE_AND_DISPATCH_PATCH, searchAttributes,
  type BackupJobInput, type RaisedAlert,
} from './definitions';
import { JobState } from './job-state';

// The database writes (auto-resolve too: most jobs are successes) are short and idempotent: as
// local activities they cost no server round trip or history events of their own (measured +30%
// jobs/s in docs/benchmarks.md).
const {
  recordJobStarted, recordJobFinished, raiseAlert, raiseAlertAndDispatch, resolveAlerts, recordJobFinishedAndResolve,
} = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15s',
  localRetryThreshold: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});
const { handAlertToVault, dispatchDeliveries } = proxyActivities<Activities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** One job's lifecycle: record it, wait for its outcome or its timeout, then raise its alert. */
export async function backupJob(input: BackupJobInput): Promise<void> {
  const state = new JobState(input);
  const ignored = (kind: string) => log.warn(`${kind} ignored: job already terminal`, { jobId: input.jobId });
  setHandler(completeJobSignal, (signal) => void (state.complete(signal).accepted || ignored('completion')));
  setHandler(cancelJobSignal, (signal) => void (state.cancel(signal).accepted || ignored('cancellation')));
  setHandler(getJobQuery, () => state.job);

  const deadline = new Date(Date.parse(input.startedAt) + input.timeoutMs).toISOString();
  setCurrentDetails(`**InProgress**: waiting for the outcome; times out at ${deadline}`);
  await recordJobStarted({ job: state.job });
  const remainingMs = state.remainingMs(Date.now(), input.timeoutMs);
  const finished = state.terminal || (remainingMs > 0 && (await condition(() => state.terminal, remainingMs)));
  if (!finished) state.timeOut(input.timeoutMs);

  const decision = evaluateAlert(state.job);
  const resolves = scenariosResolvedBy(state.job).length > 0;
  // A job that raises nothing and clears a condition (most successes): one local activity for both.
  let resolved: string[] | null = null;
  if (!decision.raise && resolves && patched(FINISH_AND_RESOLVE_PATCH)) resolved = await recordJobFinishedAndResolve({ job: state.job });
  else await recordJobFinished({ job: state.job });
  const { status, errorCode, endedAt } = state.job;
  const outcome = `**${status}**${errorCode ? ` \`${errorCode}\`` : ''} at ${endedAt}`;
  const jobStatus = { key: searchAttributes.jobStatus, value: status };
  if (!decision.raise) {
    upsertSearchAttributes([jobStatus]);
    setCurrentDetails(`${outcome}; no alert (${decision.reason})`);
  } else if (patched(RAISE_AND_DISPATCH_PATCH)) {
    // One local activity raises and starts the deliveries, then one upsert carries both keys.
    const alert = await raiseAlertAndDispatch({ job: state.job, decision });
    upsertSearchAttributes([jobStatus, { key: searchAttributes.alertSeverity, value: alert.severity }]);
    setCurrentDetails(`${outcome}; ${describeAlert(alert)}`);
  } else {
    // Histories recorded before the patch: status upsert, raise, severity upsert, then a hand-off.
    upsertSearchAttributes([jobStatus]);
    const alert = await raiseAlert({ job: state.job, decision });
    setCurrentDetails(`${outcome}; ${describeAlert(alert)}`);
    upsertSearchAttributes([{ key: searchAttributes.alertSeverity, value: alert.severity }]);
    // raiseAlert planned the deliveries in its transaction; this only starts them. A result recorded
    // before the delivery log carries no ids: handing it over plans them (idempotently) instead.
    if (!patched(DELIVERY_LOG_PATCH) || !alert.deliveryIds) await handAlertToVault({ vaultId: input.vaultId, alert });
    else if (alert.deliveryIds.length > 0) await dispatchDeliveries({ deliveryIds: alert.deliveryIds });
  }
  // §2.4 auto-resolve, after the job's own alert; only outcomes that clear a scenario ask.
  if (resolved === null && resolves && patched('auto-resolve')) resolved = await resolveAlerts({ job: state.job });
  if (resolved !== null) {
    setCurrentDetails(`${getCurrentDetails()}; ${resolved.length > 0 ? `resolved alerts ${resolved.join(', ')}` : 'no open alert to resolve'}`);
  }
}

const describeAlert = (alert: RaisedAlert) =>
  `${alert.isNew ? 'raised' : 'consolidated into'} alert ${alert.alertId} (${alert.severity} ${alert.scenario})`;

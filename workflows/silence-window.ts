import { condition, continueAsNew, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { releaseSilenceSignal, type SilenceWindowInput } from './definitions';

const { silenceReleaseAt, releaseSilence } = proxyActivities<Activities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const RELEASES_PER_RUN = 100;

/**
 * One per silence (id `silence/<silenceId>`), started by the API when the silence is created. A
 * durable timer sleeps until each occurrence ends, then releases the alerts the silence held back;
 * a delete signals it to release at once and finish. The boundaries come from an activity (the
 * RRULE lives in Postgres), so the workflow carries nothing but the ids.
 */
export async function silenceWindow(input: SilenceWindowInput): Promise<void> {
  let deleted = false;
  setHandler(releaseSilenceSignal, () => void (deleted = true));
  for (let releases = 0; releases < RELEASES_PER_RUN && !workflowInfo().continueAsNewSuggested; releases++) {
    const after = new Date(Date.now()).toISOString();
    const next = deleted ? null : await silenceReleaseAt({ silenceId: input.silenceId, after });
    if (next === null) {
      setCurrentDetails(deleted ? 'deleted: released its alerts' : 'expired: released its alerts');
      await releaseSilence({ silenceId: input.silenceId, at: after });
      return;
    }
    setCurrentDetails(`waiting for the occurrence ending at ${next} (vault ${input.vaultId})`);
    const waitMs = Date.parse(next) - Date.now();
    if (waitMs > 0) await condition(() => deleted, waitMs);
    const { released } = await releaseSilence({ silenceId: input.silenceId, at: deleted ? new Date(Date.now()).toISOString() : next });
    setCurrentDetails(`released ${released.length} alert(s) at ${new Date(Date.now()).toISOString()}`);
    if (deleted) return;
  }
  // A delete that arrived as this run rolled over must not be lost with its flag.
  if (deleted) return void (await releaseSilence({ silenceId: input.silenceId, at: new Date(Date.now()).toISOString() }));
  await continueAsNew<typeof silenceWindow>(input);
}

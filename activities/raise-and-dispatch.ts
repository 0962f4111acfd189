import type { AlertDecision } from '../domain/alert-rules';
import type { Job } from '../domain/types';
import type { RaisedAlert } from '../workflows/definitions';
import type { Dispatch } from './resolve';

type Raise = Extract<AlertDecision, { raise: true }>;
type RaiseAlert = (input: { job: Job; decision: Raise }) => Promise<RaisedAlert>;

/**
 * backupJob's one local activity for an alerting job (patch `raise-and-dispatch`): raise the alert,
 * then start the deliveries its transaction planned. It saves the regular dispatch activity's
 * schedule/start/complete events and its task round trip. A failed start fails the attempt, and
 * the retry raises again, which is idempotent (the occurrence keyed by job answers the first
 * result with the same delivery ids) and starts them again, idempotent by workflow id
 * `delivery/<id>`. A consolidated repeat planned nothing and starts nothing.
 */
export function createRaiseAndDispatch({ raiseAlert, dispatch }: { raiseAlert: RaiseAlert; dispatch?: Dispatch }) {
  return {
    async raiseAlertAndDispatch(input: { job: Job; decision: Raise }): Promise<RaisedAlert> {
      const alert = await raiseAlert(input);
      if (dispatch && alert.deliveryIds && alert.deliveryIds.length > 0) await dispatch(alert.deliveryIds);
      return alert;
    },
  };
}

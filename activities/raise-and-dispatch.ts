import type { AlertDecision } from '../domain/alert-rules';
import type { Job } from '../domain/types';
import type { RaisedAlert } from '../workflows/definitions';
import type { Dispatch } from './resolve';

type Raise = Extract<AlertDecision, { raise: true }>;
type RaiseAlert = (input: { job: Job; decision: Raise }) => Promise<RaisedAlert>;

/**
 * backupJob's one local activity for an alerting job (patch `raise-and-dispatch`): raise the alert,
 * then send the deliveries its transaction planned. The worker binds `dispatch` to the first-attempt
 * dispatch (first-attempt.ts): one attempt each, all at once, and a delivery workflow only for what
 * needs a retry. A failed workflow start fails the activity; its retry raises again, which is
 * idempotent (the occurrence keyed by job answers the same delivery ids, or those still Pending
 * if the alert closed since), sends what is still Pending again under the same ids, and starts
 * workflows idempotently by id `delivery/<id>`. A consolidated repeat planned nothing and sends
 * nothing.
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

import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeliveryInput, DeliveryResult } from './definitions';

// §2.6: exponential backoff, first retry within 5 s, for up to 24 h. Attempts are not history
// events, so a delivery retried for a day still has a history of a dozen events.
const { attemptDelivery } = proxyActivities<Activities>({
  // Channels give up after 10 s; a crashed worker's attempt is retried elsewhere after this.
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30m', nonRetryableErrorTypes: ['DeliveryMissing'] },
});
const { giveUpDelivery } = proxyActivities<Activities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** One delivery, on its own schedule: nothing else waits behind it. */
export async function delivery(input: DeliveryInput): Promise<DeliveryResult> {
  try {
    return await attemptDelivery(input);
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause?.message ?? error.message : String(error);
    return giveUpDelivery({ deliveryId: input.deliveryId, reason: `gave up: ${cause}` });
  }
}

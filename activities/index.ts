import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { dispatchDeliveries } from '../notifications/dispatch';
import { createAlertActivities } from './alerts';
import { createBackupWatchActivities } from './backup-watch';
import { createDeliveryActivities, createDeliveryAttempts, type DeliveryChannels } from './deliveries';
import { createFinishAndResolve } from './finish-and-resolve';
import { createFirstAttemptDispatch } from './first-attempt';
import { createJobActivities } from './jobs';
import type { ActivityMetrics } from './metrics';
import { createNotificationActivities } from './notifications';
import { createRaiseAndDispatch } from './raise-and-dispatch';
import { createReportActivities } from './reports';
import { createSilenceActivities } from './silences';
import { createVaultSignalActivities } from './vault-signals';

export interface ActivityDeps {
  db: Database;
  client: Client;
  taskQueue: string;
  digestIntervalMs: number;
  /** One channel per kind of target; each only sends (see channels/). */
  channels: DeliveryChannels;
  publicUrl: string;
  /** REPORT_INTERVAL (§2.8); default 7 days. */
  reportIntervalMs?: number;
  /** Prometheus counters in the worker; optional so that tests can build activities without them. */
  metrics?: ActivityMetrics;
}

export function createActivities(deps: ActivityDeps) {
  const start = (ids: readonly string[], options?: { startDelayMs?: number }) =>
    dispatchDeliveries({ client: deps.client, taskQueue: deps.taskQueue }, ids, options);
  const dispatch = (ids: readonly string[]) => start(ids);
  const alerts = createAlertActivities({ ...deps, dispatch });
  // The raise's retry plans the same delivery ids again, so it may send their first attempts itself.
  const { attemptUnlessInFlight } = createDeliveryAttempts(deps);
  const firstAttempt = createFirstAttemptDispatch({ attempt: (deliveryId, yieldWithinMs) => attemptUnlessInFlight({ deliveryId, yieldWithinMs }), dispatch: start });
  const jobs = createJobActivities(deps);
  return {
    ...jobs,
    ...alerts,
    ...createFinishAndResolve({ ...deps, dispatch }),
    ...createRaiseAndDispatch({ raiseAlert: alerts.raiseAlert, dispatch: firstAttempt }),
    ...createSilenceActivities({ db: deps.db, dispatch }),
    ...createVaultSignalActivities(deps),
    ...createNotificationActivities(deps),
    ...createBackupWatchActivities(deps),
    ...createReportActivities({ ...deps, reportIntervalMs: deps.reportIntervalMs ?? 7 * 86_400_000 }),
    ...createDeliveryActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { dispatchDeliveries } from '../notifications/dispatch';
import { createAlertActivities } from './alerts';
import type { EmailOutbox } from './email-outbox';
import { createJobActivities } from './jobs';
import type { ActivityMetrics } from './metrics';
import { createNotificationActivities } from './notifications';
import { createSilenceActivities } from './silences';
import { createVaultSignalActivities } from './vault-signals';

export interface ActivityDeps {
  db: Database;
  client: Client;
  taskQueue: string;
  digestIntervalMs: number;
  outbox: EmailOutbox;
  publicUrl: string;
  /** Prometheus counters in the worker; optional so that tests can build activities without them. */
  metrics?: ActivityMetrics;
}

export function createActivities(deps: ActivityDeps) {
  const dispatch = (ids: readonly string[]) => dispatchDeliveries({ client: deps.client, taskQueue: deps.taskQueue }, ids);
  return {
    ...createJobActivities(deps),
    ...createAlertActivities({ ...deps, dispatch }),
    ...createSilenceActivities({ db: deps.db, dispatch }),
    ...createVaultSignalActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { createAlertActivities } from './alerts';
import { createDeliveryActivities, type DeliveryChannels } from './deliveries';
import { createJobActivities } from './jobs';
import type { ActivityMetrics } from './metrics';
import { createNotificationActivities } from './notifications';
import { createVaultSignalActivities } from './vault-signals';

export interface ActivityDeps {
  db: Database;
  client: Client;
  taskQueue: string;
  digestIntervalMs: number;
  /** One channel per kind of target; each only sends (see channels/). */
  channels: DeliveryChannels;
  publicUrl: string;
  /** Prometheus counters in the worker; optional so that tests can build activities without them. */
  metrics?: ActivityMetrics;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createJobActivities(deps),
    ...createAlertActivities(deps),
    ...createVaultSignalActivities(deps),
    ...createNotificationActivities(deps),
    ...createDeliveryActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { createAlertActivities } from './alerts';
import { createJobActivities } from './jobs';
import { createVaultSignalActivities } from './vault-signals';

export interface ActivityDeps {
  db: Database;
  client: Client;
  taskQueue: string;
  digestIntervalMs: number;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createJobActivities(deps),
    ...createAlertActivities(deps),
    ...createVaultSignalActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

// Phase (b): the floor. The same shape as backupJob + vaultNotifications (the same activities,
// signals, timeout timer and signal-with-start hand-off, then an email and a webhook per alert
// as activities of the vault's workflow) with activities that do nothing, so the
// difference to the real workflows is what our own code, Postgres and email rendering cost.
import {
  allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';

export interface FloorActivities {
  floorRecordStarted(): Promise<void>;
  floorRecordFinished(): Promise<void>;
  floorRaiseAlert(): Promise<string>;
  floorHandToVault(input: { vaultId: string; alertId: string; email: boolean; webhook: boolean }): Promise<void>;
  /** Returns when it ran (epoch ms), so the driver knows when the last "email" left. */
  floorSendEmail(): Promise<number>;
  /** The naive shape of a webhook delivery: one more activity in the vault's queue. */
  floorSendWebhook(): Promise<number>;
}

export interface FloorJobInput {
  vaultId: string;
  jobId: string;
  alert: boolean;
  /** Whether the vault would email this alert (PerAlert vault or destructive). */
  email: boolean;
  /** Whether the vault has a webhook for it (every vault of phase (a) has one). */
  webhook: boolean;
  timeoutMs: number;
}

export const floorCompleteSignal = defineSignal<[{ status: string }]>('floorComplete');
export const floorAlertSignal = defineSignal<[{ alertId: string; email: boolean; webhook?: boolean }]>('floorAlert');
export const floorProgressQuery = defineQuery<{ processed: number; lastEmailAt: number }>('floorProgress');

const acts = proxyActivities<FloorActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

export async function floorJob(input: FloorJobInput): Promise<void> {
  let outcome: string | undefined;
  setHandler(floorCompleteSignal, ({ status }) => void (outcome ??= status));
  await acts.floorRecordStarted();
  await condition(() => outcome !== undefined, input.timeoutMs);
  await acts.floorRecordFinished();
  if (!input.alert) return;
  const alertId = await acts.floorRaiseAlert();
  await acts.floorHandToVault({ vaultId: input.vaultId, alertId, email: input.email, webhook: input.webhook });
}

export interface FloorVaultInput {
  vaultId: string;
  processed?: number;
  lastEmailAt?: number;
  queue?: { alertId: string; email: boolean; webhook?: boolean }[];
}

export async function floorVault(input: FloorVaultInput): Promise<never> {
  const queue = [...(input.queue ?? [])];
  let processed = input.processed ?? 0;
  let lastEmailAt = input.lastEmailAt ?? 0;
  setHandler(floorAlertSignal, (alert) => void queue.push(alert));
  setHandler(floorProgressQuery, () => ({ processed, lastEmailAt }));
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 10_000;
  for (;;) {
    await condition(() => queue.length > 0 || historyFull());
    while (queue.length > 0 && !historyFull()) {
      const item = queue[0]!;
      if (item.email) lastEmailAt = await acts.floorSendEmail();
      if (item.webhook) lastEmailAt = await acts.floorSendWebhook();
      queue.shift();
      processed += 1;
    }
    if (historyFull()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof floorVault>({ vaultId: input.vaultId, processed, lastEmailAt, queue });
    }
  }
}

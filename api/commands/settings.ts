import { randomUUID } from 'node:crypto';
import { startWeeklyReports } from '../../activities/report-start';
import { vaultNotificationsStart } from '../../activities/vault-signals';
import { normalizeRecipients } from '../../domain/recipients';
import type { Frequency } from '../../domain/types';
import { updateSettingsSignal, VAULT_NOTIFICATIONS_WORKFLOW, type NotificationSettings } from '../../workflows/definitions';
import { waitUntil, type AppDeps } from '../deps';
import { notFound, ProblemError } from '../problem';
import { findSettings, findVault } from '../../readmodel/vaults';

export interface SettingsInput {
  enabled: boolean;
  recipients: readonly string[];
  frequency: Frequency;
  weeklyReport?: boolean;
}

/**
 * Shared by the HTTP API and the console so both validate and save identically. Recipients are
 * checked before the vault so a bad body is a 400 whatever the vault, as the API always answered.
 */
export async function saveSettings(deps: AppDeps, vaultId: string, input: SettingsInput, by: string | null): Promise<NotificationSettings> {
  const recipients = normalizeRecipients(input.recipients);
  if (!recipients.ok) {
    throw new ProblemError(400, `recipients: ${recipients.problems.join('; ')}`, { errors: recipients.problems });
  }
  if (!(await findVault(deps.db, vaultId))) throw notFound(`Vault ${vaultId}`);
  const settings: NotificationSettings = { enabled: input.enabled, recipients: recipients.recipients, frequency: input.frequency };
  const requestId = randomUUID();
  // The vault's workflow owns settings (it sends the welcome emails); Postgres is its read model.
  await deps.temporal.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, {
    ...vaultNotificationsStart({ taskQueue: deps.taskQueue, digestIntervalMs: deps.digestIntervalMs }, vaultId),
    signal: updateSettingsSignal,
    signalArgs: [{ settings, by, requestId }],
  });
  await waitUntil(async () => (await findSettings(deps.db, vaultId))?.requestId === requestId, deps.readYourWritesMs ?? 3_000);
  if (input.weeklyReport) await startWeeklyReports(deps.temporal, deps.taskQueue, vaultId);
  return settings;
}

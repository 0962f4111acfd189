import { startWeeklyReports } from '../../activities/report-start';
import type { RecipientSetting } from '../../domain/model';
import { normalizeRecipients } from '../../domain/recipients';
import { recipientAddress } from '../../domain/routing';
import type { Frequency, Severity } from '../../domain/types';
import { atMost } from '../../notifications/bounded';
import { dispatchDeliveries } from '../../notifications/dispatch';
import { writeSettings } from '../../notifications/settings';
import { recordAudit } from '../../readmodel/audit';
import { findVault, type SettingsView } from '../../readmodel/vaults';
import type { AppDeps } from '../deps';
import { notFound, ProblemError } from '../problem';

export interface SettingsInput {
  enabled: boolean;
  recipients: readonly RecipientSetting[];
  frequency: Frequency;
  minSeverity?: Severity;
  notifyOnResolved?: boolean;
  weeklyReport?: boolean;
}

/**
 * Validates and de-duplicates recipients case-insensitively (the first spelling and form win),
 * keeping each in the form it was given: a plain string stays a string.
 */
function recipientsOf(input: readonly RecipientSetting[]): RecipientSetting[] {
  const checked = normalizeRecipients(input.map(recipientAddress));
  if (!checked.ok) throw new ProblemError(400, `recipients: ${checked.problems.join('; ')}`, { errors: checked.problems });
  const seen = new Set<string>();
  const kept: RecipientSetting[] = [];
  for (const recipient of input) {
    const address = recipientAddress(recipient).trim();
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    kept.push(typeof recipient === 'string' ? address : { address, minSeverity: recipient.minSeverity });
  }
  return kept;
}

/**
 * Shared by the HTTP API and the console. Settings are written straight to Postgres in one
 * transaction with the welcome deliveries and the audit row, so they read back at once whatever
 * the email provider does; the welcomes are started after the commit.
 */
export async function saveSettings(
  deps: AppDeps, vaultId: string, input: SettingsInput, by: string, requestId: string | null = null,
): Promise<SettingsView> {
  const recipients = recipientsOf(input.recipients);
  if (!(await findVault(deps.db, vaultId))) throw notFound(`Vault ${vaultId}`);
  const settings: SettingsView = {
    enabled: input.enabled, recipients, frequency: input.frequency, minSeverity: input.minSeverity ?? 'Informational',
    notifyOnResolved: input.notifyOnResolved ?? false, weeklyReport: input.weeklyReport ?? false,
  };
  const key = requestId ?? crypto.randomUUID();
  const welcomes = await deps.db.transaction(async (tx) => {
    const ids = await writeSettings(tx, { vaultId, settings, by, requestId: key, digestIntervalMs: deps.digestIntervalMs });
    await recordAudit(tx, { principal: by, action: 'settings.updated', vaultId, target: `vault/${vaultId}/notification-settings`, requestId });
    return ids;
  });
  // A failed start is not lost: the sweeper starts Pending deliveries a crash or outage left behind.
  await atMost(2_000, dispatchDeliveries({ client: deps.temporal, taskQueue: deps.taskQueue }, welcomes), (error) => {
    deps.log.warn({ err: error, vaultId }, 'welcome dispatch failed; the sweeper will start them');
  });
  if (input.weeklyReport) await startWeeklyReports(deps.temporal, deps.taskQueue, vaultId);
  return settings;
}

import { notificationSettings } from '../db/schema';
import type { DbOrTx } from '../db/client';
import type { SettingsView } from '../readmodel/vaults';
import { routingSettingsOf } from './plan';
import { planWelcomes } from './welcome';

/**
 * Saves a vault's settings and plans a welcome for each newly subscribed address, in the
 * caller's transaction (the API's, with its audit row). Answers the welcome ids to dispatch.
 */
export async function writeSettings(db: DbOrTx, input: {
  vaultId: string; settings: SettingsView; by: string | null; requestId: string; digestIntervalMs: number;
}): Promise<string[]> {
  const before = await routingSettingsOf(db, input.vaultId);
  const values = {
    ...input.settings, updatedBy: input.by, requestId: input.requestId, updatedAt: new Date(), digestIntervalMs: input.digestIntervalMs,
  };
  await db.insert(notificationSettings).values({ vaultId: input.vaultId, ...values })
    .onConflictDoUpdate({ target: notificationSettings.vaultId, set: values });
  return planWelcomes(db, { vaultId: input.vaultId, before, after: input.settings, requestId: input.requestId });
}

import { welcomeTargets, type RoutingSettings } from '../domain/routing';
import type { DbOrTx } from '../db/client';
import { insertDeliveries } from './log';

/**
 * One welcome delivery per newly subscribed address, planned in the settings transaction. The
 * request id keys them: saving the same request twice welcomes once; a later save that adds
 * the address again (after removing it) welcomes again.
 */
export async function planWelcomes(db: DbOrTx, input: {
  vaultId: string; before: RoutingSettings | null; after: RoutingSettings; requestId: string;
}): Promise<string[]> {
  const rows = welcomeTargets(input.before, input.after).map((target) => ({
    vaultId: input.vaultId, channel: 'email', target, event: 'welcome',
    dedupKey: `welcome:${input.vaultId}:${input.requestId}:${target.toLowerCase()}`,
    payload: { render: { kind: 'welcome', frequency: input.after.frequency } },
  }));
  return insertDeliveries(db, rows);
}

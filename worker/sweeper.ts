// Catches what a crash between a commit and its dispatch left behind: Pending deliveries never
// attempted, and digest windows past their end that nobody closed. Every worker may run one:
// starting a delivery's workflow twice is refused, and closing a window twice plans nothing.
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { deliveries } from '../db/schema';
import { overdueWindows } from '../notifications/digest';
import { dispatchDeliveries, type DispatchDeps } from '../notifications/dispatch';
import { windowWakeToken } from '../notifications/tokens';

export interface SweeperDeps extends DispatchDeps {
  db: Database;
  intervalMs?: number;
  /** How old a Pending row must be before the sweeper assumes its dispatch was lost. */
  graceMs?: number;
  onError?: (error: unknown) => void;
}

export async function sweepOnce({ db, graceMs = 15_000, ...dispatch }: SweeperDeps): Promise<number> {
  const before = new Date(Date.now() - graceMs);
  const lost = await db.select({ id: deliveries.id }).from(deliveries)
    .where(and(eq(deliveries.status, 'Pending'), isNull(deliveries.lastAttemptAt), lt(deliveries.createdAt, before)))
    .limit(500);
  const windows = await overdueWindows(db, before);
  const ids = [...lost.map((r) => r.id), ...windows.map((w) => windowWakeToken(w.vaultId, w.windowEnd.getTime()))];
  await dispatchDeliveries(dispatch, ids);
  return ids.length;
}

export function startSweeper(deps: SweeperDeps): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweepOnce(deps).catch((error) => deps.onError?.(error));
  }, deps.intervalMs ?? 10_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

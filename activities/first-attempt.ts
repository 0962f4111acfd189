import { ApplicationFailure } from '@temporalio/common';
import { parseWindowWakeToken } from '../notifications/tokens';
import type { DeliveryResult } from '../workflows/definitions';
import type { InFlight } from './deliveries';
import { activityLog } from './log';
import type { Dispatch } from './resolve';

/** Matches workflows/delivery.ts: its first retry comes 1 s after a failed attempt. */
export const FIRST_RETRY_MS = 1_000;
/** How long the caller waits for the first attempts before leaving the slow ones to a workflow. */
export const FIRST_ATTEMPT_BUDGET_MS = 2_000;
/**
 * When the workflow of an attempt still running at the budget may start: after the channels'
 * 10 s timeout has surely ended that attempt, so the two never send at once.
 */
export const STRAGGLER_START_MS = 15_000;

/** What the first attempt of one delivery leaves to do: nothing, or a workflow started after a delay. */
export type AfterFirstAttempt = { done: true } | { done: false; startDelayMs: number };

/** Pure: the attempt's result or failure → whether its delivery workflow is needed, and when. */
export function afterFirstAttempt(settled: { result: DeliveryResult | InFlight } | { error: unknown } | 'running'): AfterFirstAttempt {
  if (settled === 'running') return { done: false, startDelayMs: STRAGGLER_START_MS };
  if ('result' in settled) {
    // Another attempt is out (this raise ran again): its workflow, if it needs one, waits as a straggler's would.
    if ('inFlightForMs' in settled.result) return { done: false, startDelayMs: Math.max(STRAGGLER_START_MS - settled.result.inFlightForMs, FIRST_RETRY_MS) };
    return { done: true };
  }
  const { error } = settled;
  if (error instanceof ApplicationFailure && error.type === 'DeliveryMissing') return { done: true };
  // Channels put an endpoint's Retry-After in milliseconds (activities/deliveries.ts).
  const asked = error instanceof ApplicationFailure && typeof error.nextRetryDelay === 'number' ? error.nextRetryDelay : undefined;
  return { done: false, startDelayMs: Math.max(asked ?? FIRST_RETRY_MS, FIRST_RETRY_MS) };
}

export interface FirstAttemptDeps {
  /** One attempt that yields (sends nothing) to another attempt of the delivery begun less than `yieldWithinMs` ago. */
  attempt: (deliveryId: string, yieldWithinMs: number) => Promise<DeliveryResult | InFlight>;
  /** Starts delivery workflows (and signals digest wake-ups), optionally after a delay. */
  dispatch: (ids: readonly string[], options?: { startDelayMs?: number }) => Promise<void>;
  budgetMs?: number;
}

/**
 * A Dispatch that sends each delivery's first attempt itself, all at once, and starts a delivery
 * workflow only for those that need a retry (delayed by the backoff) or are still running at the
 * budget (delayed past the channels' timeout). A healthy endpoint is then one HTTP call after the
 * commit, with no workflow at all. Only for callers whose retry plans the same ids again (the
 * raise's local activity): a crash between an attempt and its workflow's start is recovered by
 * that retry, the row saying the earlier attempt's outcome is unknown. A retry (or a replay that
 * runs the raise again) while an attempt is still out sends nothing: it yields to that attempt and
 * leaves the delivery to a workflow that starts when a straggler's would.
 */
export function createFirstAttemptDispatch({ attempt, dispatch, budgetMs = FIRST_ATTEMPT_BUDGET_MS }: FirstAttemptDeps): Dispatch {
  return async (deliveryIds) => {
    const ids = [...new Set(deliveryIds)];
    const wakeUps = ids.filter((id) => parseWindowWakeToken(id));
    if (wakeUps.length > 0) await dispatch(wakeUps);
    const settled = new Map<string, { result: DeliveryResult | InFlight } | { error: unknown }>();
    const rows = ids.filter((id) => !parseWindowWakeToken(id));
    const all = Promise.all(rows.map((id) => attempt(id, STRAGGLER_START_MS).then(
      (result) => void settled.set(id, { result }),
      (error: unknown) => void settled.set(id, { error }),
    )));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => { timer = setTimeout(resolve, budgetMs); })]);
    clearTimeout(timer);

    const byDelay = new Map<number, string[]>();
    for (const id of rows) {
      const next = afterFirstAttempt(settled.get(id) ?? 'running');
      if (!next.done) byDelay.set(next.startDelayMs, [...(byDelay.get(next.startDelayMs) ?? []), id]);
    }
    for (const [startDelayMs, later] of byDelay) {
      activityLog().info('first attempt left deliveries to their workflows', { deliveryIds: later, startDelayMs });
      await dispatch(later, { startDelayMs });
    }
  };
}

import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  afterFirstAttempt, createFirstAttemptDispatch, FIRST_RETRY_MS, STRAGGLER_START_MS,
} from '../../activities/first-attempt';
import { windowWakeToken } from '../../notifications/tokens';

const retry = (afterMs?: number) => ApplicationFailure.create({ message: 'HTTP 503', type: 'DeliveryRetry', ...(afterMs !== undefined ? { nextRetryDelay: afterMs } : {}) });

describe('afterFirstAttempt: what a first attempt leaves to a delivery workflow', () => {
  it.each([
    ['delivered', { result: { status: 'Delivered' as const, attempts: 1 } }, { done: true }],
    ['failed for good (4xx)', { result: { status: 'Failed' as const, attempts: 1 } }, { done: true }],
    ['the row is gone', { error: ApplicationFailure.nonRetryable('gone', 'DeliveryMissing') }, { done: true }],
    ['a retry, no Retry-After', { error: retry() }, { done: false, startDelayMs: FIRST_RETRY_MS }],
    ['a retry with Retry-After 30 s', { error: retry(30_000) }, { done: false, startDelayMs: 30_000 }],
    ['a retry with Retry-After 0', { error: retry(0) }, { done: false, startDelayMs: FIRST_RETRY_MS }],
    ['a database error', { error: new Error('connection refused') }, { done: false, startDelayMs: FIRST_RETRY_MS }],
    ['still running at the budget', 'running' as const, { done: false, startDelayMs: STRAGGLER_START_MS }],
    ['another attempt just began (a re-run raise)', { result: { inFlightForMs: 0 } }, { done: false, startDelayMs: STRAGGLER_START_MS }],
    ['another attempt out for 4 s', { result: { inFlightForMs: 4_000 } }, { done: false, startDelayMs: STRAGGLER_START_MS - 4_000 }],
    ['another attempt out for nearly the window', { result: { inFlightForMs: 14_900 } }, { done: false, startDelayMs: FIRST_RETRY_MS }],
  ])('%s', (_name, settled, expected) => {
    expect(afterFirstAttempt(settled)).toEqual(expected);
  });

  it('a straggler workflow starts only after the channels have given up on the first attempt', () => {
    expect(STRAGGLER_START_MS).toBeGreaterThan(10_000 + 2_000);
  });
});

describe('createFirstAttemptDispatch', () => {
  function harness(outcomes: Record<string, () => Promise<unknown>>, budgetMs = 50) {
    const started: { ids: readonly string[]; startDelayMs?: number }[] = [];
    const attempted: string[] = [];
    const dispatch = createFirstAttemptDispatch({
      attempt: async (id) => { attempted.push(id); return outcomes[id]!() as never; },
      dispatch: async (ids, options) => void started.push({ ids, startDelayMs: options?.startDelayMs }),
      budgetMs,
    });
    return { dispatch, started, attempted };
  }

  it('starts no workflow when every first attempt settles the delivery', async () => {
    const ok = async () => ({ status: 'Delivered', attempts: 1 });
    const { dispatch, started, attempted } = harness({ a: ok, b: ok, c: async () => ({ status: 'Failed', attempts: 1 }) });
    await dispatch(['a', 'b', 'c', 'a']);
    expect(attempted).toEqual(['a', 'b', 'c']);
    expect(started).toEqual([]);
  });

  it('starts a workflow after the backoff for a retry, and past the channel timeout for one still running', async () => {
    const { dispatch, started } = harness({
      ok: async () => ({ status: 'Delivered', attempts: 1 }),
      busy: async () => { throw retry(); },
      hangs: () => new Promise(() => {}),
    });
    const began = Date.now();
    await dispatch(['ok', 'busy', 'hangs']);
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(started).toEqual(expect.arrayContaining([
      { ids: ['busy'], startDelayMs: FIRST_RETRY_MS },
      { ids: ['hangs'], startDelayMs: STRAGGLER_START_MS },
    ]));
    expect(started).toHaveLength(2);
  });

  it('hands digest wake-up tokens on as they are, without attempting them', async () => {
    const { dispatch, started, attempted } = harness({});
    const token = windowWakeToken('v1', 1_700_000_000_000);
    await dispatch([token]);
    expect(attempted).toEqual([]);
    expect(started).toEqual([{ ids: [token], startDelayMs: undefined }]);
  });

  it('fails when a needed workflow cannot be started, so the caller retries', async () => {
    const dispatch = createFirstAttemptDispatch({
      attempt: async () => { throw retry(); },
      dispatch: async () => { throw new Error('Temporal unavailable'); },
    });
    await expect(dispatch(['x'])).rejects.toThrow('Temporal unavailable');
  });
});

import { describe, expect, it } from 'vitest';
import { JobState } from '../../workflows/job-state';

const input = {
  vaultId: 'v', jobId: 'j', workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm',
  startedAt: '2026-01-01T00:00:00.000Z', timeoutMs: 60_000,
} as const;

describe('JobState', () => {
  it('takes the first outcome and refuses every later one', () => {
    const state = new JobState(input);
    expect(state.complete({ status: 'Failed', errorCode: 'E', errorMessage: 'm', endedAt: '2026-01-01T00:00:01.500Z' })).toEqual({ accepted: true });
    expect(state.cancel({ endedAt: '2026-01-01T00:00:02.000Z' })).toEqual({ accepted: false, reason: 'AlreadyTerminal' });
    expect(state.complete({ status: 'Completed', endedAt: '2026-01-01T00:00:03.000Z' })).toEqual({ accepted: false, reason: 'AlreadyTerminal' });
    expect(state.timeOut(60_000)).toEqual({ accepted: false, reason: 'AlreadyTerminal' });
    expect(state.job).toMatchObject({ status: 'Failed', errorCode: 'E', errorMessage: 'm', durationMs: 1_500, endedAt: '2026-01-01T00:00:01.500Z' });
  });

  it('times out at start + timeout with JobTimedOut', () => {
    const state = new JobState(input);
    state.timeOut(60_000);
    expect(state.job).toMatchObject({ status: 'Failed', errorCode: 'JobTimedOut', endedAt: '2026-01-01T00:01:00.000Z', durationMs: 60_000 });
  });

  it('clamps an end reported before the start to a zero duration', () => {
    const state = new JobState(input);
    state.cancel({ endedAt: '2025-12-31T23:59:00.000Z' });
    expect(state.job).toMatchObject({ status: 'Cancelled', durationMs: 0, endedAt: input.startedAt });
  });

  it.each([
    [0, 60_000], [59_999, 1], [60_000, 0], [120_000, 0],
  ])('after %d ms, %d ms remain', (elapsed, remaining) => {
    expect(new JobState(input).remainingMs(Date.parse(input.startedAt) + elapsed, 60_000)).toBe(remaining);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../domain/duration';

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['250ms', 250],
    ['1ms', 1],
    ['5s', 5_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['24h', 86_400_000],
    ['1.5h', 5_400_000],
    ['0.5s', 500],
    ['1500', 1_500],
    ['1', 1],
    ['  30s  ', 30_000],
    ['30 s', 30_000],
    ['0.6ms', 1],
    ['90m', 5_400_000],
    ['007s', 7_000],
    ['1d', 86_400_000],
  ])('%j → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    '   ',
    'h',
    'ms',
    'abc',
    '1w',
    '1H',
    '1 hour',
    '1h30m',
    '-5s',
    '+5s',
    '.5s',
    '5.s',
    '1e3',
    '1,5h',
    '5sec',
    's5',
    'Infinity',
    'NaN',
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it.each(['0', '0ms', '0s', '0m', '0h', '0.0h', '0.4ms', '-1', '-1h'])('rejects the non-positive %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('rejects a duration too large to count in whole milliseconds', () => {
    expect(parseDuration('99999999999999999999h')).toBeNull();
  });
});

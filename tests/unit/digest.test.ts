import { describe, expect, it } from 'vitest';
import { digestContents, digestWindow, type DigestEntry } from '../../domain/digest';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string) => Date.parse(iso);

describe('digestWindow', () => {
  it.each([
    ['inside an hour', at('2024-05-01T10:17:42.123Z'), H, '2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z'],
    ['exactly on a boundary starts the next window', at('2024-05-01T11:00:00.000Z'), H, '2024-05-01T11:00:00.000Z', '2024-05-01T12:00:00.000Z'],
    ['one ms before a boundary', at('2024-05-01T10:59:59.999Z'), H, '2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z'],
    ['midnight', at('2024-05-02T00:00:00.000Z'), H, '2024-05-02T00:00:00.000Z', '2024-05-02T01:00:00.000Z'],
    ['15-minute windows', at('2024-05-01T10:31:00.000Z'), 15 * M, '2024-05-01T10:30:00.000Z', '2024-05-01T10:45:00.000Z'],
    ['7-minute windows count from the epoch, not the hour', at('2024-05-01T11:00:00.000Z'), 7 * M, '2024-05-01T10:56:00.000Z', '2024-05-01T11:03:00.000Z'],
    ['the epoch itself', 0, H, '1970-01-01T00:00:00.000Z', '1970-01-01T01:00:00.000Z'],
  ])('%s', (_name, atMs, interval, start, end) => {
    expect(digestWindow(atMs, interval)).toEqual({ startMs: at(start), endMs: at(end) });
  });

  it('is [k·I, (k+1)·I) for a sweep of instants', () => {
    for (let t = 0; t < 5 * H; t += 7_919) {
      const { startMs, endMs } = digestWindow(t, H);
      expect(startMs % H).toBe(0);
      expect(endMs - startMs).toBe(H);
      expect(t >= startMs && t < endMs).toBe(true);
    }
  });

  it('floors instants before the epoch into their own window', () => {
    expect(digestWindow(-1, H)).toEqual({ startMs: -H, endMs: 0 });
  });

  it.each([0, -H, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects interval %s', (interval) => {
    expect(() => digestWindow(0, interval)).toThrow(RangeError);
  });

  it('rejects a non-finite instant', () => {
    expect(() => digestWindow(Number.NaN, H)).toThrow(RangeError);
  });
});

describe('digestContents', () => {
  const start = at('2024-05-01T10:00:00.000Z');
  type E = DigestEntry & { title?: string };
  const entry = (id: string, minute: number, extra: Partial<E> = {}): E => ({
    id, raisedAt: new Date(start + minute * M), severity: 'Critical', status: 'Active', suppressed: false, ...extra,
  });

  it.each<[string, E[], string]>([
    ['no alerts joined the window', [], 'EmptyWindow'],
    ['an alert raised and inactivated inside the window', [entry('a', 5, { status: 'Inactive' })], 'AllResolved'],
    ['every alert resolved', [entry('a', 5, { status: 'Inactive' }), entry('b', 6, { status: 'Inactive' })], 'AllResolved'],
    ['the only open alert is held by a silence', [entry('a', 5, { suppressed: true })], 'AllSuppressed'],
    ['one resolved, one held by a silence', [entry('a', 5, { status: 'Inactive' }), entry('b', 6, { suppressed: true })], 'AllSuppressed'],
    ['an acknowledged alert held by a silence', [entry('a', 5, { status: 'Acknowledged', suppressed: true })], 'AllSuppressed'],
  ])('sends nothing when %s', (_name, entries, reason) => {
    expect(digestContents(entries)).toEqual({ send: false, reason });
  });

  it('lists the open, unsuppressed alerts oldest first, ties by id, keeping extra fields', () => {
    const entries: E[] = [
      entry('late', 59, { severity: 'Warning', title: 'kept extra field' }),
      entry('resolved', 10, { status: 'Inactive' }),
      entry('first', 0),
      entry('held', 20, { suppressed: true }),
      entry('tie-b', 30, { severity: 'Informational' }),
      entry('tie-a', 30),
      entry('ack', 40, { status: 'Acknowledged' }),
    ];
    const result = digestContents(entries);
    expect(result.send && result.reason).toBe('OpenAlertsInWindow');
    if (!result.send) return;
    expect(result.alerts.map((a) => a.id)).toEqual(['first', 'tie-a', 'tie-b', 'ack', 'late']);
    expect(result.alerts[4]?.title).toBe('kept extra field');
  });

  it('decides every status × suppressed combination the same way: listed iff open and not held', () => {
    for (const status of ['Active', 'Acknowledged', 'Inactive'] as const) {
      for (const suppressed of [false, true]) {
        const result = digestContents([entry('x', 1, { status, suppressed })]);
        expect(result.send).toBe(status !== 'Inactive' && !suppressed);
      }
    }
  });
});

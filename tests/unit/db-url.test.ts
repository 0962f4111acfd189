import { describe, expect, it } from 'vitest';
import { connectDb, poolSizeOf } from '../../db/client';

describe('DATABASE_URL carries the pool size and TLS', () => {
  it.each([
    ['postgres://u@db/app', 10],
    ['postgres://u@db/app?max=25', 25],
    ['postgres://u@db/app?sslmode=require&max=3', 3],
  ])('%s → pool of %i', (url, size) => expect(poolSizeOf(url)).toBe(size));

  it.each(['0', '-1', 'ten', '2.5'])('max=%s is refused with a readable error', (max) =>
    expect(() => poolSizeOf(`postgres://u@db/app?max=${max}`)).toThrow(/DATABASE_URL: max=.* is not a pool size/));

  it('the pool and sslmode reach the driver (nothing connects until the first query)', async () => {
    const handle = connectDb('postgres://u@127.0.0.1:1/app?max=7&sslmode=require');
    expect(handle.sql.options.max).toBe(7);
    expect(handle.sql.options.ssl).toBe('require');
    await handle.close();
    expect(connectDb('postgres://u@127.0.0.1:1/app?max=7', { max: 2 }).sql.options.max).toBe(2);
  });
});

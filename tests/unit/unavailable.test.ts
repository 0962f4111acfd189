import { ServiceError } from '@temporalio/client';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { isDependencyOutage } from '../../api/unavailable';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
const grpc = (code: number) => Object.assign(new Error(`grpc ${code}`), { code, details: '', metadata: { get: () => [] } });

// The shapes the drivers really throw: drizzle wraps postgres.js, the Temporal client wraps gRPC,
// Node wraps every address it tried. The outer error's own code says nothing.
describe('isDependencyOutage', () => {
  it.each([
    ['drizzle around ECONNREFUSED', new DrizzleQueryError('select 1', [], coded('ECONNREFUSED'))],
    ['drizzle around CONNECT_TIMEOUT', new DrizzleQueryError('select 1', [], coded('CONNECT_TIMEOUT'))],
    ['drizzle around too many connections', new DrizzleQueryError('select 1', [], coded('53300'))],
    ['drizzle around admin shutdown', new DrizzleQueryError('select 1', [], coded('57P01'))],
    ['drizzle around a connection failure class 08', new DrizzleQueryError('select 1', [], coded('08006'))],
    ['AggregateError of refused addresses', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed')],
    ['ServiceError around UNAVAILABLE', new ServiceError('unavailable', { cause: grpc(14) })],
    ['ServiceError around DEADLINE_EXCEEDED', new ServiceError('deadline', { cause: grpc(4) })],
    ['ServiceError around RESOURCE_EXHAUSTED', new ServiceError('rate limited', { cause: grpc(8) })],
    ['a bare gRPC UNAVAILABLE', grpc(14)],
  ])('%s is an outage (503)', (_, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new DrizzleQueryError('insert', [], coded('23505'))],
    ['an invalid input', new DrizzleQueryError('select', [], coded('22P02'))],
    ['a plain bug', new TypeError('x is undefined')],
    ['gRPC INVALID_ARGUMENT', new ServiceError('bad', { cause: grpc(3) })],
    ['nothing', null],
  ])('%s is not (500 or its own problem)', (_, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });

  it('a cycle of causes ends', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(isDependencyOutage(a)).toBe(false);
  });
});

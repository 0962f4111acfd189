import { ServiceError, isGrpcServiceError } from '@temporalio/client';

// Driver and socket codes of a Postgres that is down, unreachable, restarting or out of
// connections; SQLSTATE classes 08 (connection exception) and 57P (operator intervention), plus
// 53300/53400 (too many connections) and 57014 (statement timeout: an overloaded server).
const PG_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
  '53300', '53400', '57014', '57P01', '57P02', '57P03',
]);
const PG_CLASSES = [/^08[0-9A-Z]{3}$/];
// UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED (the server's rate limits).
const GRPC_UNAVAILABLE = new Set([4, 8, 14]);

function isOutageCode(code: unknown): boolean {
  return typeof code === 'string' && (PG_CODES.has(code) || PG_CLASSES.some((pattern) => pattern.test(code)));
}

/**
 * An outage of Postgres or Temporal is the caller's cue to retry, not a bug: it answers 503.
 * Drivers wrap one another (drizzle's DrizzleQueryError around postgres.js, the Temporal client's
 * ServiceError around gRPC, Node's AggregateError around each address tried), so the whole chain
 * of `cause`s and `errors` is examined, not just the outer error.
 */
export function isDependencyOutage(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 8) return false;
  if (isGrpcServiceError(error) && GRPC_UNAVAILABLE.has(error.code)) return true;
  if (isOutageCode((error as { code?: unknown }).code)) return true;
  const nested: unknown[] = [];
  if ('cause' in error) nested.push((error as { cause: unknown }).cause);
  if (error instanceof AggregateError) nested.push(...error.errors);
  if (error instanceof ServiceError && /UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect/i.test(error.message)) return true;
  return nested.some((inner) => isDependencyOutage(inner, depth + 1));
}

import { ServiceError, isGrpcServiceError } from '@temporalio/client';

const PG_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', '57P01', '57P03', '08001', '08006']);
const GRPC_UNAVAILABLE = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

/**
 * An outage of Postgres or Temporal is the caller's cue to retry, not a bug: it answers 503.
 * Nothing was written when it happens, because every write goes through one of them.
 */
export function isDependencyOutage(error: unknown): boolean {
  const cause = error instanceof ServiceError ? error.cause : error;
  if (isGrpcServiceError(cause) && GRPC_UNAVAILABLE.has(cause.code)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PG_UNAVAILABLE.has(code);
}

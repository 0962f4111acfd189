import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import type { Logger } from '../config/logger';
import type { Role } from '../domain/types';
import type { HttpMetrics } from './metrics';

export interface AppDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  jobTimeoutMs: number;
  digestIntervalMs: number;
  log: Logger;
  now?: () => Date;
  /** How long a write waits to see itself in the read model before answering anyway. */
  readYourWritesMs?: number;
  /** Prometheus counters served at /metrics; each app gets its own registry when absent. */
  metrics?: HttpMetrics;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS (§2.6): loopback and private webhook targets are accepted. */
  allowPrivateWebhooks?: boolean;
  /** API_ADMIN_TOKEN: that exact string authenticates as the unscoped Admin `admin` (§7). */
  adminToken?: string;
}

/** Who is calling (§7): a token's name and rights; `admin` for the bootstrap token. */
export interface Principal {
  name: string;
  role: Role;
  /** null: every vault. */
  vaults: string[] | null;
  /** null for the bootstrap token. */
  tokenId: string | null;
}

/** Polls until `check` holds or the budget runs out; the write is durable either way. */
export async function waitUntil(check: () => Promise<boolean>, budgetMs: number, firstMs = 10): Promise<boolean> {
  const deadline = Date.now() + budgetMs;
  // Backing off keeps a burst of writers from turning the wait into a query storm on Postgres.
  for (let delay = firstMs; ; delay = Math.min(delay * 2, 250)) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
}

/** Per-request values set by middleware; `principal` is set by authentication on every /v1 route. */
export type AppEnv = { Variables: { principal: Principal | null; requestId: string; log: Logger } };

/**
 * The name recorded as `…By` and audit `principal` for the caller of this request: the token's
 * name (`admin` for the bootstrap token). Every /v1 route and every console form runs behind
 * authentication, so a missing principal is a wiring bug and must not be recorded as anyone.
 */
export function actorName(principal: Principal | null): string {
  if (!principal) throw new Error('no principal: this state change ran outside authentication');
  return principal.name;
}

/** The principal of an authenticated request; fails closed (an error, never "every vault") without one. */
export function principalOf(c: { get(key: 'principal'): Principal | null }): Principal {
  const principal = c.get('principal');
  if (!principal) throw new Error('no principal: this route ran outside authentication');
  return principal;
}

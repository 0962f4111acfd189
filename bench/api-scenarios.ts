// The list scenarios of phase (c), and how the bench reproduces each request's database work: the
// API's own list function, run through a logging drizzle instance to capture its exact statements.
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { decodeCursor } from '../api/cursor';
import type { Database } from '../db/client';
import * as schema from '../db/schema';
import { listAlerts } from '../readmodel/alerts';
import { listDeliveries } from '../readmodel/deliveries';
import { listItems } from '../readmodel/items';
import { listJobs } from '../readmodel/jobs';

export const PAGE = 50;
const DEEP_PAGE = 100;

export type Kind = 'jobs' | 'alerts' | 'items' | 'deliveries';
export interface Scenario {
  name: string;
  kind: Kind;
  query: Record<string, string>;
  /** Page number whose cursor the requests carry; 1 = no cursor (deep pages: jobs and alerts only). */
  page: number;
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
export const SCENARIOS: Scenario[] = [
  { name: 'jobs, first page', kind: 'jobs', query: {}, page: 1 },
  { name: 'jobs, status=Failed', kind: 'jobs', query: { status: 'Failed' }, page: 1 },
  { name: 'jobs, workloadType=AzureFiles&operation=Restore', kind: 'jobs', query: { workloadType: 'AzureFiles', operation: 'Restore' }, page: 1 },
  { name: 'jobs, from/to (one week, a month ago)', kind: 'jobs', query: { from: daysAgo(37), to: daysAgo(30) }, page: 1 },
  { name: 'jobs, deep cursor', kind: 'jobs', query: {}, page: DEEP_PAGE },
  { name: 'jobs, status=Failed, deep cursor', kind: 'jobs', query: { status: 'Failed' }, page: DEEP_PAGE },
  { name: 'alerts, first page', kind: 'alerts', query: {}, page: 1 },
  { name: 'alerts, status=Active&severity=Critical', kind: 'alerts', query: { status: 'Active', severity: 'Critical' }, page: 1 },
  { name: 'alerts, status=Open', kind: 'alerts', query: { status: 'Open' }, page: 1 },
  { name: 'alerts, deep cursor', kind: 'alerts', query: {}, page: DEEP_PAGE },
  { name: 'items, health=Critical', kind: 'items', query: { health: 'Critical' }, page: 1 },
  { name: 'deliveries, first page', kind: 'deliveries', query: {}, page: 1 },
  { name: 'deliveries, channel=webhook', kind: 'deliveries', query: { channel: 'webhook' }, page: 1 },
  { name: 'deliveries, status=Failed', kind: 'deliveries', query: { status: 'Failed' }, page: 1 },
];

/** Scenarios added for issue 15 (no "before" in the 2026-12-01 run). */
export const NEW_SCENARIOS = new Set(['alerts, status=Open', 'items, health=Critical', 'deliveries, first page', 'deliveries, channel=webhook', 'deliveries, status=Failed']);

/** The route's query as the list function receives it (after zod: limit defaulted, cursor decoded). */
function run(db: Database, kind: Kind, vaultId: string, query: Record<string, string>, cursor: string | undefined, limit = PAGE) {
  switch (kind) {
    case 'jobs':
      return listJobs(db, vaultId, {
        status: query.status, operation: query.operation, workloadType: query.workloadType,
        from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined, limit, cursor: decodeCursor(cursor),
      });
    case 'alerts':
      return listAlerts(db, vaultId, {
        status: query.status, severity: query.severity, scenario: query.scenario,
        from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined, limit, cursor: decodeCursor(cursor),
      });
    case 'items':
      return listItems(db, vaultId, { health: query.health, workloadType: query.workloadType, protection: query.protection, limit, cursor: null });
    case 'deliveries':
      return listDeliveries(db, vaultId, { channel: query.channel, status: query.status, alertId: query.alertId, limit, cursor: null });
  }
}

/** The cursor of page `page` (the nextCursor of page - 1), or of the deepest full page there is. */
export async function cursorFor(db: Database, sql: postgres.Sql, scenario: Scenario, vaultId: string): Promise<{ cursor?: string; page: number }> {
  if (scenario.page <= 1) return { page: 1 };
  if (scenario.kind !== 'jobs' && scenario.kind !== 'alerts') throw new Error(`${scenario.name}: deep pages are for jobs and alerts`);
  const rows = scenario.kind === 'jobs'
    ? (await sql`select count(*)::int as n from jobs where vault_id = ${vaultId} and listed ${scenario.query.status ? sql`and status = ${scenario.query.status}` : sql``}`)[0]!.n as number
    : (await sql`select count(*)::int as n from alerts where vault_id = ${vaultId}`)[0]!.n as number;
  const page = Math.max(2, Math.min(scenario.page, Math.floor(rows / PAGE)));
  const { nextCursor } = await run(db, scenario.kind, vaultId, scenario.query, undefined, (page - 1) * PAGE);
  return { cursor: nextCursor ?? undefined, page };
}

export interface CapturedQuery {
  query: string;
  params: unknown[];
}

/**
 * Runs the API's own list function once through a logging drizzle to capture its exact SQL: every
 * statement it sends, in order (the items list also reads the vault's policy).
 */
export async function captureSql(handle: { sql: postgres.Sql }, scenario: Scenario, vaultId: string, cursor: string | undefined) {
  const statements: CapturedQuery[] = [];
  const db = drizzle(handle.sql, { schema, logger: { logQuery: (query, params) => void statements.push({ query, params }) } });
  const { items } = await run(db, scenario.kind, vaultId, scenario.query, cursor);
  if (statements.length === 0) throw new Error('no query captured');
  return { statements, rows: items.length };
}

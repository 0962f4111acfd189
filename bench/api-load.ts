// Phase (c): the list endpoints under a fixed request rate (autocannon) against the seeded
// database, and the very SQL each request runs, timed straight through the postgres driver at the
// same rate and concurrency, for the ratio.
import autocannon from 'autocannon';
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { connectDb } from '../db/client';
import * as schema from '../db/schema';
import { decodeCursor } from '../api/cursor';
import { listAlerts } from '../readmodel/alerts';
import { listJobs } from '../readmodel/jobs';
import type { Database } from '../db/client';
import { log, progress, progressDone } from './lib/progress';
import { BENCH_AUTH } from './lib/stack';
import type { RssSampler } from './lib/rss';
import { summarize } from './lib/stats';
import { SEED_VAULTS, seedVaultId } from './seed';

const CONNECTIONS = 10;
const PAGE = 50;
const DEEP_PAGE = 100;

type Kind = 'jobs' | 'alerts';
interface Scenario {
  name: string;
  kind: Kind;
  query: Record<string, string>;
  /** Page number whose cursor the requests carry; 1 = no cursor. */
  page: number;
}

const weekAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
export const SCENARIOS: Scenario[] = [
  { name: 'jobs, first page', kind: 'jobs', query: {}, page: 1 },
  { name: 'jobs, status=Failed', kind: 'jobs', query: { status: 'Failed' }, page: 1 },
  { name: 'jobs, workloadType=AzureFiles&operation=Restore', kind: 'jobs', query: { workloadType: 'AzureFiles', operation: 'Restore' }, page: 1 },
  { name: 'jobs, from/to (one week, a month ago)', kind: 'jobs', query: { from: weekAgo(37), to: weekAgo(30) }, page: 1 },
  { name: 'jobs, deep cursor', kind: 'jobs', query: {}, page: DEEP_PAGE },
  { name: 'jobs, status=Failed, deep cursor', kind: 'jobs', query: { status: 'Failed' }, page: DEEP_PAGE },
  { name: 'alerts, first page', kind: 'alerts', query: {}, page: 1 },
  { name: 'alerts, status=Active&severity=Critical', kind: 'alerts', query: { status: 'Active', severity: 'Critical' }, page: 1 },
  { name: 'alerts, deep cursor', kind: 'alerts', query: {}, page: DEEP_PAGE },
];

export interface ScenarioResult {
  name: string;
  /** The page the cursor points to (deep scenarios stop short when a vault has fewer rows). */
  page: number;
  http: { rps: number; p50: number; p99: number; max: number; non2xx: number; errors: number; requests: number };
  sql: { rps: number; p50: number; p99: number; max: number; requests: number };
  ratioP99: number;
}

export interface ApiLoadResult {
  rps: number;
  seconds: number;
  connections: number;
  scenarios: ScenarioResult[];
  apiRssMaxBytes: number;
  /** The list indexes as Postgres has them, and the SQL of a deep jobs page: what the findings check. */
  listIndexDefs: string[];
  deepCursorSql: string;
}

function filterOf(query: Record<string, string>, cursor: string | undefined) {
  return {
    status: query.status, operation: query.operation, workloadType: query.workloadType, severity: query.severity, scenario: query.scenario,
    from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined,
    limit: PAGE, cursor: decodeCursor(cursor),
  };
}

function list(db: Database, kind: Kind, vaultId: string, filter: ReturnType<typeof filterOf>) {
  return kind === 'jobs' ? listJobs(db, vaultId, filter) : listAlerts(db, vaultId, filter);
}

/** The cursor of page `page` (the nextCursor of page - 1), or of the deepest full page there is. */
async function cursorFor(db: Database, sql: postgres.Sql, scenario: Scenario, vaultId: string): Promise<{ cursor?: string; page: number }> {
  if (scenario.page <= 1) return { page: 1 };
  const base = filterOf(scenario.query, undefined);
  let page = scenario.page;
  const rows = scenario.kind === 'jobs'
    ? (await sql`select count(*)::int as n from jobs where vault_id = ${vaultId} and listed ${scenario.query.status ? sql`and status = ${scenario.query.status}` : sql``}`)[0]!.n as number
    : (await sql`select count(*)::int as n from alerts where vault_id = ${vaultId}`)[0]!.n as number;
  page = Math.max(2, Math.min(page, Math.floor(rows / PAGE)));
  const { nextCursor } = await list(db, scenario.kind, vaultId, { ...base, limit: (page - 1) * PAGE });
  return { cursor: nextCursor ?? undefined, page };
}

/** Runs the API's own list function once through a logging drizzle to capture its exact SQL. */
async function captureSql(handle: { sql: postgres.Sql }, kind: Kind, vaultId: string, filter: ReturnType<typeof filterOf>) {
  let captured: { query: string; params: unknown[] } | undefined;
  const db = drizzle(handle.sql, { schema, logger: { logQuery: (query, params) => void (captured ??= { query, params }) } });
  await list(db, kind, vaultId, filter);
  if (!captured) throw new Error('no query captured');
  return captured;
}

/**
 * The queries at the rate and with the concurrency autocannon uses: `connections` lanes, each
 * sending its share of the second's requests back to back from the start of every second (this
 * is how autocannon's overallRate paces a connection), so both sides see the same bursts.
 */
async function timeSql(sql: postgres.Sql, queries: { query: string; params: unknown[] }[], rps: number, seconds: number) {
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  // Like autocannon's fixed duration: a database that cannot keep up sends fewer, it does not run on.
  const stopAt = started + seconds * 1000 + 2_000;
  const lane = async (laneIndex: number) => {
    const perSecond = Math.floor(rps / CONNECTIONS) + (laneIndex < rps % CONNECTIONS ? 1 : 0);
    for (let second = 0; second < seconds && performance.now() < stopAt; second++) {
      const wait = started + second * 1000 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (let i = 0; i < perSecond && performance.now() < stopAt; i++) {
        const { query, params } = queries[next++ % queries.length]!;
        const t0 = performance.now();
        await sql.unsafe(query, params as postgres.ParameterOrJSON<never>[]);
        latencies.push(performance.now() - t0);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => lane(i)));
  const elapsed = Math.max(seconds, (performance.now() - started) / 1000);
  const summary = summarize(latencies);
  return { rps: latencies.length / elapsed, p50: summary.p50, p99: summary.p99, max: summary.max, requests: latencies.length };
}

export async function runApiLoad(options: {
  baseUrl: string; databaseUrl: string; sql: postgres.Sql; rps: number; seconds: number; apiRss: RssSampler;
}): Promise<ApiLoadResult> {
  const { baseUrl, sql, rps, seconds } = options;
  // The API's own pool size (connectDb's default), so the SQL runs with the same parallelism.
  const handle = connectDb(options.databaseUrl, { max: 10 });
  const vaults = Array.from({ length: SEED_VAULTS }, (_, i) => seedVaultId(i));
  options.apiRss.reset();
  const results: ScenarioResult[] = [];
  let deepCursorSql = '';
  try {
    const prepared = [];
    progress('(c) taking cursors from page ~100 of every seeded vault…');
    for (const scenario of SCENARIOS) {
      const perVault = await Promise.all(vaults.map(async (vaultId) => {
        const { cursor, page } = await cursorFor(handle.db, sql, scenario, vaultId);
        const params = new URLSearchParams({ ...scenario.query, ...(cursor ? { cursor } : {}) });
        const path = `/v1/vaults/${vaultId}/${scenario.kind}${params.size ? `?${params}` : ''}`;
        return { path, page, captured: await captureSql(handle, scenario.kind, vaultId, filterOf(scenario.query, cursor)) };
      }));
      prepared.push({ scenario, perVault });
      if (scenario.kind === 'jobs' && scenario.page > 1 && !deepCursorSql) deepCursorSql = perVault[0]?.captured.query ?? '';
    }
    progressDone();

    // A short warm-up over every path, so the first scenario does not pay for cold caches alone.
    const warmPaths = prepared.flatMap((p) => p.perVault.map((v) => v.path));
    let warmIndex = 0;
    progress('(c) warm-up: 3 s over every path…');
    await autocannon({
      url: baseUrl, headers: { ...BENCH_AUTH }, connections: CONNECTIONS, duration: 3, overallRate: rps,
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: warmPaths[warmIndex++ % warmPaths.length] }) }],
    });

    for (const [i, { scenario, perVault }] of prepared.entries()) {
      progress(`(c) ${i + 1}/${prepared.length} ${scenario.name}: HTTP at ${rps} rps for ${seconds} s…`);
      let index = 0;
      // Our own percentiles from each response's duration: autocannon's histogram back-fills
      // "coordinated omission" samples at a 1 ms interval when a rate is set, which blurs p99.
      const durations: number[] = [];
      const http = await autocannon({
        url: baseUrl, headers: { ...BENCH_AUTH }, connections: CONNECTIONS, duration: seconds, overallRate: rps, timeout: 10,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: perVault[index++ % perVault.length]!.path }) }],
      }).on('response', (_client, status, _bytes, responseTime) => void (status < 300 && durations.push(responseTime)));
      const httpSummary = summarize(durations);
      progress(`(c) ${i + 1}/${prepared.length} ${scenario.name}: the same SQL at ${rps}/s for ${seconds} s…`);
      const raw = await timeSql(handle.sql, perVault.map((v) => v.captured), rps, seconds);
      const page = Math.min(...perVault.map((v) => v.page));
      results.push({
        name: scenario.name, page,
        http: {
          rps: http.requests.total / http.duration, p50: httpSummary.p50, p99: httpSummary.p99, max: httpSummary.max,
          non2xx: http.non2xx, errors: http.errors, requests: http.requests.total,
        },
        sql: raw,
        ratioP99: httpSummary.p99 / raw.p99,
      });
      if (http.non2xx > 0 || http.errors > 0) log(`(c) ${scenario.name}: ${http.non2xx} non-2xx answers, ${http.errors} errors`);
    }
    progressDone();
  } finally {
    await handle.close();
  }
  const indexes = await sql<{ indexdef: string }[]>`select indexdef from pg_indexes where indexname in ('jobs_list_idx', 'alerts_list_idx')`;
  return {
    rps, seconds, connections: CONNECTIONS, scenarios: results, apiRssMaxBytes: options.apiRss.max(),
    listIndexDefs: indexes.map((row) => row.indexdef), deepCursorSql,
  };
}

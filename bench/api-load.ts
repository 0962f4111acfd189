// Phase (c): the list endpoints under a fixed, evenly paced request rate (lib/paced.ts) against the seeded
// database, and the very SQL each request runs, timed straight through the postgres driver at the
// same rate and concurrency, in alternating slices with the HTTP load, for the ratio. The scenarios
// are in bench/api-scenarios.ts.
import type postgres from 'postgres';
import { connectDb } from '../db/client';
import { captureSql, cursorFor, SCENARIOS, type CapturedQuery } from './api-scenarios';
import { call } from './lib/api-call';
import { pacedLoad, type PacedResult } from './lib/paced';
import { log, progress, progressDone } from './lib/progress';
import type { RssSampler } from './lib/rss';
import { summarize } from './lib/stats';
import { SEED_VAULTS, seedVaultId } from './seed';

const CONNECTIONS = 10;

export interface ScenarioResult {
  name: string;
  /** The page the cursor points to (deep scenarios stop short when a vault has fewer rows). */
  page: number;
  /** Statements the list function sends per request (the SQL column replays all of them). */
  statements: number;
  /** Fewest rows on a page over the vaults (a short page reads less than a full one). */
  rows: number;
  http: PacedSummary & { non2xx: number; errors: number };
  sql: PacedSummary;
  /** The same statements behind a bare node:http server (bench/list-floor-server.ts). */
  floor: PacedSummary;
  ratioP99: number;
  /** What an HTTP hop alone costs on this machine: the floor's p99 over the SQL's. */
  floorRatioP99: number;
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

/** The captured statements of request i, in order, on the pool (the API's own pool size). */
function sqlSender(sql: postgres.Sql, requests: CapturedQuery[][]) {
  return async (i: number) => {
    for (const { query, params } of requests[i % requests.length]!) await sql.unsafe(query, params as postgres.ParameterOrJSON<never>[]);
    return true;
  };
}

/** GET of path i with the bench token (lib/api-call.ts: node:http, kept-alive); the body is read to the end. */
function httpSender(baseUrl: string, paths: string[]) {
  return async (i: number) => (await call(baseUrl, 'GET', paths[i % paths.length]!)).status < 300;
}

/** GET /run/i of the floor server, which runs statement set i (loaded with PUT /sets). */
function floorSender(baseUrl: string) {
  return async (i: number) => (await call(baseUrl, 'GET', `/run/${i}`)).status < 300;
}

/**
 * The loads of a scenario in alternating one-second slices (HTTP, SQL, floor, HTTP, …): a stall of
 * the shared 2-core machine then falls on all alike, so the p99 ratios compare the API with its
 * SQL rather than one ten-second window with another.
 */
async function interleaved(rps: number, seconds: number, loads: Array<(i: number) => Promise<boolean>>): Promise<PacedResult[]> {
  const merge = (into: PacedResult, part: PacedResult) => {
    into.latencies.push(...part.latencies);
    into.sent += part.sent;
    into.failed += part.failed;
    into.elapsedSeconds += part.elapsedSeconds;
  };
  const results = loads.map((): PacedResult => ({ latencies: [], sent: 0, failed: 0, elapsedSeconds: 0 }));
  for (let slice = 0; slice < seconds; slice++) {
    const offset = slice * rps;
    for (const [k, load] of loads.entries()) merge(results[k]!, await pacedLoad(rps, 1, (i) => load(offset + i)));
  }
  return results;
}

/** Answered requests per second and their latencies; `requests` counts the answered ones. */
interface PacedSummary { rps: number; p50: number; p99: number; max: number; requests: number }

function paced(run: PacedResult): PacedSummary {
  const summary = summarize(run.latencies);
  return { rps: run.latencies.length / run.elapsedSeconds, p50: summary.p50, p99: summary.p99, max: summary.max, requests: run.latencies.length };
}

export async function runApiLoad(options: {
  baseUrl: string; floorUrl: string; databaseUrl: string; sql: postgres.Sql; rps: number; seconds: number; apiRss: RssSampler;
}): Promise<ApiLoadResult> {
  const { baseUrl, floorUrl, sql, rps, seconds } = options;
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
        return { path, page, captured: await captureSql(handle, scenario, vaultId, cursor) };
      }));
      prepared.push({ scenario, perVault });
      if (scenario.kind === 'jobs' && scenario.page > 1 && !deepCursorSql) deepCursorSql = perVault[0]?.captured.statements[0]?.query ?? '';
    }
    progressDone();

    // A short warm-up over every path, so the first scenario does not pay for cold caches alone.
    const warmPaths = prepared.flatMap((p) => p.perVault.map((v) => v.path));
    progress('(c) warm-up: 3 s over every path…');
    await pacedLoad(rps, 3, httpSender(baseUrl, warmPaths));

    for (const [i, { scenario, perVault }] of prepared.entries()) {
      progress(`(c) ${i + 1}/${prepared.length} ${scenario.name}: HTTP and the same SQL at ${rps}/s, ${seconds} alternating 1 s slices each…`);
      const statementSets = perVault.map((v) => v.captured.statements);
      const loaded = await call(floorUrl, 'PUT', '/sets', statementSets);
      if (loaded.status !== 200) throw new Error(`floor server: PUT /sets answered ${loaded.status} ${loaded.text}`);
      const [http, sqlRun, floorRun] = await interleaved(rps, seconds, [
        httpSender(baseUrl, perVault.map((v) => v.path)), sqlSender(handle.sql, statementSets), floorSender(floorUrl),
      ]) as [PacedResult, PacedResult, PacedResult];
      const httpSummary = paced(http);
      const raw = paced(sqlRun);
      const floor = paced(floorRun);
      const page = Math.min(...perVault.map((v) => v.page));
      results.push({
        name: scenario.name, page, statements: perVault[0]!.captured.statements.length, rows: Math.min(...perVault.map((v) => v.captured.rows)),
        // HTTP counts every request sent, the failed ones included.
        http: { ...httpSummary, non2xx: http.failed, errors: 0, requests: http.sent },
        sql: raw,
        floor,
        ratioP99: httpSummary.p99 / raw.p99,
        floorRatioP99: floor.p99 / raw.p99,
      });
      if (floorRun.failed > 0) log(`(c) ${scenario.name}: the floor server failed ${floorRun.failed} requests`);
      if (http.failed > 0) log(`(c) ${scenario.name}: ${http.failed} requests failed or answered non-2xx`);
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

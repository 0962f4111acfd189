// Phase (c): the list endpoints under a fixed request rate (autocannon) against the seeded
// database, and the very SQL each request runs, timed straight through the postgres driver at the
// same rate and concurrency, for the ratio. The scenarios are in bench/api-scenarios.ts.
import autocannon from 'autocannon';
import type postgres from 'postgres';
import { connectDb } from '../db/client';
import { captureSql, cursorFor, SCENARIOS, type CapturedQuery } from './api-scenarios';
import { log, progress, progressDone } from './lib/progress';
import { BENCH_AUTH } from './lib/stack';
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

/**
 * The queries at the rate and with the concurrency autocannon uses: `connections` lanes, each
 * sending its share of the second's requests back to back from the start of every second (this
 * is how autocannon's overallRate paces a connection), so both sides see the same bursts.
 */
async function timeSql(sql: postgres.Sql, requests: CapturedQuery[][], rps: number, seconds: number) {
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
        const statements = requests[next++ % requests.length]!;
        const t0 = performance.now();
        for (const { query, params } of statements) await sql.unsafe(query, params as postgres.ParameterOrJSON<never>[]);
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
        return { path, page, captured: await captureSql(handle, scenario, vaultId, cursor) };
      }));
      prepared.push({ scenario, perVault });
      if (scenario.kind === 'jobs' && scenario.page > 1 && !deepCursorSql) deepCursorSql = perVault[0]?.captured.statements[0]?.query ?? '';
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
      const raw = await timeSql(handle.sql, perVault.map((v) => v.captured.statements), rps, seconds);
      const page = Math.min(...perVault.map((v) => v.page));
      results.push({
        name: scenario.name, page, statements: perVault[0]!.captured.statements.length, rows: Math.min(...perVault.map((v) => v.captured.rows)),
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

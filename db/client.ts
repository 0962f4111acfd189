import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { preparingStatements } from './prepared-statements';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;

export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/**
 * The pool size is `?max=N` in DATABASE_URL (default 10), TLS is `?sslmode=require|verify-full`
 * (with `sslrootcert=system` for the system CAs): both settled by the URL, so one variable
 * configures every process. An explicit `max` (tests, tools) wins.
 */
export function connectDb(url: string, options: { max?: number } = {}): DbHandle {
  const sql = preparingStatements(postgres(url, {
    max: options.max ?? poolSizeOf(url), onnotice: () => {}, connect_timeout: 10,
    // Statements are parsed once (db/prepared-statements.ts) but planned per execution: a generic
    // plan knows no parameter values, so it cannot use the partial list indexes (`where listed`
    // against `listed = $2`), and a page of jobs then took 130 ms instead of 1 (measured).
    connection: { plan_cache_mode: 'force_custom_plan' },
  }));
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}

/** A connection or an open transaction: read-model writers take either, so callers choose the transaction. */
export type DbOrTx = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export function poolSizeOf(url: string, fallback = 10): number {
  let raw: string | null = null;
  try {
    raw = new URL(url).searchParams.get('max');
  } catch {
    return fallback;
  }
  if (raw === null) return fallback;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1) throw new Error(`DATABASE_URL: max=${raw} is not a pool size (a whole number ≥ 1)`);
  return size;
}

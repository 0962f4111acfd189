// drizzle sends every query through postgres.js's `unsafe` with `prepare: false`. An unnamed statement
// with parameters costs two round trips there (Parse + Describe, wait for the parameter types, then
// Bind + Execute) and Postgres parses it each time; a named one costs one round trip after its first
// use on a connection (docs/design/performance.md §7). This wrapper names statements, with a bound:
// postgres.js keeps a connection's statements for its lifetime, and so does Postgres, so only the
// first MAX_PREPARED distinct texts of a pool are prepared. The job path and the lists are a few
// dozen texts; texts that vary in length (long IN lists, multi-row inserts) stay unnamed past it.
// `?prepare=false` in DATABASE_URL (a transaction-mode pooler) turns naming off for the whole pool.
import type postgres from 'postgres';

export const MAX_PREPARED = 256;

type Unsafe = postgres.Sql['unsafe'];
type Wrapped = (inner: postgres.Sql) => postgres.Sql;

/** The first `limit` distinct texts answer true, forever; any other text false. */
export function statementNamer(limit = MAX_PREPARED): (text: string) => boolean {
  const named = new Set<string>();
  return (text) => {
    if (named.has(text)) return true;
    if (named.size >= limit) return false;
    named.add(text);
    return true;
  };
}

/** `sql` whose unsafe queries, in transactions and savepoints too, are prepared as namer decides. */
export function preparingStatements(sql: postgres.Sql, shouldName = statementNamer()): postgres.Sql {
  const wrap: Wrapped = (inner) => new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        const unsafe: Unsafe = (query, args, options) => target.unsafe(query, args, {
          ...options, prepare: Array.isArray(args) && args.length > 0 && shouldName(query),
        });
        return unsafe;
      }
      if (property === 'begin' || property === 'savepoint') {
        const scoped = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.Sql) => unknown;
          return scoped.call(target, ...args, (tx: postgres.Sql) => body(wrap(tx)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return wrap(sql);
}

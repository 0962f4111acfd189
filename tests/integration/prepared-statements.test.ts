// db/prepared-statements.ts against Postgres: drizzle's statements are named (one round trip after
// their first use), inside transactions too, within the bound, and `?prepare=false` turns it off.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type DbHandle } from '../../db/client';
import { vaults } from '../../db/schema';
import { testEnv } from '../support/env';

let database: DbHandle;
beforeAll(() => {
  // One connection, so pg_prepared_statements (per session) sees every statement this pool sent.
  database = connectDb(testEnv().databaseUrl, { max: 1 });
});
afterAll(() => database?.close());

const named = async (handle: DbHandle, fragment: string) =>
  (await handle.sql<{ n: number }[]>`select count(*)::int as n from pg_prepared_statements where statement like ${`%${fragment}%`}`)[0]!.n;

describe('drizzle statements on a preparing pool', () => {
  it('names a parameterised statement once and reuses it, in and out of transactions', async () => {
    const lookup = (db: DbHandle['db'], id: string) => db.select({ id: vaults.id }).from(vaults).where(eq(vaults.id, id));
    expect(await named(database, 'from "vaults" where "vaults"."id"')).toBe(0);
    await lookup(database.db, 'no-such-vault-1');
    await lookup(database.db, 'no-such-vault-2');
    await database.db.transaction(async (tx) => { await lookup(tx, 'no-such-vault-3'); });
    expect(await named(database, 'select "id" from "vaults" where "vaults"."id" = $1')).toBe(1);
  });

  it('leaves a statement without parameters unnamed (the simple protocol)', async () => {
    await database.db.execute(sql`select 41 + 1 as answer_without_params`);
    expect(await named(database, 'answer_without_params')).toBe(0);
  });

  it('names nothing when DATABASE_URL says prepare=false (a transaction-mode pooler)', async () => {
    const url = new URL(testEnv().databaseUrl);
    url.searchParams.set('prepare', 'false');
    const unprepared = connectDb(url.toString(), { max: 1 });
    try {
      await unprepared.db.select({ id: vaults.id }).from(vaults).where(eq(vaults.name, 'prepare-false-probe'));
      expect(await named(unprepared, '"vaults"."name" = $1')).toBe(0);
    } finally {
      await unprepared.close();
    }
  });
});

describe('plans', () => {
  it('plans every execution for its parameters (a generic plan cannot use the partial list indexes)', async () => {
    const [row] = await database.sql<{ mode: string }[]>`select current_setting('plan_cache_mode') as mode`;
    expect(row?.mode).toBe('force_custom_plan');
  });
});

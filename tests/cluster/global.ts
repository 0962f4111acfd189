// Global setup of `npm run test:cluster`: builds (or finds) the Temporal server, SQL tool and CLI,
// and creates one fresh, migrated read-model database for the run. Each test file starts its own
// cluster (tests/cluster/support.ts): the plain and the mTLS one use different Temporal databases.
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../db/migrate';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { ensureTemporalServer } from '../../scripts/lib/temporal-server';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await Promise.all([ensureTemporalServer(), ensureTemporalCli()]);
  const url = new URL(ADMIN_URL);
  // Same pattern as tests/setup/global.ts, whose next run drops it if this run is killed.
  url.pathname = `/backup_monitor_test_${Date.now()}_${process.pid}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl);
  project.provide('clusterDatabaseUrl', databaseUrl);
  return async () => {
    if (process.env.KEEP_TEST_DB) return console.log(`kept test database ${databaseUrl}`);
    const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`drop database if exists "${url.pathname.slice(1)}" with (force)`);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    clusterDatabaseUrl: string;
  }
}

// Vitest global setup: one Temporal dev server (in memory) and one fresh, migrated database per
// run, shared by all test files. Tests isolate themselves with their own vault ids and task queues.
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../db/migrate';
import { startDevServer } from '../../scripts/lib/dev-server';
import { ensureTemporalCli, isAlive } from '../../scripts/lib/temporal-cli';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVER_LOG = fileURLToPath(new URL('../.artifacts/temporal-server.log', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // May build the CLI on a fresh machine (minutes); later runs find it in the cache.
  const cliPath = await ensureTemporalCli();
  const server = await startDevServer({ cliPath, log: SERVER_LOG });

  const databaseUrl = testDatabaseUrl();
  await dropAbandonedDatabases();
  try {
    await migrateDatabase(databaseUrl);
  } catch (error) {
    await server.stop();
    await dropDatabase(databaseUrl).catch(() => {});
    throw error;
  }

  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('temporalUiUrl', server.uiUrl);
  project.provide('temporalCliPath', cliPath);
  project.provide('databaseUrl', databaseUrl);

  return async () => {
    await server.stop();
    if (process.env.KEEP_TEST_DB) {
      console.log(`kept test database ${databaseUrl}`);
      return;
    }
    await dropDatabase(databaseUrl);
  };
}

function testDatabaseUrl(): string {
  const url = new URL(ADMIN_URL);
  // The pid keeps two runs started in the same millisecond (CI and a developer) apart.
  url.pathname = `/backup_monitor_test_${Date.now()}_${process.pid}`;
  return url.toString();
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    // FORCE: a test that leaked a pool must not leave the database behind.
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A run stopped by Ctrl-C cannot drop its database, so the next run drops those of dead runs. */
async function dropAbandonedDatabases(): Promise<void> {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`
      select datname from pg_database where datname ~ '^backup_monitor_test_[0-9]+_[0-9]+$'`;
    for (const { datname } of rows) {
      const pid = Number(datname.split('_').at(-1));
      if (isAlive(pid)) continue;
      await sql.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// Checks that the global setup really provides a Temporal server and a migrated database.
import { Connection } from '@temporalio/client';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTE_NAMES } from '../../workflows/definitions';
import { testEnv } from '../support/env';

describe('test infrastructure', () => {
  const env = testEnv();

  it('provides a Temporal dev server with the search attributes registered', async () => {
    const connection = await Connection.connect({ address: env.temporalAddress });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: env.temporalNamespace,
      });
      expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTE_NAMES));
    } finally {
      await connection.close();
    }
  });

  it('provides a migrated test database of its own', async () => {
    expect(new URL(env.databaseUrl).pathname).toMatch(/^\/backup_monitor_test_/);
    const sql = postgres(env.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ count: number }[]>`select count(*)::int as count from jobs`;
      // Other test files share the database and run in parallel, so only the schema is checked.
      expect(row?.count).toBeGreaterThanOrEqual(0);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

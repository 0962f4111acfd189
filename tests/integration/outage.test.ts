// §4/§8: every outage shape of Postgres or Temporal answers a 503 problem with Retry-After, against
// real servers made unreachable (a TCP proxy we cut or hang, a role out of connections, a closed
// port), never mocks: the previous check read the code of drizzle's wrapper and answered 500.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { drizzle } from 'drizzle-orm/postgres-js';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import * as schema from '../../db/schema';
import { freePort } from '../../scripts/lib/dev-server';
import { testEnv } from '../support/env';
import { createVault, eventually, startStack, TEST_ADMIN_TOKEN, type Stack } from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

let stack: Stack;
let proxy: TcpProxy;
const pools: postgres.Sql[] = [];
beforeAll(async () => {
  stack = await startStack();
  const target = new URL(testEnv().databaseUrl);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
});
afterAll(async () => {
  for (const pool of pools) await pool.end({ timeout: 1 }).catch(() => {});
  await proxy?.stop();
  await stack?.close();
});

function appWith(options: { databaseUrl?: string; temporal?: Client; connectTimeoutS?: number }) {
  const sql = postgres(options.databaseUrl ?? testEnv().databaseUrl, { max: 4, onnotice: () => {}, connect_timeout: options.connectTimeoutS ?? 10 });
  pools.push(sql);
  return createApp({
    db: drizzle(sql, { schema }), temporal: options.temporal ?? stack.client, taskQueue: stack.taskQueue,
    jobTimeoutMs: 3_600_000, digestIntervalMs: 3_600_000, log: pino({ level: 'silent' }), adminToken: TEST_ADMIN_TOKEN,
  });
}

async function call(app: ReturnType<typeof createApp>, method: string, path: string, body?: unknown) {
  const response = await app.request(path, {
    method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), type: response.headers.get('content-type'), body: await response.json() };
}

const job = { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-01' };
const expect503 = (r: Awaited<ReturnType<typeof call>>) => {
  expect(r.status).toBe(503);
  expect(r.retryAfter).toMatch(/^\d+$/);
  expect(r.type).toContain('application/problem+json');
  expect(r.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
};

describe('Postgres unreachable', () => {
  it('a stopped Postgres (connections dropped and refused) answers 503 on every route shape, then recovers', async () => {
    const vaultId = await createVault(stack);
    const { body: started } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job);
    const app = appWith({ databaseUrl: proxy.url(testEnv().databaseUrl) });
    expect((await call(app, 'GET', `/v1/vaults/${vaultId}`)).status).toBe(200); // pool connected through the proxy
    await proxy.cut();
    try {
      for (const [method, path, body] of [
        ['GET', `/v1/vaults/${vaultId}`], ['GET', `/v1/vaults/${vaultId}/jobs`], ['GET', `/v1/vaults/${vaultId}/jobs/${started.id}`],
        ['GET', `/v1/vaults/${vaultId}/alerts`], ['POST', `/v1/vaults/${vaultId}/jobs`, job],
        ['POST', `/v1/vaults/${vaultId}/jobs/${started.id}/complete`, { status: 'Completed' }],
        ['POST', `/v1/vaults/${vaultId}/jobs/${started.id}/cancel`],
      ] as [string, string, unknown?][]) {
        expect503(await call(app, method, path, body));
      }
      expect((await call(app, 'GET', '/healthz')).status).toBe(503);
    } finally {
      await proxy.restore();
    }
    // Nothing was claimed while it was down; the first outcome after it is the one.
    await eventually(async () => (await call(app, 'GET', `/v1/vaults/${vaultId}`)).status === 200, 'the pool to reconnect');
    expect((await call(app, 'POST', `/v1/vaults/${vaultId}/jobs/${started.id}/complete`, { status: 'Completed' })).status).toBe(202);
  }, 60_000);

  it('a Postgres that accepts and never answers (connect timeout) answers 503', async () => {
    const hanging = await startTcpProxy({ host: '127.0.0.1', port: 1 });
    hanging.hang();
    try {
      expect503(await call(appWith({ databaseUrl: hanging.url(testEnv().databaseUrl), connectTimeoutS: 1 }), 'GET', '/v1/vaults/any'));
    } finally {
      await hanging.stop();
    }
  });

  it('a closed port (ECONNREFUSED wrapped by drizzle) answers 503', async () => {
    const url = new URL(testEnv().databaseUrl);
    url.port = String(await freePort());
    expect503(await call(appWith({ databaseUrl: url.toString() }), 'GET', '/v1/vaults/any/jobs'));
  });

  it('a Postgres out of connections (SQLSTATE 53300, a real role at its limit) answers 503', async () => {
    const role = `bm_nolimit_${randomUUID().slice(0, 8)}`;
    await stack.sql.unsafe(`create role ${role} login connection limit 0`);
    try {
      const url = new URL(testEnv().databaseUrl);
      url.username = role;
      expect503(await call(appWith({ databaseUrl: url.toString() }), 'GET', '/v1/vaults/any'));
    } finally {
      await stack.sql.unsafe(`drop role if exists ${role}`);
    }
  });
});

describe('Temporal unreachable', () => {
  it('start answers 503 and writes nothing; an outcome claimed in Postgres is 202 and reaches the workflow later', async () => {
    const vaultId = await createVault(stack);
    const { body: started } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job);
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 1_000 });
    const dead = new Client({ connection });
    const app = appWith({ temporal: dead });
    try {
      expect503(await call(app, 'POST', `/v1/vaults/${vaultId}/jobs`, { ...job, jobId: 'never' }));
      expect(await stack.sql`select 1 from jobs where vault_id = ${vaultId} and id = 'never'`).toHaveLength(0);
      // The claim is the durable acceptance: the worker's sweeper signals it once Temporal answers.
      expect((await call(app, 'POST', `/v1/vaults/${vaultId}/jobs/${started.id}/complete`, { status: 'Failed' })).status).toBe(202);
      expect((await call(app, 'POST', `/v1/vaults/${vaultId}/jobs/${started.id}/cancel`)).status).toBe(409);
      // An unknown job cannot be told from a known one without Temporal: 503, nothing claimed.
      expect503(await call(app, 'POST', `/v1/vaults/${vaultId}/jobs/unknown/complete`, { status: 'Failed' }));
      expect(await stack.sql`select 1 from job_outcomes where vault_id = ${vaultId} and job_id = 'unknown'`).toHaveLength(0);
      expect((await call(app, 'GET', '/healthz')).status).toBe(503);
    } finally {
      // Not closed: closing a lazy connection that never connected rejects inside the SDK later.
      void connection;
    }
    await stack.client.workflow.getHandle(`backup-job/${vaultId}/${started.id}`).result();
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${started.id}`)).body.status).toBe('Failed');
  }, 60_000);
});

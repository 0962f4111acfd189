import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/deps';

const refused = () => {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
};
// A database whose every query fails as if Postgres were down.
const downDb = new Proxy({}, { get: () => refused }) as unknown as AppDeps['db'];
const ADMIN = 'bm_outage_admin_token_0123456789abcdef012345';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` };
const app = createApp({
  db: downDb, temporal: {} as AppDeps['temporal'], taskQueue: 'q', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }), adminToken: ADMIN,
});

describe('dependency outages', () => {
  it.each([
    ['GET', '/v1/vaults/prod'],
    ['GET', '/v1/vaults/prod/jobs'],
    ['POST', '/v1/vaults/prod/jobs'],
  ])('%s %s answers 503 with Retry-After when Postgres is down', async (method, path) => {
    const body = method === 'POST' ? JSON.stringify({ workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm' }) : undefined;
    const response = await app.request(path, { method, body, headers });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
  });

  it('an unexpected error is a 500 problem that names the request, not the cause', async () => {
    const broken = createApp({
      db: new Proxy({}, { get: () => () => { throw new Error('secret internals'); } }) as unknown as AppDeps['db'],
      temporal: {} as AppDeps['temporal'], taskQueue: 'q', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }), adminToken: ADMIN,
    });
    const response = await broken.request('/v1/vaults/prod', { headers });
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toMatchObject({ status: 500, requestId: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('secret internals');
  });

  it('a token looked up while Postgres is down is a 503, neither a 401 nor a 500', async () => {
    const response = await app.request('/v1/whoami', { headers: { authorization: `Bearer bm_${'x'.repeat(43)}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    // The bootstrap token needs no database.
    expect((await app.request('/v1/whoami', { headers })).status).toBe(200);
  });
});

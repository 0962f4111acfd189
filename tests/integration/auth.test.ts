// §7 against a real stack: every /v1 route of the OpenAPI document refuses bad tokens, roles get
// exactly their rights, and scopes hold.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { ACCESS_RULES } from '../../api/auth/rules';
import { ROLES, type Role } from '../../domain/types';
import { bearer, startAuthFixture, type AuthFixture } from '../support/auth';
import { runJob } from '../support/jobs';
import { eventually, uniqueVaultId, type Stack } from '../support/stack';

let stack: Stack;
let vaultId: string;
let otherVault: string;
let tokenOf: Record<Role, string>;
let expired: string;
let revoked: string;
let call: AuthFixture['call'];
let newToken: AuthFixture['newToken'];

beforeAll(async () => {
  ({ stack, vaultId, otherVault, tokenOf, expired, revoked, call, newToken } = await startAuthFixture());
});
afterAll(() => stack?.close());

describe('every /v1 route of the OpenAPI document', async () => {
  // Collected before the stack starts, so the routes come from the app's own document; the first
  // test checks that the stack serves the same one.
  const doc = await (await createApp({
    db: {} as never, temporal: {} as never, taskQueue: 'x', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }),
  }).request('/openapi.json')).json();
  const operations: Array<[string, string, string]> = Object.entries<Record<string, unknown>>(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, item]) => Object.keys(item).map((method) => [`${method.toUpperCase()} ${path}`, method.toUpperCase(), path] as [string, string, string]));

  it('is served by the stack too, and covers the routes that exist', async () => {
    const served = await call('GET', '/openapi.json');
    expect(served.status).toBe(200);
    expect(Object.keys(served.body.paths).sort()).toEqual(Object.keys(doc.paths).sort());
    expect(operations.length).toBeGreaterThanOrEqual(20);
    expect(served.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(served.body.security).toEqual([{ bearerAuth: [] }]);
    expect(served.body.paths['/healthz'].get.security).toEqual([]);
    for (const [key, method, path] of operations) {
      expect(Object.keys(served.body.paths[path][method.toLowerCase()].responses), key).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('has a rule in ACCESS_RULES for each of them (a new route without one fails here)', () => {
    const missing = operations.map(([key]) => key).filter((key) => !Object.hasOwn(ACCESS_RULES, key));
    expect(missing).toEqual([]);
  });

  const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'vaultId' ? vaultId : name === 'alertId' || name === 'tokenId' ? randomUUID() : `some-${name}`));
  const bad: Array<[string, () => string | undefined]> = [
    ['missing', () => undefined],
    ['malformed', () => 'Basic YWRtaW46YWRtaW4='],
    ['unknown', () => bearer(`bm_${'A'.repeat(43)}`)],
    ['expired', () => bearer(expired)],
    ['revoked', () => bearer(revoked)],
  ];
  describe.each(bad)('%s token', (kind, header) => {
    it('is a 401 problem with WWW-Authenticate: Bearer on every route', async () => {
      for (const [key, method, path] of operations) {
        const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
        const response = await call(method, concrete(path), header(), body);
        expect(response.status, `${kind}: ${key}`).toBe(401);
        expect(response.headers.get('www-authenticate'), key).toMatch(/^Bearer realm="backup-monitor"/);
        expect(response.headers.get('content-type'), key).toContain('application/problem+json');
        expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      }
    });
  });

  it('says the same for unknown, expired and revoked tokens (nothing tells which exist)', async () => {
    const answers = await Promise.all([`bm_${'B'.repeat(43)}`, expired, revoked].map((t) => call('GET', '/v1/whoami', bearer(t))));
    expect(new Set(answers.map((a) => JSON.stringify(a.body)))).toHaveProperty('size', 1);
    expect(answers[0]!.headers.get('www-authenticate')).toBe('Bearer realm="backup-monitor", error="invalid_token"');
  });

  it('leaves /healthz, /openapi.json, /docs and /metrics open; an unknown /v1 path is a 401 before a 404', async () => {
    for (const path of ['/healthz', '/openapi.json', '/docs', '/metrics']) expect((await call('GET', path)).status, path).toBe(200);
    expect((await call('GET', '/v1/no-such-route')).status).toBe(401);
    expect((await call('GET', '/v1/no-such-route', bearer(tokenOf.Reader!))).status).toBe(404);
  });

  it('never takes a cookie for a token, and refuses a cross-site text/plain form post', async () => {
    const forged = await call('PUT', `/v1/vaults/${vaultId}`, undefined, undefined, {
      cookie: `bm_session=${tokenOf.Admin}`, 'content-type': 'text/plain', origin: 'https://evil.example',
    });
    expect(forged.status).toBe(401);
  });
});

describe('roles (§7)', () => {
  let alertId: string;
  beforeAll(async () => {
    await runJob(stack, vaultId, { entityName: 'vm-roles' });
    alertId = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts`)).body.items[0].id;
  });

  // One representative route per right; the least role holding it, as §7 lists them.
  const rights: Array<[string, Role, () => [string, string, unknown?]]> = [
    ['read a vault', 'Reader', () => ['GET', `/v1/vaults/${vaultId}`]],
    ['list jobs', 'Reader', () => ['GET', `/v1/vaults/${vaultId}/jobs`]],
    ['list vaults', 'Reader', () => ['GET', '/v1/vaults']],
    ['whoami', 'Reader', () => ['GET', '/v1/whoami']],
    ['start a job', 'Service', () => ['POST', `/v1/vaults/${vaultId}/jobs`, { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-svc' }]],
    ['cancel a job', 'Service', () => ['POST', `/v1/vaults/${vaultId}/jobs/no-such-job/cancel`]],
    ['inactivate an alert', 'Operator', () => ['POST', `/v1/vaults/${vaultId}/alerts/${randomUUID()}/inactivate`]],
    ['write a vault', 'Admin', () => ['PUT', `/v1/vaults/${vaultId}`, { name: 'roles', contacts: { owners: [], admins: [], coAdmins: [] } }]],
    ['write notification settings', 'Admin', () => ['PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: false, recipients: [], frequency: 'PerAlert' }]],
    ['read the audit log', 'Admin', () => ['GET', `/v1/vaults/${vaultId}/audit`]],
    ['read the global audit log', 'Admin', () => ['GET', '/v1/audit']],
    ['list tokens', 'Admin', () => ['GET', '/v1/tokens']],
  ];
  const rank = (role: Role) => ROLES.indexOf(role);
  it.each(ROLES.flatMap((role) => rights.map(([right, least, request]) => [role, right, least, request] as const)))(
    '%s: %s', async (role, _right, least, request) => {
      const [method, path, body] = request();
      const response = await call(method, path, bearer(tokenOf[role]!), body);
      if (rank(role) >= rank(least)) {
        expect([401, 403], JSON.stringify(response.body)).not.toContain(response.status);
        expect(response.status).toBeLessThan(500);
      } else {
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ status: 403, title: 'Forbidden' });
      }
    });

  it('an Operator inactivates an alert in its own name; a Reader cannot', async () => {
    expect((await call('POST', `/v1/vaults/${vaultId}/alerts/${alertId}/inactivate`, bearer(tokenOf.Reader!))).status).toBe(403);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alertId}`)).body.status).toBe('Active');
    const done = await call('POST', `/v1/vaults/${vaultId}/alerts/${alertId}/inactivate`, bearer(tokenOf.Operator!));
    expect(done.status).toBe(202);
    // readYourWritesMs 0: the read model catches up a moment later.
    const alert = await eventually(async () => {
      const read = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alertId}`)).body;
      return read.status === 'Inactive' ? read : null;
    }, 'the inactivation to be read back');
    expect(alert.inactivatedBy).toBe('operator-bot');
  });
});

describe('vault scopes', () => {
  let scoped: string;
  beforeAll(async () => {
    scoped = (await newToken({ name: 'scoped-admin', role: 'Admin', vaults: [vaultId, 'not-yet-created'] })).token;
  });

  it('reaches its vaults and nothing else, creation included', async () => {
    expect((await call('GET', `/v1/vaults/${vaultId}`, bearer(scoped))).status).toBe(200);
    for (const [method, path] of [['GET', `/v1/vaults/${otherVault}`], ['GET', `/v1/vaults/${otherVault}/alerts`], ['GET', `/v1/vaults/${otherVault}/audit`]]) {
      const response = await call(method!, path!, bearer(scoped));
      expect(response.status, path).toBe(403);
      expect(response.body.detail).toBe(`This token may not access vault ${otherVault}.`);
    }
    const outside = uniqueVaultId('outside');
    const put = await call('PUT', `/v1/vaults/${outside}`, bearer(scoped), { contacts: { owners: [], admins: [], coAdmins: [] } });
    expect(put.status).toBe(403);
    expect((await stack.api('GET', `/v1/vaults/${outside}`)).status).toBe(404);
    // An unknown vault outside the scope is a 403 too: the answer does not tell whether it exists.
    expect((await call('GET', '/v1/vaults/no-such-vault', bearer(scoped))).status).toBe(403);
  });

  it('lists only its vaults', async () => {
    const listed = await call('GET', '/v1/vaults?limit=500', bearer(scoped));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((v: any) => v.id)).toEqual([vaultId]);
    const everything = await stack.api('GET', '/v1/vaults?limit=500');
    expect(everything.body.items.map((v: any) => v.id)).toEqual(expect.arrayContaining([vaultId, otherVault]));
  });

  it('pages through every vault with the cursor, and refuses a forged one', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await stack.api('GET', `/v1/vaults?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.items).toHaveLength(1);
      seen.push(page.items[0].id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([vaultId, otherVault]));
    expect((await stack.api('GET', '/v1/vaults?cursor=bm9wZQ')).status).toBe(400);
  });

  it('is not enough for token management or the global audit', async () => {
    for (const [method, path] of [['GET', '/v1/tokens'], ['POST', '/v1/tokens'], ['GET', '/v1/audit'], ['DELETE', `/v1/tokens/${randomUUID()}`]]) {
      expect((await call(method!, path!, bearer(scoped), method === 'POST' ? { name: 'x', role: 'Reader' } : undefined)).status, path).toBe(403);
    }
  });

  it('answers whoami with its scope', async () => {
    expect((await call('GET', '/v1/whoami', bearer(scoped))).body).toEqual({ principal: 'scoped-admin', role: 'Admin', vaults: [vaultId, 'not-yet-created'] });
    expect((await stack.api('GET', '/v1/whoami')).body).toEqual({ principal: 'admin', role: 'Admin', vaults: null });
  });
});

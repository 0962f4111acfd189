// §7 against a real stack: every /v1 route of the OpenAPI document refuses bad tokens, roles get
// exactly their rights, scopes hold, tokens are created, listed and revoked, and the audit log
// names who did what.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { ACCESS_RULES } from '../../api/auth/rules';
import { hashToken } from '../../domain/tokens';
import { ROLES, type Role } from '../../domain/types';
import { testEnv } from '../support/env';
import { runJob } from '../support/jobs';
import { createVault, eventually, startStack, TEST_ADMIN_TOKEN, uniqueVaultId, type Stack } from '../support/stack';

let stack: Stack;
let vaultId: string;
let otherVault: string;
const tokenOf: Partial<Record<Role, string>> = {};
let expired: string;
let revoked: string;

async function call(method: string, path: string, authorization?: string, body?: unknown, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra, ...(authorization === undefined ? {} : { authorization }) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${stack.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: response.status, headers: response.headers, body: json };
}

async function newToken(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const created = await stack.api('POST', '/v1/tokens', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

beforeAll(async () => {
  stack = await startStack({ readYourWritesMs: 0 });
  vaultId = await createVault(stack);
  otherVault = await createVault(stack);
  for (const role of ROLES) tokenOf[role] = (await newToken({ name: `${role.toLowerCase()}-bot`, role })).token;
  const gone = await newToken({ name: 'soon-revoked', role: 'Admin' });
  expect((await stack.api('DELETE', `/v1/tokens/${gone.id}`)).status).toBe(204);
  revoked = gone.token;
  // The API refuses a past expiresAt, so an expired token is written as time would leave it.
  expired = `bm_${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '').slice(0, 11)}`;
  await stack.sql`insert into tokens (name, role, secret_hash, expires_at, created_by)
    values ('expired-bot', 'Admin', ${hashToken(expired)}, now() - interval '1 minute', 'test')`;
});
afterAll(() => stack?.close());

const bearer = (token: string) => `Bearer ${token}`;

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

describe('tokens', () => {
  it('are created as §4 says, shown once, listed without secrets', async () => {
    const created = await stack.api('POST', '/v1/tokens', { name: 'ci-pipeline', role: 'Service' });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'role', 'token', 'vaults']);
    expect(created.body).toMatchObject({ name: 'ci-pipeline', role: 'Service', vaults: null, expiresAt: null });
    expect(created.body.token).toMatch(/^bm_[A-Za-z0-9_-]{43}$/);
    const [row] = await stack.sql`select secret_hash from tokens where id = ${created.body.id}`;
    expect(row!.secret_hash).toBe(hashToken(created.body.token));

    const later = new Date(Date.now() + 86_400_000).toISOString();
    const expiring = await stack.api('POST', '/v1/tokens', { name: 'temp', role: 'Reader', vaults: [vaultId, vaultId], expiresAt: later });
    expect(expiring.body).toMatchObject({ vaults: [vaultId], expiresAt: later });

    const list = await stack.api('GET', '/v1/tokens');
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: any) => t.id)).toEqual(expect.arrayContaining([created.body.id, expiring.body.id]));
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(created.body.token);
    expect(text).not.toContain(hashToken(created.body.token));
    expect(list.body.items.every((t: any) => !('token' in t) && !('secretHash' in t))).toBe(true);
    expect(list.body.items.find((t: any) => t.id === created.body.id)).toMatchObject({ createdBy: 'admin' });
  });

  it('refuse a past expiry, an unknown role, an empty scope and reserved names with 400', async () => {
    for (const body of [
      { name: 'x', role: 'Reader', expiresAt: new Date(Date.now() - 1000).toISOString() },
      { name: 'x', role: 'Root' }, { name: 'x', role: 'Reader', vaults: [] }, { name: '', role: 'Reader' },
      { name: 'System', role: 'Admin' }, { name: 'x', role: 'Reader', vaults: ['a/b'] }, { role: 'Reader' },
    ]) {
      const response = await stack.api('POST', '/v1/tokens', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('stop working from the request after their revocation; revoking again or an unknown id is 404', async () => {
    const { id, token } = await newToken({ name: 'to-revoke', role: 'Reader' });
    expect((await call('GET', '/v1/whoami', bearer(token))).status).toBe(200);
    expect((await stack.api('DELETE', `/v1/tokens/${id}`)).status).toBe(204);
    expect((await call('GET', '/v1/whoami', bearer(token))).status).toBe(401);
    expect((await stack.api('GET', '/v1/tokens')).body.items.map((t: any) => t.id)).not.toContain(id);
    expect((await stack.api('DELETE', `/v1/tokens/${id}`)).status).toBe(404);
    expect((await stack.api('DELETE', `/v1/tokens/${randomUUID()}`)).status).toBe(404);
    expect((await stack.api('DELETE', '/v1/tokens/not-a-uuid')).status).toBe(404);
  });
});

describe('the audit log', () => {
  it('shows who updated a vault, with the request id', async () => {
    const { token } = await newToken({ name: 'alice', role: 'Admin' });
    const requestId = `req-${randomUUID()}`;
    const put = await call('PUT', `/v1/vaults/${vaultId}`, bearer(token), { name: 'renamed', contacts: { owners: [], admins: [], coAdmins: [] } }, { 'x-request-id': requestId });
    expect(put.status).toBe(200);
    const log = await stack.api('GET', `/v1/vaults/${vaultId}/audit`);
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toEqual({ at: expect.any(String), principal: 'alice', action: 'vault.updated', target: `vault/${vaultId}`, requestId });
    // The other vault's log has none of this vault's rows.
    const other = await stack.api('GET', `/v1/vaults/${otherVault}/audit`);
    expect(other.body.items.every((row: any) => row.target !== `vault/${vaultId}`)).toBe(true);
  });

  it('shows who created and revoked tokens, newest first, page by page', async () => {
    const { id } = await newToken({ name: 'audited', role: 'Reader' });
    await stack.api('DELETE', `/v1/tokens/${id}`);
    const first = await stack.api('GET', '/v1/audit?limit=1');
    expect(first.body.items).toEqual([expect.objectContaining({ principal: 'admin', action: 'token.revoked', target: `token/${id}` })]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await stack.api('GET', `/v1/audit?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toEqual([expect.objectContaining({ principal: 'admin', action: 'token.created', target: `token/${id}` })]);
    expect(Date.parse(second.body.items[0].at)).toBeLessThanOrEqual(Date.parse(first.body.items[0].at));
    expect((await stack.api('GET', '/v1/audit?cursor=garbage')).status).toBe(400);
    expect((await stack.api('GET', `/v1/vaults/no-such-vault-${randomUUID().slice(0, 6)}/audit`)).status).toBe(404);
  });

  it('keeps token secrets out of every answer it gives', async () => {
    const { token } = await newToken({ name: 'secret-scan', role: 'Reader' });
    const text = JSON.stringify((await stack.api('GET', '/v1/audit?limit=500')).body) + JSON.stringify((await stack.api('GET', '/v1/tokens')).body);
    expect(text).not.toContain(token);
    expect(text).not.toContain('bm_test_admin');
  });
});

describe('the logs', () => {
  it('never carry a token, whatever header or body it came in', async () => {
    const lines: string[] = [];
    const app = createApp({
      db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, jobTimeoutMs: 3_600_000, digestIntervalMs: 3_600_000,
      log: pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) }), adminToken: TEST_ADMIN_TOKEN, readYourWritesMs: 0,
    });
    const asAdmin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await (await app.request('/v1/tokens', { method: 'POST', headers: asAdmin, body: JSON.stringify({ name: 'log-scan', role: 'Reader' }) })).json();
    const secrets = [TEST_ADMIN_TOKEN, created.token as string];
    for (const secret of secrets) {
      await app.request('/v1/whoami', { headers: { authorization: `Bearer ${secret}` } });
      await app.request('/v1/whoami', { headers: { authorization: `Bearer ${secret}x` } });
      await app.request('/v1/whoami', { headers: { authorization: `Token ${secret}` } });
      const refused = await app.request('/v1/tokens', { method: 'POST', headers: asAdmin, body: JSON.stringify({ name: secret, role: 'Nobody' }) });
      expect(await refused.text()).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(lines.join('\n')).not.toContain(secret);
  });
});

describe('npm run token:create', () => {
  const run = (args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/token-create.ts', ...args], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)), env: { ...process.env, DATABASE_URL: testEnv().databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => resolve({ code, out, err }));
  });

  it('prints a working token alone on its last line, scoped and expiring as asked', async () => {
    const { code, out } = await run(['--name', 'cli-bot', '--role', 'Operator', '--vault', vaultId, '--expires-in', '30d']);
    expect(code).toBe(0);
    const token = out.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^bm_[A-Za-z0-9_-]{43}$/);
    expect((await call('GET', '/v1/whoami', bearer(token))).body).toEqual({ principal: 'cli-bot', role: 'Operator', vaults: [vaultId] });
    const listed = (await stack.api('GET', '/v1/tokens')).body.items.find((t: any) => t.name === 'cli-bot');
    expect(Date.parse(listed.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(listed.createdBy).toBe('token:create');
  }, 60_000);

  it('refuses a bad role or duration with its usage and no token', async () => {
    for (const args of [['--name', 'x', '--role', 'Root'], ['--name', 'x', '--role', 'Reader', '--expires-in', 'soon'], ['--role', 'Reader']]) {
      const { code, out, err } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toContain('usage: npm run token:create');
      expect(out).not.toMatch(/bm_/);
    }
  }, 60_000);
});

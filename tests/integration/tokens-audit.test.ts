// §4/§7 tokens and the audit log against a real stack: creation, listing, revocation, the CLI,
// who did what, console sessions, and no secret in answers or logs.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hashToken } from '../../domain/tokens';
import type { Role } from '../../domain/types';
import { bearer, startAuthFixture, type AuthFixture } from '../support/auth';
import { testEnv } from '../support/env';
import { TEST_ADMIN_TOKEN, type Stack } from '../support/stack';

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

describe('tokens', () => {
  it('are created as §4 says, shown once, listed without secrets', async () => {
    const created = await stack.api('POST', '/v1/tokens', { name: 'ci-pipeline', role: 'Service' });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'role', 'token', 'vaults']);
    expect(created.body).toMatchObject({ name: 'ci-pipeline', role: 'Service', vaults: null, expiresAt: null });
    expect(created.body.token).toMatch(/^bm_[A-Za-z0-9_-]{43}$/);
    const [row] = await stack.sql`select secret_hash from tokens where id = ${created.body.id}`;
    expect(row!.secret_hash).toBe(hashToken(created.body.token));

    const explicit = await stack.api('POST', '/v1/tokens', { name: 'nulls', role: 'Reader', vaults: null, expiresAt: null });
    expect(explicit.body).toMatchObject({ vaults: null, expiresAt: null });
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
    // Other test files write audit rows concurrently: walk pages of 2 until both rows are seen.
    const rows: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50 && rows.filter((r) => r.target === `token/${id}`).length < 2; page++) {
      const answer: any = (await stack.api('GET', `/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(answer.items.length).toBeGreaterThan(0);
      rows.push(...answer.items);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    const mine = rows.filter((r) => r.target === `token/${id}`);
    expect(mine).toEqual([
      { at: expect.any(String), principal: 'admin', action: 'token.revoked', target: `token/${id}`, requestId: expect.any(String) },
      { at: expect.any(String), principal: 'admin', action: 'token.created', target: `token/${id}`, requestId: expect.any(String) },
    ]);
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(rows.length);
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

describe('console sessions (without a browser)', () => {
  async function signIn(token: string) {
    const response = await fetch(`${stack.baseUrl}/console/sign-in`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ token, next: '/console' }),
      headers: { origin: stack.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
    });
    return response;
  }

  it('sets an HttpOnly, SameSite=Strict cookie for /console only, and refuses a bad token the same way for every reason', async () => {
    const ok = await signIn(tokenOf.Reader!);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/console');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^bm_console=bm_/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/console');
    expect(cookie).not.toContain('Secure');
    const refusals = await Promise.all([`bm_${'Q'.repeat(43)}`, expired, revoked, 'nonsense'].map(async (t) => {
      const response = await signIn(t);
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      return (await response.text()).match(/id="sign-in-error">([^<]*)</)?.[1];
    }));
    expect(new Set(refusals).size).toBe(1);
  });

  it('keeps a scoped token to its vaults in the console too', async () => {
    const scoped = (await newToken({ name: 'console-scoped', role: 'Operator', vaults: [vaultId] })).token;
    const cookie = (await signIn(scoped)).headers.get('set-cookie')!.split(';')[0]!;
    const page = (path: string) => fetch(`${stack.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
    const list = await (await page('/console')).text();
    expect(list).toContain(`data-vault-id="${vaultId}"`);
    expect(list).not.toContain(`data-vault-id="${otherVault}"`);
    expect((await page(`/console/vaults/${vaultId}`)).status).toBe(200);
    expect((await page(`/console/vaults/${otherVault}`)).status).toBe(403);
    expect((await page(`/console/vaults/${otherVault}/settings`)).status).toBe(403);
    expect((await fetch(`${stack.baseUrl}/console/vaults/${vaultId}`, { redirect: 'manual' })).headers.get('location')).toBe(`/console/sign-in?next=${encodeURIComponent(`/console/vaults/${vaultId}`)}`);
  });
});

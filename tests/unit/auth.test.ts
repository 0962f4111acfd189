// The pure parts of access control: token format and hashing, header parsing, rule matching and
// the role/scope decision (§7).
import { describe, expect, it } from 'vitest';
import { decideAccess, pathParams, ruleFor, ruleKey } from '../../api/auth/access';
import { bearerSecret } from '../../api/auth/authenticate';
import { ACCESS_RULES } from '../../api/auth/rules';
import { hashToken, isTokenFormat, newTokenSecret, roleAtLeast, sameSecret, TOKEN_BYTES } from '../../domain/tokens';
import { ROLES, type Role } from '../../domain/types';

describe('token secrets', () => {
  it('are bm_ plus 32 random bytes in base64url', () => {
    const secret = newTokenSecret();
    expect(secret).toMatch(/^bm_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(3), 'base64url')).toHaveLength(TOKEN_BYTES);
    expect(isTokenFormat(secret)).toBe(true);
    expect(newTokenSecret()).not.toBe(secret);
  });

  it('use the injected randomness, all of it', () => {
    const secret = newTokenSecret((size) => Buffer.alloc(size, 0xff));
    expect(secret).toBe(`bm_${'_'.repeat(42)}8`);
  });

  it.each([
    ['', false], ['bm_', false], ['bm_short', false], [`xx_${'a'.repeat(43)}`, false], [`bm_${'a'.repeat(42)}`, false],
    [`bm_${'a'.repeat(43)}`, true], [`bm_${'a'.repeat(43)}=`, false], [`bm_${'a'.repeat(201)}`, false], [`bm_${'a'.repeat(42)}/`, false],
  ])('format of %j is %s', (text, ok) => expect(isTokenFormat(text)).toBe(ok));

  it('are stored as their SHA-256 in hex, never themselves', () => {
    expect(hashToken('bm_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('bm_abc')).not.toBe(hashToken('bm_abd'));
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compare in constant time whatever their lengths', () => {
    expect(sameSecret('bm_same', 'bm_same')).toBe(true);
    expect(sameSecret('bm_same', 'bm_Same')).toBe(false);
    expect(sameSecret('bm_same', 'bm_same_but_longer')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
  });
});

describe('the Authorization header', () => {
  it.each([
    [undefined, { refused: 'missing' }], ['', { refused: 'missing' }], ['  ', { refused: 'missing' }],
    ['Bearer bm_x', { secret: 'bm_x' }], ['bearer bm_x', { secret: 'bm_x' }], ['BEARER   bm_x ', { secret: 'bm_x' }],
    ['Basic dXNlcjpwYXNz', { refused: 'malformed' }], ['Bearer', { refused: 'malformed' }], ['Bearer ', { refused: 'malformed' }],
    ['Bearer a b', { refused: 'malformed' }], ['Bearer bm_"x"', { secret: 'bm_"x"' }], ['Bearer bm_é', { refused: 'malformed' }], ['bm_x', { refused: 'malformed' }],
    [`Bearer ${'a'.repeat(2000)}`, { refused: 'malformed' }], ['Bearer abc==', { secret: 'abc==' }],
  ])('%j → %j', (header, expected) => expect(bearerSecret(header)).toEqual(expected));
});

describe('rule matching', () => {
  it('spells Hono routes as the table does', () => {
    expect(ruleKey('get', '/v1/vaults/:vaultId/alerts/:alertId')).toBe('GET /v1/vaults/{vaultId}/alerts/{alertId}');
    expect(ruleKey('DELETE', '/v1/tokens/:tokenId')).toBe('DELETE /v1/tokens/{tokenId}');
    expect(ruleKey('GET', '/v1/items/:id{[0-9]+}')).toBe('GET /v1/items/{id}');
  });

  it('finds only own keys of the table', () => {
    expect(ruleFor('GET /v1/whoami')).toEqual({ role: 'Reader' });
    expect(ruleFor('GET /v1/nothing')).toBeUndefined();
    expect(ruleFor('constructor')).toBeUndefined();
    expect(ruleFor('__proto__')).toBeUndefined();
  });

  it('reads path params, decoded, from the concrete path', () => {
    expect(pathParams('/v1/vaults/:vaultId/jobs/:jobId', '/v1/vaults/prod%2Dvault/jobs/j1')).toEqual({ vaultId: 'prod-vault', jobId: 'j1' });
    expect(pathParams('/v1/vaults/:vaultId', '/v1/vaults/%E0%A4%A')).toEqual({ vaultId: '%E0%A4%A' });
    expect(pathParams('/v1/whoami', '/v1/whoami')).toEqual({});
  });

  it('names a least role for every rule, and only the token routes and the global audit are unscoped', () => {
    for (const [key, rule] of Object.entries(ACCESS_RULES)) {
      expect(ROLES, key).toContain(rule.role);
      expect(Boolean(rule.unscoped), key).toBe(key.startsWith('POST /v1/tokens') || key.includes(' /v1/tokens') || key === 'GET /v1/audit');
    }
  });
});

describe('decideAccess', () => {
  const all = (role: Role) => ({ role, vaults: null });
  const allowed = (role: Role, key: string, vaultId?: string, vaults: string[] | null = null) =>
    decideAccess({ role, vaults }, key, ruleFor(key), vaultId).allowed;

  it('orders roles Reader < Service < Operator < Admin', () => {
    expect(ROLES.map((r) => ROLES.filter((least) => roleAtLeast(r, least)))).toEqual([
      ['Reader'], ['Reader', 'Service'], ['Reader', 'Service', 'Operator'], ['Reader', 'Service', 'Operator', 'Admin'],
    ]);
  });

  // §7 right by right: the least role that holds it.
  it.each([
    ['GET /v1/vaults/{vaultId}/jobs', 'Reader'],
    ['GET /v1/vaults/{vaultId}/audit', 'Admin'],
    ['GET /v1/tokens', 'Admin'],
    ['POST /v1/vaults/{vaultId}/jobs', 'Service'],
    ['POST /v1/vaults/{vaultId}/jobs/{jobId}/cancel', 'Service'],
    ['POST /v1/vaults/{vaultId}/alerts/{alertId}/acknowledge', 'Operator'],
    ['POST /v1/vaults/{vaultId}/silences', 'Operator'],
    ['PUT /v1/vaults/{vaultId}', 'Admin'],
    ['PUT /v1/vaults/{vaultId}/notification-settings', 'Admin'],
    ['POST /v1/vaults/{vaultId}/webhooks', 'Admin'],
    ['PUT /v1/vaults/{vaultId}/items/{workloadType}/{entityName}/policy', 'Admin'],
  ] as const)('%s needs %s', (key, least) => {
    for (const role of ROLES) expect(allowed(role, key, 'v1'), `${role}`).toBe(roleAtLeast(role, least));
  });

  it('refuses a route without a rule to everyone, Admin included', () => {
    const decision = decideAccess(all('Admin'), 'GET /v1/secret-route', undefined, undefined);
    expect(decision).toEqual({ allowed: false, detail: expect.stringContaining('no access rule') });
  });

  it('keeps a scoped token inside its vaults and away from unscoped routes', () => {
    expect(allowed('Admin', 'GET /v1/vaults/{vaultId}', 'a', ['a', 'b'])).toBe(true);
    expect(allowed('Admin', 'GET /v1/vaults/{vaultId}', 'c', ['a', 'b'])).toBe(false);
    expect(allowed('Admin', 'PUT /v1/vaults/{vaultId}', 'c', ['a'])).toBe(false);
    expect(allowed('Admin', 'GET /v1/vaults', undefined, ['a'])).toBe(true);
    expect(allowed('Admin', 'GET /v1/audit', undefined, ['a'])).toBe(false);
    expect(allowed('Admin', 'POST /v1/tokens', undefined, ['a'])).toBe(false);
    expect(allowed('Admin', 'GET /v1/vaults/{vaultId}/audit', 'a', ['a'])).toBe(true);
    expect(decideAccess({ role: 'Admin', vaults: ['a'] }, 'GET /v1/vaults/{vaultId}', ruleFor('GET /v1/vaults/{vaultId}'), 'c'))
      .toEqual({ allowed: false, detail: 'This token may not access vault c.' });
  });
});

describe('the console access table', () => {
  it('names, for every console form post, an API route of ACCESS_RULES (a new form without one fails here)', async () => {
    const [{ createApp }, { CONSOLE_ACTIONS }, { default: pino }] = await Promise.all([
      import('../../api/app'), import('../../api/console/access'), import('pino'),
    ]);
    const app = createApp({ db: {} as never, temporal: {} as never, taskQueue: 'x', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }) });
    const posts = [...new Set(app.routes
      .filter((route) => route.method === 'POST' && route.path.startsWith('/console/') && !/\/sign-(in|out)$/.test(route.path))
      .map((route) => ruleKey(route.method, route.path)))];
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts.filter((key) => !Object.hasOwn(CONSOLE_ACTIONS, key))).toEqual([]);
    for (const [form, apiRoute] of Object.entries(CONSOLE_ACTIONS)) expect(ACCESS_RULES, form).toHaveProperty([apiRoute]);
  });

  it('inserts the CSRF field into every POST form that lacks one', async () => {
    const { withCsrfFields } = await import('../../api/console/session');
    const html = '<form method="get" action="/a"></form><form class="x" method="post" action="/b"><input name="y"/></form>'
      + '<form method="post" action="/c"><input type="hidden" name="_csrf" value="t"/></form>';
    expect(withCsrfFields(html, 'tok')).toBe('<form method="get" action="/a"></form><form class="x" method="post" action="/b"><input type="hidden" name="_csrf" value="tok"/><input name="y"/></form>'
      + '<form method="post" action="/c"><input type="hidden" name="_csrf" value="t"/></form>');
  });

  it('redirects after sign-in only to console pages', async () => {
    const { safeNext } = await import('../../api/console/sign-in');
    expect(safeNext('/console/vaults/a?x=1')).toBe('/console/vaults/a?x=1');
    for (const bad of ['//evil.example', 'https://evil.example/console', '/consolex', '/console/../v1/tokens', '/console\\@evil', undefined, 42]) {
      expect(safeNext(bad), String(bad)).toBe('/console');
    }
  });
});

describe('the bootstrap token', () => {
  it('is that exact string, whatever characters the operator chose', async () => {
    const [{ createApp }, { default: pino }] = await Promise.all([import('../../api/app'), import('pino')]);
    // No database: neither answer below may need one.
    const app = createApp({ db: {} as never, temporal: {} as never, taskQueue: 'x', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }), adminToken: 'Adm!n:p@ss#1/~' });
    const whoami = await app.request('/v1/whoami', { headers: { authorization: 'Bearer Adm!n:p@ss#1/~' } });
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toEqual({ principal: 'admin', role: 'Admin', vaults: null });
    for (const wrong of ['Bearer Adm!n:p@ss#1/', 'Bearer adm!n:p@ss#1/~', 'Bearer Adm!n:p@ss#1/~~', 'Basic Adm!n:p@ss#1/~']) {
      const refused = await app.request('/v1/whoami', { headers: { authorization: wrong } });
      expect(refused.status, wrong).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });
});

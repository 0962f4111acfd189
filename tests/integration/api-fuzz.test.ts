import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, startStack, type Stack } from '../support/stack';

// Property-based bad input: whatever arrives, the API answers a 4xx problem (or a success for
// input that happens to be valid), never a 5xx, and a refused request writes nothing.
let stack: Stack;
let vaultId: string;
beforeAll(async () => {
  stack = await startStack({ readYourWritesMs: 0 });
  vaultId = await createVault(stack);
});
afterAll(() => stack?.close());

const nasty = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '\r\n', 'vm\r\nBcc: x@evil.com', '<script>alert(1)</script>', '../../etc/passwd', '%00', '\u202e', 'a'.repeat(5_000)),
);
const anyJson = fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()));
const almostJob = fc.record({
  jobId: fc.option(nasty, { nil: undefined }),
  workloadType: fc.oneof(fc.constantFrom('AzureVM', 'DPM', 'MABS', 'azurevm', ''), nasty),
  operation: fc.oneof(fc.constantFrom('Backup', 'Restore', 'backup'), nasty),
  trigger: fc.oneof(fc.constantFrom('User', 'Scheduled', 'Cron'), nasty),
  entityName: fc.oneof(nasty, fc.integer(), fc.constant(null)),
  startedAt: fc.option(fc.oneof(nasty, fc.constantFrom('2026-13-01T00:00:00Z', 'yesterday')), { nil: undefined }),
}, { requiredKeys: [] });

async function expectRefusedOrValid(response: { status: number; contentType: string; body: unknown }) {
  expect(response.status).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: response.status, detail: expect.any(String) });
  }
}

const jobCount = async () => (await stack.sql`select count(*)::int as n from jobs where vault_id = ${vaultId}`)[0]!.n as number;
// Vaults the PUT fuzz happened to create: a later property must not expect them to be absent.
const vaultsMade = new Set<string>();
const run = (property: fc.IAsyncProperty<any>) => fc.assert(property, { numRuns: 300 });

describe('API fuzzing', () => {
  it('job starts: malformed bodies are 4xx problems and start nothing', async () => {
    const before = await jobCount();
    let accepted = 0;
    await run(fc.asyncProperty(fc.oneof(almostJob, anyJson), async (body) => {
      const response = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, JSON.stringify(body));
      await expectRefusedOrValid(response);
      if (response.status < 300) accepted++;
    }));
    // Every accepted start is one workflow and, eventually, one row; refused ones add nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await jobCount()).toBeLessThanOrEqual(before + accepted);
  });

  it('raw bodies that are not JSON are 400 problems', async () => {
    await run(fc.asyncProperty(fc.string({ unit: 'binary' }), async (text) => {
      fc.pre(!/^\s*[[{"\d-tfn]/.test(text));
      const response = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, text);
      expect(response.status).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
    }));
  });

  it('outcomes, settings and vaults: never a 5xx', async () => {
    const outcome = fc.record({ status: fc.oneof(fc.constantFrom('Completed', 'Cancelled', 'Failed'), nasty), errorCode: fc.option(nasty), errorMessage: fc.option(nasty), warnings: fc.option(fc.array(nasty)) }, { requiredKeys: [] });
    const settings = fc.record({ enabled: fc.oneof(fc.boolean(), nasty), recipients: fc.oneof(fc.array(nasty), nasty, fc.array(fc.emailAddress())), frequency: fc.oneof(fc.constantFrom('PerAlert', 'HourlyDigest'), nasty) }, { requiredKeys: [] });
    const vault = fc.record({ name: fc.option(nasty), subscriptionId: fc.option(nasty), contacts: fc.oneof(anyJson, fc.record({ owners: fc.array(nasty) })) }, { requiredKeys: [] });
    await run(fc.asyncProperty(fc.tuple(outcome, settings, vault, nasty), async ([o, s, v, id]) => {
      const segment = encodeURIComponent(id).slice(0, 200) || 'x';
      await expectRefusedOrValid(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${segment}/complete`, JSON.stringify(o)));
      await expectRefusedOrValid(await stack.api('PUT', `/v1/vaults/${vaultId}-fuzz/notification-settings`, JSON.stringify(s)));
      const created = await stack.api('PUT', `/v1/vaults/${segment}`, JSON.stringify(v));
      await expectRefusedOrValid(created);
      if (created.status < 300) vaultsMade.add((created.body as { id: string }).id);
    }));
  });

  it('query strings: never a 5xx', async () => {
    const param = fc.tuple(fc.constantFrom('status', 'operation', 'workloadType', 'severity', 'scenario', 'from', 'to', 'limit', 'cursor', 'x'), nasty);
    await run(fc.asyncProperty(fc.array(param, { maxLength: 4 }), fc.boolean(), async (params, alerts) => {
      const query = new URLSearchParams(params).toString();
      await expectRefusedOrValid(await stack.api('GET', `/v1/vaults/${vaultId}/${alerts ? 'alerts' : 'jobs'}?${query}`));
    }));
  });

  it('garbage Authorization headers: always a 401 problem, never a 5xx', async () => {
    const header = fc.oneof(
      nasty,
      nasty.map((text) => `Bearer ${text}`),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/).map((text) => `Bearer bm_${text}`),
      fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer bm_' + 'A'.repeat(43), `Bearer ${'bm_'.repeat(400)}`, 'Bearer\tbm_x', 'Bearer bm_x, Bearer bm_y'),
    );
    let sent = 0;
    await run(fc.asyncProperty(header, fc.constantFrom('/v1/whoami', `/v1/vaults/${vaultId}/jobs`, '/v1/tokens', '/v1/nothing'), async (authorization, path) => {
      let response;
      try {
        response = await stack.api('GET', path, undefined, { authorization: authorization || ' ' });
      } catch (error) {
        // fetch itself refuses headers with CR, LF or non-Latin-1 characters: nothing was sent.
        fc.pre(!(error instanceof TypeError));
        throw error;
      }
      sent++;
      expect(response.status).toBe(401);
      expect(response.contentType).toContain('application/problem+json');
    }));
    expect(sent).toBeGreaterThan(100);
  });

  it('refuses oversized bodies with 413', async () => {
    const response = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, JSON.stringify({ entityName: 'x'.repeat(200_000) }));
    expect(response.status).toBe(413);
    expect(response.contentType).toContain('application/problem+json');
  });
});

// Dates across the whole JS range (±275760 years), the edges of the startedAt window and of the
// accepted range, in the spellings a client might send.
const DAY = 86_400_000;
const instant = fc.oneof(
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
  fc.integer({ min: -31 * DAY, max: 31 * DAY }).map((offset) => new Date(Date.now() + offset)),
  fc.integer({ min: -10 * 60_000, max: 10 * 60_000 }).map((offset) => new Date(Date.now() + offset)),
  fc.constantFrom(new Date(0), new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), new Date(Date.UTC(10000, 0, 1))),
);
const spelled = fc.tuple(instant, fc.constantFrom('iso', 'offset', 'no-ms', 'raw')).map(([date, how]) => {
  const iso = date.toISOString();
  if (how === 'offset') return iso.replace('Z', '+02:00');
  if (how === 'no-ms') return iso.replace(/\.\d{3}Z$/, 'Z');
  return how === 'raw' ? String(date.getTime()) : iso;
});
/** Retries a request whose pooled socket an earlier 413 closed (it never reached the server). */
async function call(method: string, path: string, body?: unknown) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await stack.api(method, path, body);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('fetch failed')) throw error;
    }
  }
}
const claimCount = async () => (await stack.sql`select count(*)::int as n from job_outcomes where vault_id = ${vaultId}`)[0]!.n as number;

describe('API fuzzing: job bounds', () => {
  // The 413 above closes its connection unread; the next request on that pooled socket would fail.
  beforeAll(async () => {
    await Promise.allSettled(Array.from({ length: 16 }, () => stack.api('GET', '/healthz')));
  });

  it('startedAt anywhere in time: 201 inside the window, else a 400 that writes nothing and starts nothing', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(spelled, async (startedAt) => {
      const jobId = `fuzz-start-${n++}`;
      const response = await call('POST', `/v1/vaults/${vaultId}/jobs`, { jobId, workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm', startedAt });
      await expectRefusedOrValid(response);
      expect([201, 400]).toContain(response.status);
      const rows = await stack.sql`select started_at from jobs where vault_id = ${vaultId} and id = ${jobId}`;
      if (response.status === 400) {
        expect(rows).toHaveLength(0);
        await expect(stack.client.workflow.getHandle(`backup-job/${vaultId}/${jobId}`).describe()).rejects.toThrow();
        return;
      }
      const age = Date.now() - Date.parse(response.body.startedAt);
      expect(age).toBeLessThanOrEqual(30 * DAY + 60_000);
      expect(age).toBeGreaterThanOrEqual(-5 * 60_000 - 60_000);
      expect(rows).toHaveLength(1);
    }), { numRuns: 120 });
  });

  it('cursors of any date and id, on every list: a page or a 400, never a 5xx', async () => {
    const id = fc.oneof(fc.uuid(), nasty, fc.constantFrom('job-42', 'a\u0000b', ''));
    const raw = fc.oneof(
      fc.tuple(fc.oneof(instant.map((d) => d.toISOString()), nasty), id).map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      nasty,
    );
    const lists = [...['alerts', 'jobs', 'deliveries', 'items', 'audit'].map((name) => `/v1/vaults/${vaultId}/${name}`), '/v1/vaults', '/v1/audit'];
    // Well-formed cursors carrying an id of another list's kind (a job id where a UUID belongs…).
    for (const path of lists) {
      for (const key of ['job-42', '00000000-0000-4000-8000-000000000000', 'a b', 'x'.repeat(200)]) {
        const cursor = Buffer.from(JSON.stringify(['2025-01-01T00:00:00.000Z', key])).toString('base64url');
        const response = await call('GET', `${path}?cursor=${cursor}`);
        await expectRefusedOrValid(response);
        expect([200, 400], `${path} ${key}`).toContain(response.status);
      }
    }
    const list = fc.constantFrom(...lists);
    await run(fc.asyncProperty(raw, list, async (cursor, path) => {
      const response = await call('GET', `${path}?cursor=${encodeURIComponent(cursor)}`);
      await expectRefusedOrValid(response);
      expect([200, 400]).toContain(response.status);
    }));
  });

  it('ids of any text in paths name nothing that exists: a 404 problem, never a 400 or a 5xx', async () => {
    // '.' and '..' are path segments a client normalises away; '' names the list instead.
    const id = fc.oneof(nasty, fc.constantFrom('a\u0000b', '\u0000', 'x'.repeat(300), 'not-a-uuid', '00000000-0000-4000-8000-000000000000'))
      .filter((text) => !['', '.', '..'].includes(text));
    const routes: [string, (id: string) => string, unknown?][] = [
      ['GET', (x) => `/v1/vaults/${x}`],
      ['GET', (x) => `/v1/vaults/${x}/alerts/summary`],
      ['GET', (x) => `/v1/vaults/${vaultId}/jobs/${x}`],
      ['POST', (x) => `/v1/vaults/${vaultId}/jobs/${x}/complete`, { status: 'Completed' }],
      ['POST', (x) => `/v1/vaults/${vaultId}/jobs/${x}/cancel`],
      ['GET', (x) => `/v1/vaults/${vaultId}/alerts/${x}`],
      ['GET', (x) => `/v1/vaults/${vaultId}/alerts/${x}/history`],
      ['POST', (x) => `/v1/vaults/${vaultId}/alerts/${x}/acknowledge`],
      ['POST', (x) => `/v1/vaults/${vaultId}/alerts/${x}/inactivate`],
      ['GET', (x) => `/v1/vaults/${vaultId}/webhooks/${x}`],
      ['DELETE', (x) => `/v1/vaults/${vaultId}/webhooks/${x}`],
      ['POST', (x) => `/v1/vaults/${vaultId}/webhooks/${x}/test`],
      ['DELETE', (x) => `/v1/vaults/${vaultId}/silences/${x}`],
      ['GET', (x) => `/v1/vaults/${vaultId}/items/${x}/vm-01`],
      ['GET', (x) => `/v1/vaults/${vaultId}/items/AzureVM/${x}`],
      ['PUT', (x) => `/v1/vaults/${vaultId}/items/AzureVM/${x}/policy`, { expectedEvery: '1h', grace: '1h' }],
      ['DELETE', (x) => `/v1/vaults/${vaultId}/items/${x}/vm-01/policy`],
      ['DELETE', (x) => `/v1/tokens/${x}`],
    ];
    await run(fc.asyncProperty(id, fc.constantFrom(...routes), async (text, [method, path, body]) => {
      fc.pre(!vaultsMade.has(text));
      const response = await call(method, path(encodeURIComponent(text)), body);
      await expectRefusedOrValid(response);
      expect(response.status, `${method} ${path(JSON.stringify(text))}`).toBe(404);
    }));
  });

  it('from/to and limits of any value: a page or a 400', async () => {
    await run(fc.asyncProperty(fc.option(spelled), fc.option(spelled), fc.option(fc.oneof(fc.integer(), nasty)), async (from, to, limit) => {
      const query = new URLSearchParams(Object.entries({ from, to, limit }).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]));
      const response = await call('GET', `/v1/vaults/${vaultId}/jobs?${query}`);
      await expectRefusedOrValid(response);
      expect([200, 400]).toContain(response.status);
    }));
  });

  it('outcomes of any shape for one job: at most one 202, a refused outcome claims nothing', async () => {
    const { body } = await call('POST', `/v1/vaults/${vaultId}/jobs`, { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm' });
    const text = fc.oneof(nasty, fc.constantFrom('\u0000', 'a\u0000b', '\ud800'));
    const outcome = fc.record({
      status: fc.oneof(fc.constantFrom('Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled'), nasty),
      errorCode: fc.option(text, { nil: undefined }), errorMessage: fc.option(text, { nil: undefined }), warnings: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
    }, { requiredKeys: [] });
    let accepted = 0;
    await run(fc.asyncProperty(outcome, async (o) => {
      const before = await claimCount();
      const response = await call('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, JSON.stringify(o));
      await expectRefusedOrValid(response);
      expect([202, 400, 409]).toContain(response.status);
      if (response.status === 202) accepted++;
      if (response.status !== 202) expect(await claimCount()).toBe(before);
    }));
    expect(accepted).toBeLessThanOrEqual(1);
  });
});

describe('API fuzzing: the Authorization header', () => {
  beforeAll(async () => {
    await Promise.allSettled(Array.from({ length: 16 }, () => stack.api('GET', '/healthz')));
  });

  it('any Authorization value on job routes: never a 5xx, and a refused start writes nothing', async () => {
    // What fetch can send: Latin-1 without CR/LF/NUL, plus schemes and token-like shapes.
    const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 300 });
    const header = fc.oneof(latin1, latin1.map((t) => `Bearer ${t}`), fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer bm_test', 'Bearer bm_' + 'x'.repeat(2_000)));
    let n = 0;
    await run(fc.asyncProperty(header, fc.boolean(), async (authorization, start) => {
      // fetch itself refuses values with surrounding whitespace; the admin token would succeed.
      fc.pre(authorization.trim() === authorization && authorization !== '' && authorization !== `Bearer ${'bm_test_admin_0123456789abcdef0123456789abcdef'}`);
      const jobId = `fuzz-auth-${n++}`;
      const send = () => start
        ? stack.api('POST', `/v1/vaults/${vaultId}/jobs`, { jobId, workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm' }, { authorization })
        : stack.api('GET', `/v1/vaults/${vaultId}/jobs?limit=1`, undefined, { authorization });
      // A value the HTTP client itself refuses to send never reaches the API.
      const response = await send().catch((error) => {
        if (String(error?.cause?.code) === 'UND_ERR_INVALID_ARG') return null;
        throw error;
      });
      if (!response) return;
      await expectRefusedOrValid(response);
      if (start && response.status >= 400) {
        expect(await stack.sql`select 1 from jobs where vault_id = ${vaultId} and id = ${jobId}`).toHaveLength(0);
      }
    }));
  });
});

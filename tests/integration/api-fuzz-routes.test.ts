// Every route of the OpenAPI document, fuzzed the same way: path ids, every declared query
// parameter, bodies of any shape built from the declared body fields, the x-request-id header and
// the Authorization header. Whatever arrives: never a 5xx; a 4xx is a problem+json whose status is
// the HTTP status; a refused request leaves no audit row (every state change writes one, §7); a
// garbage token is a 401 on every route. New routes are covered as soon as they are documented.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, startStack, type Stack } from '../support/stack';

let stack: Stack;
let vaultId: string;
let operations: Operation[];
beforeAll(async () => {
  stack = await startStack({ readYourWritesMs: 0 });
  vaultId = await createVault(stack);
  operations = operationsOf((await stack.api('GET', '/openapi.json', undefined, { authorization: '' })).body);
});
afterAll(() => stack?.close());

interface Operation { method: string; path: string; query: string[]; body: string[] | null }

function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  return Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/')).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(), path,
      query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name as string),
      body: op.requestBody ? Object.keys(op.requestBody.content?.['application/json']?.schema?.properties ?? {}) : null,
    })));
}

const nasty = fc.oneof(
  fc.string(), fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '\u0000', '%00', 'null', '-1', '0', '1e309', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '"', '\u202e', 'a'.repeat(3_000)),
);
const value = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 3 }), fc.dictionary(nasty, nasty, { maxKeys: 3 }));
// What an HTTP client can put in a header at all (fetch refuses the rest before sending).
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '');
const segment = (text: string) => encodeURIComponent(text).slice(0, 300) || 'x';

function pathOf(op: Operation, id: string, ownVault: boolean) {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'vaultId' && ownVault ? vaultId : name === 'workloadType' ? 'AzureVM' : segment(id)));
}

const auditRows = async () =>
  (await stack.sql`select count(*)::int as n from audit where vault_id = ${vaultId} or (vault_id is null and target like ${'%fuzz%'})`)[0]!.n as number;

describe('API fuzzing over every documented route', () => {
  it('covers every /v1 route of the document', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it('any path id, query, body and x-request-id: never a 5xx, problems well formed, a refusal writes no audit row', async () => {
    const request = fc.record({
      index: fc.nat(), id: nasty, ownVault: fc.boolean(), requestId: fc.option(nasty, { nil: undefined }),
      query: fc.array(fc.tuple(fc.nat(), nasty), { maxLength: 4 }),
      body: fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.array(fc.tuple(fc.nat(), value), { maxLength: 6 })),
    });
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const op = operations[r.index % operations.length]!;
      const params = new URLSearchParams(op.query.length ? r.query.map(([i, v]) => [op.query[i % op.query.length]!, v]) : []);
      const url = `${pathOf(op, r.id, r.ownVault)}${params.size ? `?${params}` : ''}`;
      const body = op.body === null || r.body === undefined ? undefined
        : Array.isArray(r.body) && r.body.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'number')
          ? JSON.stringify(Object.fromEntries((r.body as [number, unknown][]).map(([i, v]) => [op.body![i % Math.max(op.body!.length, 1)] ?? 'x', v])))
          : JSON.stringify(r.body);
      const before = await auditRows();
      const answer = await stack.api(op.method, url, body, r.requestId === undefined ? {} : { 'x-request-id': printable(r.requestId).slice(0, 500) });
      expect(answer.status, `${op.method} ${url}`).toBeLessThan(500);
      if (answer.status >= 400) {
        expect(answer.contentType).toContain('application/problem+json');
        expect(answer.body).toMatchObject({ status: answer.status, title: expect.any(String), detail: expect.any(String) });
        expect(await auditRows(), `${op.method} ${url} refused but audited`).toBe(before);
      }
    }), { numRuns: 600 });
  });

  it('a garbage bearer token on any route: a 401 problem, never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(), nasty, async (index, token) => {
      const op = operations[index % operations.length]!;
      const answer = await stack.api(op.method, pathOf(op, 'x', true), op.body ? '{}' : undefined, { authorization: `Bearer ${printable(token)}x` });
      expect(answer.status, `${op.method} ${op.path}`).toBe(401);
      expect(answer.contentType).toContain('application/problem+json');
    }), { numRuns: 150 });
  });
});

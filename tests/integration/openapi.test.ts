// The OpenAPI document against the app itself: every route is documented, every example is
// accepted by the schema it illustrates, and /docs works without any CDN.
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { z } from '@hono/zod-openapi';
import { createApp } from '../../api/app';
import type { Database } from '../../db/client';

// No route handler runs here: only the document, the docs page and its assets are requested.
const app = createApp({
  db: {} as Database, temporal: {} as Client, taskQueue: 'unused', jobTimeoutMs: 1, digestIntervalMs: 1,
  log: pino({ level: 'silent' }),
});
const doc = await (await app.request('/openapi.json')).json();

const UNDOCUMENTED = [/^\/docs(\/|$)/, /^\/openapi\.json$/, /^\/metrics$/, /^\/console(\/|$)/];

type Json = Record<string, any>;
const resolve = (schema: Json): Json =>
  schema?.$ref ? doc.components.schemas[String(schema.$ref).replace('#/components/schemas/', '')] : schema;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with every component schema carrying an example', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, schema] of Object.entries<Json>(doc.components.schemas)) {
      expect(schema.example, `component ${name}`).toBeDefined();
    }
  });

  it('documents every route the app serves, and only those', () => {
    const served = new Set(
      app.routes
        .filter((route) => route.method !== 'ALL' && !UNDOCUMENTED.some((pattern) => pattern.test(route.path)))
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect([...served].sort()).toEqual([...new Set(documented)].sort());
    expect(served.size).toBeGreaterThanOrEqual(14);
  });

  // The zod schemas of each route come from the app's registry: a new route is checked without
  // touching this test.
  const routes = app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route] : []));

  describe.each(routes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))('%s', (_, route) => {
    const operation: Json = doc.paths[route.path][route.method];

    it('has parameter examples that its params and query schemas accept', () => {
      for (const where of ['path', 'query'] as const) {
        const schema = (where === 'path' ? route.request?.params : route.request?.query) as z.ZodType | undefined;
        if (!schema) continue;
        const parameters = (operation.parameters ?? []).filter((p: Json) => p.in === where);
        const values: Json = {};
        for (const parameter of parameters) {
          const example = parameter.example ?? parameter.schema?.example;
          expect(example, `${where} parameter ${parameter.name}`).toBeDefined();
          values[parameter.name] = String(example);
        }
        expect(schema.safeParse(values).error).toBeUndefined();
      }
    });

    it('has request and response examples that their schemas accept', () => {
      const bodies: Array<[string, Json, z.ZodType]> = [];
      for (const [type, media] of Object.entries((route.request?.body?.content ?? {}) as Record<string, Json>)) {
        bodies.push([`request ${type}`, operation.requestBody.content[type], media.schema]);
      }
      for (const [status, response] of Object.entries<Json>(route.responses)) {
        for (const [type, media] of Object.entries<Json>(response.content ?? {})) {
          bodies.push([`${status} ${type}`, operation.responses[status].content[type], media.schema]);
        }
      }
      expect(bodies.length).toBeGreaterThan(0);
      for (const [where, documented, schema] of bodies) {
        const examples = [documented.example, resolve(documented.schema)?.example].filter((e) => e !== undefined);
        expect(examples.length, `${where} has an example`).toBeGreaterThan(0);
        for (const example of examples) {
          const parsed = schema.safeParse(example);
          expect(parsed.error, `${where}: ${JSON.stringify(example)}`).toBeUndefined();
          // Objects drop unknown keys silently: a stale or misspelt key shows up as a difference.
          expect(JSON.parse(JSON.stringify(parsed.data)), where).toEqual(example);
        }
      }
    });
  });
});

describe('/docs', () => {
  it('serves an HTML page that loads only local assets', async () => {
    const response = await app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/assets/init.js']));
    for (const asset of assets) {
      expect(asset.startsWith('/docs/assets/'), asset).toBe(true);
      const served = await app.request(asset);
      expect(served.status, asset).toBe(200);
      expect((await served.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it('points Swagger UI at /openapi.json with the online validator off', async () => {
    const script = await (await app.request('/docs/assets/init.js')).text();
    expect(script).toContain("url: '/openapi.json'");
    expect(script).toContain('validatorUrl: null');
    expect(script).not.toMatch(/https?:\/\//);
  });

  it('serves nothing but its listed assets', async () => {
    for (const path of ['/docs/assets/package.json', '/docs/assets/..%2Fpackage.json', '/docs/assets/index.html']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

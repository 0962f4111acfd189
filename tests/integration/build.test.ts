// `npm run build` compiles what production runs: the worker and the API as plain JavaScript that
// node loads without a TypeScript loader, and the worker's V8 limits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServices, workerNodeFlags } from '../../scripts/lib/build-services';

const dir = mkdtempSync(join(tmpdir(), 'bm-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run build', () => {
  it('compiles the worker and the API to modules node parses as they are', async () => {
    const built = await buildServices(dir);
    for (const file of [built.worker, built.api]) {
      expect(() => execFileSync(process.execPath, ['--check', file])).not.toThrow();
    }
    // Our own code is inside; the dependencies are not (they load from node_modules).
    const api = execFileSync('grep', ['-c', 'createApp', built.api]).toString();
    expect(Number(api)).toBeGreaterThan(0);
    expect(() => execFileSync('grep', ['-q', 'function createWorker(', built.worker])).not.toThrow();
    expect(() => execFileSync('grep', ['-q', 'class Worker ', built.worker])).toThrow();
  }, 60_000);

  it('caps the worker heap at 128 MB unless WORKER_HEAP_MB says otherwise', () => {
    expect(workerNodeFlags({})).toEqual(['--max-old-space-size=128', '--max-semi-space-size=4']);
    expect(workerNodeFlags({ WORKER_HEAP_MB: '512' })[0]).toBe('--max-old-space-size=512');
    expect(workerNodeFlags({ WORKER_HEAP_MB: 'lots' })[0]).toBe('--max-old-space-size=128');
  });
});

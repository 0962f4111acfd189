// Compiles the worker and the API to plain JavaScript (dist/worker.mjs, dist/api.mjs) with esbuild,
// so production runs `node` without a TypeScript loader: tsx's module hooks run in a loader thread
// of their own, about 65 MB of the worker's resident memory (docs/benchmarks.md).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The worker's V8 limits: a 128 MB old space (WORKER_HEAP_MB raises it) and 4 MB semi-spaces. Its
 * live heap is small (workflow state lives in the workflow thread and Postgres); without a cap V8
 * lets garbage grow to 500 MB before collecting. Measured: RSS peak 395 → 244 MB, the same jobs/s,
 * a 10,000-alert digest as fast.
 */
export function workerNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return [`--max-old-space-size=${Number(env.WORKER_HEAP_MB) || 128}`, '--max-semi-space-size=4'];
}

/**
 * node's arguments for an entry point: a compiled `.mjs` runs as it is, TypeScript under
 * `--import tsx` (one process, rather than the tsx CLI: signals reach the program itself).
 */
export function nodeArgs(script: string, nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, ...(script.endsWith('.mjs') ? [] : ['--import', 'tsx']), script];
}

export async function buildServices(outDir = join(ROOT, 'dist')): Promise<{ worker: string; api: string }> {
  mkdirSync(outDir, { recursive: true });
  const out = { worker: join(outDir, 'worker.mjs'), api: join(outDir, 'api.mjs') };
  await build({
    absWorkingDir: ROOT,
    entryPoints: { worker: 'worker/main.ts', api: 'api/main.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Dependencies stay in node_modules; only our own code is compiled into the two files.
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return out;
}

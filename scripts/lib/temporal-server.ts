// Finds or builds the pinned Temporal server and its SQL schema tool, the same way as the CLI
// (scripts/lib/temporal-cli.ts): `go install` from the module proxy into a cache outside the
// checkout, under a lock so that concurrent runs (tests, `npm run cluster`) wait for one build.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, isExecutable, tryLock } from './temporal-cli';

// The server module has no `replace` directive, so its commands build with plain `go install`.
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';
const PACKAGES = [
  { pkg: `${MODULE}/cmd/server`, built: 'server', name: 'temporal-server' },
  { pkg: `${MODULE}/cmd/tools/sql`, built: 'sql', name: 'temporal-sql-tool' },
] as const;
const LOCK_WAIT_MS = 30 * 60_000;

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** The module's source in the Go module cache: schema folders and sample configs. */
  moduleDir: string;
}

export function temporalServerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'backup-monitor', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

const log = (line: string) => process.stderr.write(`[temporal-server] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function goBinary(env: NodeJS.ProcessEnv): Promise<string> {
  const go = (await findOnPath('go', env)) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) throw new Error('Go is needed to build the Temporal server (https://go.dev/dl/); none on PATH or in /usr/local/go/bin.');
  return go;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 2] });
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Where `go install` left the module's source (downloaded by the build if it was not there). */
async function moduleDir(go: string, env: NodeJS.ProcessEnv): Promise<string> {
  const cache = await run(go, ['env', 'GOMODCACHE'], env);
  const dir = join(cache, 'go.temporal.io', `server@v${TEMPORAL_SERVER_VERSION}`);
  if (!existsSync(join(dir, 'schema'))) {
    await run(go, ['mod', 'download', `${MODULE}@v${TEMPORAL_SERVER_VERSION}`], { ...env, GOFLAGS: '-mod=mod' });
  }
  return dir;
}

/** Returns the server and SQL tool, building them on first use (several minutes of CPU). */
export async function ensureTemporalServer(env: NodeJS.ProcessEnv = process.env): Promise<TemporalServerBinaries> {
  const dir = temporalServerCacheDir(env);
  const paths = Object.fromEntries(PACKAGES.map((p) => [p.name, join(dir, p.name)]));
  const ready = async () => (await Promise.all(Object.values(paths).map(isExecutable))).every(Boolean);
  const go = await goBinary(env);
  const result = async () => ({ server: paths['temporal-server']!, sqlTool: paths['temporal-sql-tool']!, moduleDir: await moduleDir(go, env) });
  if (await ready()) return result();

  await mkdir(dir, { recursive: true });
  const lock = join(dir, '.build.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  while (!(await tryLock(lock))) {
    if (await ready()) return result();
    if (!announced) log(`another process is building the Temporal server into ${dir}; waiting for it…`);
    announced = true;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
    await sleep(2000);
  }
  try {
    if (!(await ready())) await build(go, dir, env);
    return await result();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function build(go: string, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  // Into a private folder, then renamed: readers never see a half-written binary.
  const staging = join(dir, `.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const targets = PACKAGES.map((p) => `${p.pkg}@v${TEMPORAL_SERVER_VERSION}`);
  log(`building Temporal server v${TEMPORAL_SERVER_VERSION} and its SQL tool (first run only, takes minutes)…`);
  log(`${go} install ${targets.join(' ')} → ${dir}`);
  const started = Date.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', ...targets], {
        env: { ...env, GOBIN: staging, GOFLAGS: env.GOFLAGS ?? '-buildvcs=false' },
        stdio: ['ignore', 2, 2],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install failed with exit code ${code}`))));
    });
    const built = new Set(await readdir(staging));
    for (const p of PACKAGES) {
      if (!built.has(p.built)) throw new Error(`go install did not produce ${p.built}`);
      await rename(join(staging, p.built), join(dir, p.name));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

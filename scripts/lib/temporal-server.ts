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
  { pkg: `${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`, built: 'server', name: 'temporal-server' },
  { pkg: `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`, built: 'sql', name: 'temporal-sql-tool' },
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
  const go = await goBinary(env);
  const paths = await ensureGoBinaries(go, temporalServerCacheDir(env), PACKAGES, env);
  return { server: paths['temporal-server']!, sqlTool: paths['temporal-sql-tool']!, moduleDir: await moduleDir(go, env) };
}

// The Temporal UI server: its Go module carries the built web assets (the CLI embeds the same).
export const TEMPORAL_UI_VERSION = '2.42.1';
const UI_PACKAGES = [{ pkg: `github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`, built: 'server', name: 'temporal-ui-server' }] as const;

export async function ensureTemporalUi(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  const dir = join(base, 'backup-monitor', `temporal-ui-${TEMPORAL_UI_VERSION}`);
  return (await ensureGoBinaries(await goBinary(env), dir, UI_PACKAGES, env))['temporal-ui-server']!;
}

interface GoPackage { pkg: string; built: string; name: string }

/** `go install`s the packages into `dir` once, under a lock; returns name → path. */
async function ensureGoBinaries(go: string, dir: string, packages: readonly GoPackage[], env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const paths = Object.fromEntries(packages.map((p) => [p.name, join(dir, p.name)]));
  const ready = async () => (await Promise.all(Object.values(paths).map(isExecutable))).every(Boolean);
  const result = () => paths;
  if (await ready()) return result();

  await mkdir(dir, { recursive: true });
  const lock = join(dir, '.build.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  while (!(await tryLock(lock))) {
    if (await ready()) return result();
    if (!announced) log(`another process is building into ${dir}; waiting for it…`);
    announced = true;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
    await sleep(2000);
  }
  try {
    if (!(await ready())) await build(go, dir, packages, env);
    return result();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function build(go: string, dir: string, packages: readonly GoPackage[], env: NodeJS.ProcessEnv): Promise<void> {
  // Into a private folder, then renamed: readers never see a half-written binary.
  const staging = join(dir, `.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const targets = packages.map((p) => p.pkg);
  log(`building ${packages.map((p) => p.name).join(' and ')} (first run only, takes minutes)…`);
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
    for (const p of packages) {
      if (!built.has(p.built)) throw new Error(`go install did not produce ${p.built}`);
      await rename(join(staging, p.built), join(dir, p.name));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

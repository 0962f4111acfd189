// Finds or builds the Temporal CLI. No download site is reachable from these machines, but the Go
// module proxy is, so the pinned CLI is built from source once into a cache outside the checkout.
import { spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

// Later CLI versions carry a `replace` directive in go.mod and cannot be `go install`ed.
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
const LOCK_WAIT_MS = 20 * 60_000;

export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'backup-monitor', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

const log = (line: string) => process.stderr.write(`[temporal-cli] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Returns the path of a Temporal CLI binary, building the pinned version on first use. */
export async function ensureTemporalCli(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env.TEMPORAL_CLI_PATH?.trim();
  if (explicit) {
    if (!(await isExecutable(explicit))) {
      throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not point to an executable file`);
    }
    return explicit;
  }
  const onPath = await findOnPath('temporal', env);
  if (onPath) return onPath;

  const dir = temporalCliCacheDir(env);
  const binary = join(dir, 'temporal');
  if (await isExecutable(binary)) return binary;

  await mkdir(dir, { recursive: true });
  const lock = join(dir, '.build.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  // mkdir is atomic, so exactly one caller (process or vitest worker) wins the right to build.
  while (!(await tryLock(lock))) {
    if (await isExecutable(binary)) return binary;
    if (!announced) {
      log(`another process is building the Temporal CLI into ${dir}; waiting for it…`);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
    await sleep(2000);
  }
  try {
    if (await isExecutable(binary)) return binary; // built by whoever held the lock before us
    await build(dir, binary, env);
    return binary;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** mkdir-based lock shared with the Temporal server build (scripts/lib/temporal-server.ts). */
export async function tryLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A holder that was killed mid-build leaves its lock behind: reclaim it once its pid is gone.
  const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
  if (pid > 0 && !isAlive(pid)) await rm(lock, { recursive: true, force: true });
  return false;
}

/** Whether a process exists (EPERM: it does, but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function build(dir: string, binary: string, env: NodeJS.ProcessEnv): Promise<void> {
  const go = (await findOnPath('go', env)) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new Error(
      'The Temporal CLI is not installed and Go is not available to build it. ' +
        'Install Go, put a `temporal` binary on PATH, or set TEMPORAL_CLI_PATH.',
    );
  }
  // Build into a private folder and rename: readers never see a half-written binary.
  const staging = join(dir, `.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  log(`building Temporal CLI v${TEMPORAL_CLI_VERSION} (first run only, takes a few minutes)…`);
  log(`${go} install ${MODULE} → ${binary}`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(go, ['install', MODULE], {
      env: { ...env, GOBIN: staging, GOFLAGS: env.GOFLAGS ?? '-buildvcs=false' },
      stdio: ['ignore', 2, 2], // stdout stays clean for callers that print the path
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`go install ${MODULE} failed with exit code ${code}`);
  }
  await rename(join(staging, 'temporal'), binary);
  await rm(staging, { recursive: true, force: true });
  log(`built ${binary} in ${Math.round((Date.now() - started) / 1000)} s`);
}

// Helpers of the cluster tests: a cluster of the test's own, and the production entry points
// (worker/main.ts, api/main.ts) as real processes pointed at it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { startCluster, type ClusterTls } from '../../scripts/lib/cluster';
import { freePort } from '../../scripts/lib/dev-server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN_TOKEN = 'bm_cluster_admin_0123456789abcdef0123456789abcdef';
export const EMAIL_FROM = 'Backup Monitor <alerts@monitor.example.com>';

export const clusterDatabaseUrl = () => inject('clusterDatabaseUrl');

/** A cluster on free ports, on Temporal databases reserved for the tests (kept between runs). */
export function startTestCluster(name: string, tls?: ClusterTls) {
  return startCluster({
    ports: 'free', database: `temporal_cluster_test_${name}`, tls,
    logFile: `${ROOT}tests/.artifacts/cluster-${name}.log`,
  });
}

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the process logged `ready`, rejects when it exits first. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Our own environment minus every Temporal setting, so only what the test passes applies. */
function baseEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_')));
}

export function appEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...baseEnv(), DATABASE_URL: clusterDatabaseUrl(), EMAIL_FROM, API_ADMIN_TOKEN: ADMIN_TOKEN,
    PUBLIC_URL: 'https://monitor.example.com', LOG_LEVEL: 'info', SMTP_URL: '', RESEND_API_KEY: 're_test_key',
    // Several workers on one host: no fixed metrics ports.
    WORKER_METRICS_PORT: '0', WORKER_APP_METRICS_PORT: '0', JOB_TIMEOUT: '1h',
    ...settings,
  };
}

const started: ChildProcess[] = [];

export function spawnApp(kind: 'worker' | 'api', env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `${kind}/main.ts`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })));
  const marker = kind === 'worker' ? 'worker started' : 'API listening';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(marker)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`${kind} exited (${signal ?? code}) before it was ready:\n${output.slice(-3000)}`)));
  });
  ready.catch(() => {});
  return {
    child, output: () => output, ready, exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
    },
  };
}

/** Kills whatever the test file left running. */
export function killAll(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export async function spawnApi(settings: Record<string, string>): Promise<{ process: AppProcess; call: ApiCall }> {
  const port = await freePort();
  const app = spawnApp('api', appEnv({ ...settings, PORT: String(port) }));
  await app.ready;
  return { process: app, call: apiCaller(`http://127.0.0.1:${port}`) };
}

export type ApiCall = <T = any>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

/** Always sends the admin token (every /v1 call needs it once the auth work lands). */
export function apiCaller(baseUrl: string): ApiCall {
  return async (method, path, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

export async function eventually<T>(read: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

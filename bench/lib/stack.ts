// The parts the bench starts for itself, each on free ports: a Temporal dev server, a fresh
// database, a fake email provider, and the real worker and API as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { nodeArgs } from '../../scripts/lib/build-services';
import { findPid } from './cpu';
import { migrateDatabase } from '../../db/migrate';
import { startCluster } from '../../scripts/lib/cluster';
import { startDevServer, freePort } from '../../scripts/lib/dev-server';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The bench API's bootstrap token (§7): a throwaway stack on a fresh database, so a constant will do. */
export const BENCH_ADMIN_TOKEN = 'bm_bench_admin_token_0123456789abcdef0123456789';
export const BENCH_AUTH = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Drops and re-creates the database named in `url`, then applies the migrations. */
export async function freshDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to drop a database named "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  await migrateDatabase(url);
}

export type TemporalStore = 'memory' | 'file';

export interface BenchTemporal {
  server: { address: string; namespace: string };
  /** For the CPU meter: the server process. */
  pid(): number | undefined;
  cliPath: string;
  store: TemporalStore;
  connection: Connection;
  client: Client;
  stop(): Promise<void>;
}

/** A dev server of the bench's own: in memory, or SQLite in a temporary folder (WAL, synchronous=normal). */
export async function startTemporal(store: TemporalStore, logFile: string): Promise<BenchTemporal> {
  const cliPath = await ensureTemporalCli();
  const dir = store === 'file' ? mkdtempSync(join(tmpdir(), 'backup-monitor-bench-')) : undefined;
  const server = await startDevServer({ cliPath, dbFile: dir ? join(dir, 'temporal.db') : undefined, log: logFile });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const port = server.address.split(':')[1]!;
  return {
    server, cliPath, store, connection, client, pid: () => findPid('start-dev', `--port ${port} `),
    async stop() {
      await connection.close().catch(() => {});
      await server.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real cluster (16 shards, Postgres) on free ports and databases of the bench's own. */
export async function startBenchCluster(logFile: string): Promise<BenchTemporal> {
  // The bench's workflow ids repeat from run to run and its Temporal databases are kept, so each run
  // gets a namespace of its own (costs the one-minute wait for its new search attributes).
  const namespace = `bench-${randomUUID().slice(0, 8)}`;
  const cluster = await startCluster({ ports: 'free', database: 'temporal_cluster_bench', namespace, logFile });
  const connection = await Connection.connect({ address: cluster.address });
  const client = new Client({ connection, namespace: cluster.namespace });
  return {
    server: { address: cluster.address, namespace: cluster.namespace }, cliPath: cluster.cliPath, store: 'file', connection, client,
    pid: () => cluster.pid,
    async stop() {
      await connection.close().catch(() => {});
      await cluster.stop();
    },
  };
}

export interface ChildService {
  name: string;
  pid: number | undefined;
  child: ChildProcess;
  /** The last few KB of the process's output, for error messages. */
  output(): string;
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** `node --import tsx <script>` with its own environment; stdout/stderr kept, not shown. */
/** Runs a TypeScript entry under tsx, or a compiled `.mjs` (scripts/lib/build-services.ts) with `nodeFlags`. */
export function spawnService(name: string, script: string, env: NodeJS.ProcessEnv, echo = false, nodeFlags: string[] = []): ChildService {
  const child = spawn(process.execPath, nodeArgs(script, nodeFlags), {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8_000);
    if (echo) process.stderr.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    name, pid: child.pid, child, output: () => tail, exited,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

/** Resolves once a worker polls the task queue for workflow tasks (the worker logs nothing at warn). */
export async function waitForWorker(client: Client, taskQueue: string, service: ChildService, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: string | undefined;
  void service.exited.then((how) => (ended = how));
  while (Date.now() < deadline) {
    if (ended) throw new Error(`${service.name} ${ended} before polling:\n${service.output()}`);
    const answer = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: 1, // WORKFLOW
    });
    if ((answer.pollers ?? []).length > 0) return;
    await sleep(200);
  }
  throw new Error(`${service.name} did not poll ${taskQueue} within ${timeoutMs / 1000} s:\n${service.output()}`);
}

export async function waitForHealth(baseUrl: string, service: ChildService, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: string | undefined;
  void service.exited.then((how) => (ended = how));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (ended) throw new Error(`${service.name} ${ended}:\n${service.output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`${service.name} not healthy within ${timeoutMs / 1000} s (last: ${last}):\n${service.output()}`);
}

export { freePort };

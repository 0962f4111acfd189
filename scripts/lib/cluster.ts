// A real Temporal cluster for this machine: the pinned server (all four services in one process,
// 16 history shards) on two Postgres databases, started from config/temporal-cluster/*.yaml,
// with the namespace and our search attributes created by the Temporal CLI. Used by
// `npm run cluster`, `npm start -- --temporal cluster`, `npm run test:cluster` and the bench.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { DEFAULT_POSTGRES, forgetPreviousMembers, prepareTemporalDatabases, type PostgresTarget } from './cluster-db';
import { setUpNamespace } from './cluster-namespace';
import { freePort } from './dev-server';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTemporalServer } from './temporal-server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLUSTER_CONFIG_DIR = join(ROOT, 'config', 'temporal-cluster');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every port the server opens; the names are the CLUSTER_*_PORT variables the config reads. */
export const DEFAULT_CLUSTER_PORTS = {
  FRONTEND: 7333, FRONTEND_HTTP: 7343, FRONTEND_MEMBERSHIP: 6333,
  HISTORY: 7334, HISTORY_MEMBERSHIP: 6334, MATCHING: 7335, MATCHING_MEMBERSHIP: 6335,
  WORKER: 7339, WORKER_MEMBERSHIP: 6339, METRICS: 8333, PPROF: 0,
};
export type ClusterPorts = typeof DEFAULT_CLUSTER_PORTS;

/** CLUSTER_<NAME>_PORT overrides, validated. */
export function clusterPortsFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterPorts {
  const ports = { ...DEFAULT_CLUSTER_PORTS };
  for (const key of Object.keys(ports) as Array<keyof ClusterPorts>) {
    const raw = env[`CLUSTER_${key}_PORT`]?.trim();
    if (!raw) continue;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CLUSTER_${key}_PORT: "${raw}" is not a port`);
    // The server stores membership ports in a smallint column.
    if (key.endsWith('MEMBERSHIP') && port > 32767) throw new Error(`CLUSTER_${key}_PORT: ${port} is above 32767, which the membership table cannot store`);
    ports[key] = port;
  }
  return ports;
}

export function clusterPostgresFromEnv(env: NodeJS.ProcessEnv = process.env): PostgresTarget {
  return {
    host: env.CLUSTER_PG_HOST || DEFAULT_POSTGRES.host,
    port: Number(env.CLUSTER_PG_PORT || DEFAULT_POSTGRES.port),
    user: env.CLUSTER_PG_USER || DEFAULT_POSTGRES.user,
    password: env.CLUSTER_PG_PASSWORD ?? DEFAULT_POSTGRES.password,
  };
}

export interface ClusterTls {
  caCert: string; serverCert: string; serverKey: string; serverName: string;
  /** The pair the setup (CLI, readiness probe) connects with. */
  clientCert: string; clientKey: string;
}

export interface ClusterOptions {
  ports?: Partial<ClusterPorts> | 'free';
  postgres?: PostgresTarget;
  database?: string;
  visibilityDatabase?: string;
  namespace?: string;
  tls?: ClusterTls;
  /** The server's own output goes to this file. */
  logFile: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  startTimeoutMs?: number;
  say?: (line: string) => void;
}

export interface Cluster {
  address: string;
  namespace: string;
  ports: ClusterPorts;
  /** What a worker or API process needs to reach it (Temporal's environment configuration names). */
  clientEnv: Record<string, string>;
  /** CLI flags for `temporal … --address …` against this cluster. */
  cliFlags: string[];
  cliPath: string;
  /** The server process (for CPU accounting). */
  pid: number | undefined;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

async function resolvePorts(ports: ClusterOptions['ports']): Promise<ClusterPorts> {
  if (ports !== 'free') return { ...DEFAULT_CLUSTER_PORTS, ...ports };
  const picked = { ...DEFAULT_CLUSTER_PORTS };
  for (const key of Object.keys(picked) as Array<keyof ClusterPorts>) {
    // The membership table stores ports as smallint: those must stay below 32768.
    if (key !== 'PPROF') picked[key] = key.endsWith('MEMBERSHIP') ? await freeLowPort() : await freePort();
  }
  return picked;
}

/** A free port in 20000–32767 (the ephemeral range starts above smallint). */
async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_767);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000–32767 for the membership ring');
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const say = options.say ?? (() => {});
  const target = options.postgres ?? DEFAULT_POSTGRES;
  const database = options.database ?? 'temporal_cluster';
  const visibilityDatabase = options.visibilityDatabase ?? `${database}_visibility`;
  const namespace = options.namespace ?? 'default';
  const [binaries, cliPath] = await Promise.all([ensureTemporalServer(), ensureTemporalCli()]);
  await prepareTemporalDatabases({ sqlTool: binaries.sqlTool, moduleDir: binaries.moduleDir, target, database, visibilityDatabase, log: say });
  await forgetPreviousMembers(target, database);

  const ports = await resolvePorts(options.ports);
  const tls = options.tls;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUSTER_LOG_LEVEL: options.logLevel ?? 'warn',
    CLUSTER_DB: database, CLUSTER_VISIBILITY_DB: visibilityDatabase,
    CLUSTER_PG_HOST: target.host, CLUSTER_PG_PORT: String(target.port), CLUSTER_PG_USER: target.user, CLUSTER_PG_PASSWORD: target.password,
    CLUSTER_DYNAMIC_CONFIG: join(CLUSTER_CONFIG_DIR, 'dynamicconfig.yaml'),
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`CLUSTER_${name}_PORT`, String(port)])),
    ...(tls ? { CLUSTER_TLS_CA: tls.caCert, CLUSTER_TLS_CERT: tls.serverCert, CLUSTER_TLS_KEY: tls.serverKey, CLUSTER_TLS_SERVER_NAME: tls.serverName } : {}),
  };
  // `--env plain` has no file of its own: base.yaml alone. `--env mtls` overlays mtls.yaml.
  const args = ['--root', ROOT, '--config', 'config/temporal-cluster', '--env', tls ? 'mtls' : 'plain', '--allow-no-auth', 'start'];
  say(`starting ${binaries.server} (log in ${options.logFile})`);
  mkdirSync(dirname(options.logFile), { recursive: true });
  const logStream = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(binaries.server, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  const keep = (chunk: Buffer) => { tail = (tail + chunk.toString()).slice(-6000); logStream.write(chunk); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => { logStream.end(); resolve(code); });
    child.once('error', (error) => { tail += `\nspawn failed: ${error.message}`; resolve(-1); });
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // the server drains its shards and leaves the membership ring
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
  })());

  const address = `127.0.0.1:${ports.FRONTEND}`;
  const clientEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace,
    ...(tls ? {
      TEMPORAL_TLS_CLIENT_CERT_PATH: tls.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: tls.clientKey,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: tls.caCert, TEMPORAL_TLS_SERVER_NAME: tls.serverName,
    } : {}),
  };
  const cliFlags = ['--address', address, ...(tls ? ['--tls-cert-path', tls.clientCert, '--tls-key-path', tls.clientKey,
    '--tls-ca-path', tls.caCert, '--tls-server-name', tls.serverName] : [])];
  try {
    await waitForFrontend(address, tls, exited, options.startTimeoutMs ?? 120_000);
    await setUpNamespace(cliPath, cliFlags, namespace, say);
  } catch (error) {
    await stop();
    throw new Error(`Temporal cluster (${binaries.server} ${args.join(' ')}) did not start: ${(error as Error).message}\n` +
      `--- server output (${options.logFile}) ---\n${tail.trim() || '(none)'}`);
  }
  return { address, namespace, ports, clientEnv, cliFlags, cliPath, pid: child.pid, exited, stop };
}

async function waitForFrontend(address: string, tls: ClusterTls | undefined, exited: Promise<number | null>, timeoutMs: number) {
  const tlsOptions = tls ? {
    serverNameOverride: tls.serverName, serverRootCACertificate: readFileSync(tls.caCert),
    clientCertPair: { crt: readFileSync(tls.clientCert), key: readFileSync(tls.clientKey) },
  } : undefined;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode}`);
    const connection = Connection.lazy({ address, tls: tlsOptions, connectTimeout: 2000 });
    try {
      await connection.ensureConnected();
      // The frontend answers before matching and history have joined the membership ring (longer
      // after a restart, while the ring still lists the previous process): ask each of them.
      const namespace = 'temporal-system';
      await connection.workflowService.describeNamespace({ namespace });
      await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: 'readiness-probe' }, taskQueueType: 1 });
      const history = await connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: 'readiness-probe' } })
        .then(() => true, (error: { code?: number }) => error.code === 5); // NOT_FOUND: history answered
      if (history) return;
      last = new Error('history service not ready');
    } catch (error) {
      last = error;
    } finally {
      await connection.close().catch(() => {});
    }
    await sleep(500);
  }
  throw new Error(`no answer from ${address} within ${timeoutMs / 1000} s (last error: ${(last as Error)?.message ?? last})`);
}

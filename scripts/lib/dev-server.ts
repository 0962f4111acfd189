// Runs `temporal server start-dev` as a child process for the local stack and the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../../workflows/definitions';

export interface DevServerOptions {
  cliPath: string;
  port?: number;
  uiPort?: number;
  /** Persistent SQLite store; in memory when absent. */
  dbFile?: string | undefined;
  namespace?: string;
  /** Where the server's own output goes: the parent's stderr, nowhere, or a file path. */
  log?: 'inherit' | 'ignore' | string;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  namespace: string;
  /** Settles with the exit code when the server process ends, expectedly or not. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `count` distinct free ports, none of them in `taken`: the listeners stay open until all are
 * chosen, so the system cannot hand the same port out twice (it did: gRPC and metrics clashed).
 */
export async function freePorts(count: number, taken: readonly number[] = []): Promise<number[]> {
  const servers: ReturnType<typeof createServer>[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = createServer();
      servers.push(server);
      const port = await new Promise<number>((resolve, reject) => {
        server.on('error', reject);
        server.listen(0, HOST, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : 0);
        });
      });
      if (!taken.includes(port) && !ports.includes(port)) ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** A port that was free a moment ago on the loopback interface. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  // Ports picked here can be taken by someone else before the server binds them; try again then.
  const attempts = options.port === undefined && options.uiPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= attempts || !String(error).includes('address already in use')) throw error;
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const fixed = [options.port, options.uiPort].filter((p): p is number => p !== undefined);
  const [a, b, httpPort, metricsPort] = await freePorts(4, fixed);
  const port = options.port ?? a!;
  const uiPort = options.uiPort ?? b!;
  // The HTTP API and metrics ports otherwise default to fixed or random values that can clash
  // when a test server and a dev stack run side by side, so they are always chosen here.
  const args = [
    'server', 'start-dev',
    '--ip', HOST,
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--http-port', String(httpPort),
    '--metrics-port', String(metricsPort),
    '--namespace', namespace,
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ];
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    // WAL keeps the UI's reads from blocking the server's writes; `normal` sync is safe with WAL.
    args.push('--db-filename', options.dbFile,
      '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }

  // Own process group: a Ctrl-C in the terminal reaches only our process, which then stops the
  // children in order instead of the server vanishing under a still-running worker.
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = captureOutput(child, options.log ?? 'ignore');
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      output.note(`spawn failed: ${error.message}`);
      resolve(-1);
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
    })());

  const address = `${HOST}:${port}`;
  try {
    await waitUntilReady(address, namespace, exited, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Temporal dev server (${options.cliPath} ${args.join(' ')}) did not start: ${reason}\n` +
        `--- server output ---\n${output.text() || '(none)'}`,
    );
  }
  return { address, uiUrl: `http://localhost:${uiPort}`, namespace, exited, stop };
}

/** Keeps the last lines for error messages and forwards the rest where the caller wants it. */
function captureOutput(child: ChildProcess, log: 'inherit' | 'ignore' | string) {
  let tail = '';
  const sink =
    log === 'inherit' ? process.stderr
    : log === 'ignore' ? undefined
    : (mkdirSync(dirname(log), { recursive: true }), createWriteStream(log, { flags: 'a' }));
  const onData = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
    sink?.write(chunk);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  if (sink && sink !== process.stderr) child.once('exit', () => sink.end());
  return { text: () => tail.trim(), note: (line: string) => void (tail += `\n${line}`) };
}

async function waitUntilReady(
  address: string,
  namespace: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode}`);
    try {
      // lazy + close in finally: a failed `connect` would leave a retrying channel open.
      const connection = Connection.lazy({ address, connectTimeout: 2000 });
      try {
        await connection.ensureConnected();
        // The frontend can answer before the namespace registered at launch is visible.
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`no answer from ${address} within ${timeoutMs / 1000} s (last error: ${detail})`);
}

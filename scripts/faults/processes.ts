// The parts of the stack the fault suite kills and restarts: worker processes and the Temporal
// dev server (file-persisted, same port, so clients reconnect to the same address).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDevServer, type DevServer } from '../lib/dev-server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  kill(): Promise<void>;
}

export async function spawnWorker(env: Record<string, string>, log: (line: string) => void): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-200_000); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const deadline = Date.now() + 180_000;
  while (!output.includes('worker started')) {
    if (child.exitCode !== null) throw new Error(`worker exited: ${output.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error('worker did not start within 180 s');
    await sleep(200);
  }
  log(`worker ${child.pid} started`);
  return {
    child,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      while (child.exitCode === null && child.signalCode === null) await sleep(50);
      log(`worker ${child.pid} SIGKILLed`);
    },
  };
}

export async function startTemporal(cliPath: string, dbFile: string, port: number, uiPort: number): Promise<DevServer> {
  return startDevServer({ cliPath, dbFile, port, uiPort, log: 'ignore', startTimeoutMs: 90_000 });
}

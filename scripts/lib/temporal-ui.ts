// The Temporal UI server (github.com/temporalio/ui-server, built by ensureTemporalUi) in front of
// the local cluster, from config/temporal-ui/base.yaml. The dev server embeds the same UI.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterTls } from './cluster';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TemporalUi {
  url: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startTemporalUi(options: {
  binary: string; temporalAddress: string; namespace: string; port: number; logFile: string; tls?: ClusterTls;
}): Promise<TemporalUi> {
  const { tls } = options;
  const env = {
    ...process.env, UI_TEMPORAL_ADDRESS: options.temporalAddress, UI_PORT: String(options.port), UI_NAMESPACE: options.namespace,
    ...(tls ? { UI_TLS_CA: tls.caCert, UI_TLS_CERT: tls.clientCert, UI_TLS_KEY: tls.clientKey, UI_TLS_SERVER_NAME: tls.serverName } : {}),
  };
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(options.binary, ['--root', ROOT, '--config', 'config/temporal-ui', '--env', 'local', 'start'], {
    env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    process.off('exit', killOnExit);
  };
  const url = `http://localhost:${options.port}`;
  let ended: number | null | undefined;
  void exited.then((code) => (ended = code));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`the Temporal UI server exited with code ${ended} (log: ${options.logFile})`);
    const ok = await fetch(`http://127.0.0.1:${options.port}/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return { url, exited, stop };
    await sleep(300);
  }
  await stop();
  throw new Error(`the Temporal UI server did not answer on ${url} within 30 s (log: ${options.logFile})`);
}

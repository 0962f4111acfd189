// An entry point (TypeScript, or compiled) run as a child process of the local stack, its output prefixed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { nodeArgs } from './build-services';

export interface Service {
  name: string;
  /** Settles when the process ends, with a readable reason. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export function startService(name: string, script: string, options: { cwd: string; env: NodeJS.ProcessEnv; color: number; nodeFlags?: string[] }): Service {
  const child = spawn(process.execPath, nodeArgs(script, options.nodeFlags), {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches only the stack, which stops services in order.
    detached: true,
  });
  const prefix = process.stdout.isTTY ? `\x1b[${options.color}m${name.padEnd(6)}|\x1b[0m ` : `${name.padEnd(6)}| `;
  forward(child.stdout, process.stdout, prefix);
  forward(child.stderr, process.stderr, prefix);

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
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      child.kill('SIGTERM');
      // The worker drains in-flight activities for up to its grace time before exiting.
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    })());
  return { name, exited, stop };
}

function forward(from: Readable | null, to: Writable, prefix: string): void {
  if (!from) return;
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${prefix}${line}\n`));
}

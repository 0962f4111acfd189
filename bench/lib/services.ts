// The product as the bench runs it: the worker(s) and the API as child processes on one task
// queue and a free port, with the environment the bench's own fakes need.
import { randomUUID } from 'node:crypto';
import { buildServices, workerNodeFlags } from '../../scripts/lib/build-services';
import { buildWorkflowBundleFile } from '../../scripts/lib/workflow-bundle';
import type { BenchArgs } from './args';
import { log } from './progress';
import { BENCH_ADMIN_TOKEN, freePort, spawnService, waitForHealth, waitForWorker, type BenchTemporal } from './stack';

export async function startServices(options: {
  args: BenchArgs; temporal: BenchTemporal; resendUrl: string; stops: Array<() => Promise<unknown>>;
}) {
  const { args, temporal, stops } = options;
  const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: args.databaseUrl, TEMPORAL_ADDRESS: temporal.server.address, TEMPORAL_NAMESPACE: temporal.server.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue, PORT: String(port), RESEND_API_KEY: 're_bench', RESEND_BASE_URL: options.resendUrl, SMTP_URL: '',
    DIGEST_INTERVAL: args.digestInterval, JOB_TIMEOUT: '24h', LOG_LEVEL: 'warn', PUBLIC_URL: baseUrl,
    API_ADMIN_TOKEN: BENCH_ADMIN_TOKEN, LOG_FORMAT: 'json',
    // The webhook receiver listens on 127.0.0.1 in the bench process (§2.6 refuses loopback otherwise).
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // Workers as production runs them: a bundle built once beforehand, no webpack in the process.
    WORKFLOW_BUNDLE_PATH: await buildWorkflowBundleFile(),
  };
  // As production runs them: compiled by `npm run build`, the worker with its V8 limits.
  const built = await buildServices();
  const profiling = args.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${args.cpuProfileDir}`] : [];
  log(`starting ${args.workers} worker(s) and the API (node ${workerNodeFlags().join(' ')} worker.mjs, node api.mjs, compiled by npm run build)`);
  // More than one worker on a host: no fixed metrics ports.
  const workerEnv = args.workers > 1 ? { ...env, WORKER_METRICS_PORT: '0', WORKER_APP_METRICS_PORT: '0' } : env;
  const workers = Array.from({ length: args.workers }, (_, i) => spawnService(i ? `worker-${i + 1}` : 'worker', built.worker, workerEnv, false, [...workerNodeFlags(), ...profiling]));
  for (const each of workers) stops.push(() => each.stop());
  const api = spawnService('api', built.api, env, false, profiling);
  stops.push(() => api.stop());
  await Promise.all([...workers.map((each) => waitForWorker(temporal.client, taskQueue, each)), waitForHealth(baseUrl, api)]);
  return { env, taskQueue, baseUrl, workers, api };
}

/** Phase (c)'s bare HTTP floor over the same statements (bench/list-floor-server.ts), as a child process. */
export async function startListFloor(databaseUrl: string, stops: Array<() => Promise<unknown>>): Promise<string> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const floor = spawnService('list-floor', 'bench/list-floor-server.ts', { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) });
  stops.push(() => floor.stop());
  await waitForHealth(baseUrl, floor);
  return baseUrl;
}

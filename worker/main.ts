import { collectDefaultMetrics } from 'prom-client';
import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { connectDb } from '../db/client';
import { createChannelsFromEnv } from '../channels';
import { createWorker } from './create-worker';
import { createWorkerMetrics, startMetricsServer, type MetricsServer } from './metrics';
import { installRuntime } from './runtime';

const log = createLogger('worker');
let env;
let channels;
try {
  env = loadEnv();
  channels = createChannelsFromEnv(env);
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}

const host = env.WORKER_METRICS_HOST;
const { sdkMetricsUrl } = installRuntime({
  log,
  level: env.LOG_LEVEL,
  metricsAddress: env.WORKER_METRICS_PORT ? `${host.includes(':') ? `[${host}]` : host}:${env.WORKER_METRICS_PORT}` : null,
});
const metrics = createWorkerMetrics();
collectDefaultMetrics({ register: metrics.registry });
let metricsServer: MetricsServer | null = null;
if (env.WORKER_APP_METRICS_PORT) {
  // Like the SDK exporter: a busy port costs the metrics, not the worker.
  metricsServer = await startMetricsServer({ registry: metrics.registry, host, port: env.WORKER_APP_METRICS_PORT }).catch((error: Error) => {
    log.warn({ err: error, port: env.WORKER_APP_METRICS_PORT }, 'worker metrics disabled: the endpoint could not start');
    return null;
  });
}

const database = connectDb(env.DATABASE_URL);
const { worker, close } = await createWorker({
  temporalAddress: env.TEMPORAL_ADDRESS,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  db: database.db,
  digestIntervalMs: env.DIGEST_INTERVAL,
  channels,
  publicUrl: env.PUBLIC_URL,
  shutdownGraceTime: '20s',
  maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
  metrics,
  log,
});
log.info({
  taskQueue: env.TEMPORAL_TASK_QUEUE, address: env.TEMPORAL_ADDRESS, email: channels.transport,
  metrics: metricsServer?.url ?? null, sdkMetrics: sdkMetricsUrl,
}, 'worker started');
// The SDK drains in-flight activities on SIGINT/SIGTERM (shutdownGraceTime) before run() resolves.
await worker.run();
await close();
await metricsServer?.close();
await database.close();
log.info('worker stopped');

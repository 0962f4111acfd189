import { collectDefaultMetrics } from 'prom-client';
import { loadEnv } from '../config/env';
import { temporalConnectionFromEnv } from '../config/temporal';
import { createLogger } from '../config/logger';
import { connectDb } from '../db/client';
import { rearmBackupWatches } from '../activities/backup-watch-wake';
import { createChannelsFromEnv } from '../channels';
import { buildWorkflowBundle } from './bundle';
import { createWorker } from './create-worker';
import { createWorkerMetrics, startMetricsServer, type MetricsServer } from './metrics';
import { installRuntime } from './runtime';

const log = createLogger('worker');
let env;
let channels;
let temporal;
try {
  env = loadEnv();
  temporal = temporalConnectionFromEnv();
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
const created = await createWorker({
  temporalAddress: temporal.connectionOptions.address,
  connectionOptions: temporal.connectionOptions,
  namespace: temporal.namespace,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  db: database.db,
  digestIntervalMs: env.DIGEST_INTERVAL,
  channels,
  publicUrl: env.PUBLIC_URL,
  reportIntervalMs: env.REPORT_INTERVAL,
  shutdownGraceTime: '20s',
  workflowBundle: env.WORKFLOW_BUNDLE_PATH ? { codePath: env.WORKFLOW_BUNDLE_PATH } : await buildWorkflowBundle(log),
  maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
  metrics,
  log,
}).catch((error: Error) => {
  // A wrong certificate, key, CA or API key surfaces here: say which server and settings were tried.
  log.fatal({ err: error }, `cannot connect to Temporal at ${temporal.describe}: ${error.message}`);
  process.exit(1);
});
const { worker, client, close } = created;
log.info({
  taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: temporal.describe, email: channels.transport,
  metrics: metricsServer?.url ?? null, sdkMetrics: sdkMetricsUrl,
}, 'worker started');
// Missed-backup watches lost with Temporal's data come back (best effort: the next worker retries).
void rearmBackupWatches({ db: database.db, client, taskQueue: env.TEMPORAL_TASK_QUEUE }).then(
  (vaults) => log.info({ vaults }, 'missed-backup watches woken'),
  (error: Error) => log.warn({ err: error }, 'missed-backup watches not woken'),
);
// The SDK drains in-flight activities on SIGINT/SIGTERM (shutdownGraceTime) before run() resolves.
await worker.run();
await close();
await metricsServer?.close();
await database.close();
log.info('worker stopped');

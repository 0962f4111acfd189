import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { loadEnv } from '../config/env';
import { temporalConnectionFromEnv } from '../config/temporal';
import { createLogger } from '../config/logger';
import { connectDb } from '../db/client';
import { createApp } from './app';
import { createHttpMetrics } from './metrics';

const log = createLogger('api');
let env;
let temporalSettings;
try {
  env = loadEnv();
  temporalSettings = temporalConnectionFromEnv();
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}

const database = connectDb(env.DATABASE_URL);
// Lazy: the API comes up (and /healthz says 503) even while Temporal is still starting.
const connection = Connection.lazy(temporalSettings.connectionOptions);
const temporal = new Client({ connection, namespace: temporalSettings.namespace });
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const app = createApp({
  db: database.db,
  temporal,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  jobTimeoutMs: env.JOB_TIMEOUT,
  digestIntervalMs: env.DIGEST_INTERVAL,
  allowPrivateWebhooks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
  log,
  metrics: createHttpMetrics(registry),
  adminToken: env.API_ADMIN_TOKEN,
});
if (env.API_ADMIN_TOKEN && env.API_ADMIN_TOKEN.length < 32) {
  log.warn('API_ADMIN_TOKEN is shorter than 32 characters: anyone who guesses it is an unscoped Admin');
}

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: '0.0.0.0' }, (info) => {
  log.info({ port: info.port }, `API listening on http://localhost:${info.port}`);
});
// Node closes an idle keep-alive connection after 5 s, the moment a client may reuse it: the client
// then sees "other side closed" on a request it sent (measured in the bench). Keep connections open
// longer than clients and load balancers do (typically 4–60 s), as the usual server advice goes.
const httpServer = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
httpServer.keepAliveTimeout = 65_000;
httpServer.headersTimeout = 66_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'draining API');
  // Stop accepting connections, let in-flight requests finish, then release the pools.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  await closed;
  await connection.close().catch(() => {});
  await database.close();
  log.info('API stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

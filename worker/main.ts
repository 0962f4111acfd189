import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { connectDb } from '../db/client';
import { createMailerFromEnv } from '../activities/mailer';
import { createWorker } from './create-worker';

const log = createLogger('worker');
let env;
let mailer;
try {
  env = loadEnv();
  mailer = createMailerFromEnv(env);
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}

const database = connectDb(env.DATABASE_URL);
const { worker, close } = await createWorker({
  temporalAddress: env.TEMPORAL_ADDRESS,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  db: database.db,
  digestIntervalMs: env.DIGEST_INTERVAL,
  mailer,
  emailFrom: env.EMAIL_FROM,
  publicUrl: env.PUBLIC_URL,
  shutdownGraceTime: '20s',
});
log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, address: env.TEMPORAL_ADDRESS, email: mailer.transport }, 'worker started');
// The SDK drains in-flight activities on SIGINT/SIGTERM (shutdownGraceTime) before run() resolves.
await worker.run();
await close();
await database.close();
log.info('worker stopped');

import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type NativeConnectionOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { DeliveryChannels } from '../activities/deliveries';
import type { ActivityMetrics } from '../activities/metrics';
import type { Database } from '../db/client';
import { startOutcomeSweeper, type OutcomeSweeper } from './outcome-sweeper';
import { startSweeper } from './sweeper';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerDeps {
  temporalAddress: string;
  /** TLS, API key and the rest of §5's settings; `temporalAddress` alone when absent. */
  connectionOptions?: NativeConnectionOptions;
  namespace: string;
  taskQueue: string;
  db: Database;
  digestIntervalMs: number;
  /** Email and webhook channels (see channels/index.ts). */
  channels: DeliveryChannels;
  publicUrl: string;
  /** REPORT_INTERVAL in milliseconds (§2.8); default 7 days. */
  reportIntervalMs?: number;
  /** A pre-built bundle (in memory, or a file's `codePath`): no webpack in this process. */
  workflowBundle?: WorkflowBundleOption;
  /** Reuse the caller's client connection for activities that signal workflows. */
  clientConnection?: Connection;
  shutdownGraceTime?: string;
  maxCachedWorkflows?: number;
  /** Counters for alerts and deliveries (see worker/metrics.ts); none when absent. */
  metrics?: ActivityMetrics;
  /** How often the delivery sweeper looks for lost dispatches (default 10 s); 0 turns it off. */
  sweepIntervalMs?: number;
  /** How often the worker re-signals claimed but unsignalled job outcomes (default 5 s). */
  outcomeSweepMs?: number;
  log?: { warn(fields: object, message: string): void };
}

/** Builds a worker for every workflow with injected dependencies; the caller runs and shuts it down. */
export async function createWorker(deps: WorkerDeps): Promise<{ worker: Worker; client: Client; sweeper: OutcomeSweeper; close(): Promise<void> }> {
  const options = { ...deps.connectionOptions, address: deps.temporalAddress };
  const connection = await NativeConnection.connect(options);
  const client = new Client({ connection: deps.clientConnection ?? (await Connection.connect(options)), namespace: deps.namespace });
  const activities = createActivities({
    db: deps.db, client, taskQueue: deps.taskQueue, digestIntervalMs: deps.digestIntervalMs, publicUrl: deps.publicUrl, reportIntervalMs: deps.reportIntervalMs,
    channels: deps.channels, metrics: deps.metrics,
  });
  const worker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime: deps.shutdownGraceTime ?? '10s',
    // The SDK sizes its sticky cache from the machine's memory (thousands on 24 GB); each cached
    // run holds a V8 context, so a bound keeps the worker's RSS predictable.
    ...(deps.maxCachedWorkflows ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
    // Most of our workflow tasks are first tasks of new runs (every job, every delivery), which come
    // from the normal queue; the SDK's default gives it 2 of 10 pollers (the rest wait on the sticky
    // queue), so the 20 deliveries of a fan-out started one poll round trip after another.
    nonStickyToStickyPollRatio: 0.5,
  });
  const sweeper = startOutcomeSweeper({ db: deps.db, client, intervalMs: deps.outcomeSweepMs, log: deps.log });
  const deliverySweeper = deps.sweepIntervalMs === 0 ? null : startSweeper({
    db: deps.db, client, taskQueue: deps.taskQueue, intervalMs: deps.sweepIntervalMs,
    onError: (error) => deps.log?.warn({ err: error }, 'delivery sweep failed; the next one retries'),
  });
  return {
    worker,
    client,
    sweeper,
    async close() {
      await deliverySweeper?.stop();
      await sweeper.stop();
      await connection.close();
      if (!deps.clientConnection) await client.connection.close();
    },
  };
}

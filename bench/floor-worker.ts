// The floor's worker, run as a child process like the real one (so CPU and RSS compare).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { floorAlertSignal, type FloorActivities } from './floor-workflow';

const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'bench-floor';
// The cluster bench runs in a namespace of its own (bench/lib/stack.ts).
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
Runtime.install({ logger: new DefaultLogger('WARN') });

const clientConnection = await Connection.connect({ address });
const client = new Client({ connection: clientConnection, namespace });
const activities: FloorActivities = {
  async floorRecordStarted() {},
  async floorRecordFinished() {},
  async floorRaiseAlert() {
    return randomUUID();
  },
  async floorHandToVault({ vaultId, alertId, email, webhook }) {
    await client.workflow.signalWithStart('floorVault', {
      workflowId: `floor-vault/${vaultId}`, taskQueue, args: [{ vaultId }], signal: floorAlertSignal, signalArgs: [{ alertId, email, webhook }],
    });
  },
  async floorSendEmail() {
    return Date.now();
  },
  async floorSendWebhook() {
    return Date.now();
  },
};

const worker = await Worker.create({
  connection: await NativeConnection.connect({ address }),
  namespace,
  taskQueue,
  activities,
  workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
  shutdownGraceTime: '2s',
});
await worker.run();
await clientConnection.close();

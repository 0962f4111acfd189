// The mTLS path (§5, issue 17): a cluster whose frontend requires client certificates from the
// test's own CA. Our connection settings (config/temporal.ts, Temporal's environment names)
// connect the real worker and API with the right pair and fail clearly with a wrong one.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalConnectionFromEnv } from '../../config/temporal';
import type { Cluster } from '../../scripts/lib/cluster';
import { generateDevCertificates, type DevCertificates } from '../../scripts/lib/dev-certs';
import { appEnv, eventually, killAll, spawnApi, spawnApp, startTestCluster } from './support';

let dir: string;
let certs: DevCertificates;
let cluster: Cluster;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'backup-monitor-mtls-'));
  certs = await generateDevCertificates(dir);
  cluster = await startTestCluster('mtls', {
    caCert: certs.caCert, serverCert: certs.serverCert, serverKey: certs.serverKey, serverName: certs.serverName,
    clientCert: certs.clientCert, clientKey: certs.clientKey,
  });
});
afterAll(async () => {
  killAll();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const withPair = (cert: string, key: string) => ({
  ...cluster.clientEnv, TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key,
});

describe('mTLS frontend', () => {
  it('our settings connect the client and the worker connection with the right certificate', async () => {
    const settings = temporalConnectionFromEnv(cluster.clientEnv);
    expect(settings.describe).toContain('mTLS');
    const connection = await Connection.connect(settings.connectionOptions);
    try {
      const answer = await connection.workflowService.describeNamespace({ namespace: settings.namespace });
      expect(answer.namespaceInfo?.name).toBe(settings.namespace);
    } finally {
      await connection.close();
    }
    const native = await NativeConnection.connect(settings.connectionOptions);
    await native.close();
  });

  it('a worker process and an API process run a job end to end over mTLS', async () => {
    const taskQueue = `mtls-${randomUUID()}`;
    const worker = spawnApp('worker', appEnv({ ...cluster.clientEnv, TEMPORAL_TASK_QUEUE: taskQueue }));
    const { call } = await spawnApi({ ...cluster.clientEnv, TEMPORAL_TASK_QUEUE: taskQueue });
    await worker.ready;
    expect(worker.output()).toContain('mTLS');

    const vaultId = `vault-mtls-${randomUUID().slice(0, 8)}`;
    expect((await call('PUT', `/v1/vaults/${vaultId}`, { name: vaultId, subscriptionId: 'sub-1', contacts: { owners: [], admins: [], coAdmins: [] } })).status).toBe(201);
    const job = await call('POST', `/v1/vaults/${vaultId}/jobs`, { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-mtls' });
    expect(job.status).toBe(201);
    expect((await call('POST', `/v1/vaults/${vaultId}/jobs/${job.body.id}/complete`, { status: 'Failed', errorCode: 'UserErrorDiskFull' })).status).toBe(202);
    const alerts = await eventually(async () => {
      const listed = await call('GET', `/v1/vaults/${vaultId}/alerts`);
      return listed.body?.items?.length ? listed.body.items : null;
    }, 'the alert of the failed job', 60_000);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ scenario: 'BackupFailure', jobId: job.body.id });
  });

  it('a client certificate from an untrusted CA is refused with a readable error', async () => {
    const settings = temporalConnectionFromEnv(withPair(certs.rogueClientCert, certs.rogueClientKey));
    const error = await Connection.connect({ ...settings.connectionOptions, connectTimeout: 5_000 }).then(
      async (connection) => {
        // grpc-js may connect lazily: the first call is where the handshake fails.
        try {
          await connection.workflowService.describeNamespace({ namespace: settings.namespace });
          return null;
        } finally {
          await connection.close();
        }
      },
      (failure: Error) => failure,
    ).catch((failure: Error) => failure);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/certificate|handshake|tls|ssl|connect|unavailable/i);

    // The worker does not start: it exits with a non-zero code and says why.
    const worker = spawnApp('worker', appEnv({ ...withPair(certs.rogueClientCert, certs.rogueClientKey), TEMPORAL_TASK_QUEUE: `rogue-${randomUUID()}` }));
    const { code } = await Promise.race([
      worker.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`worker still running:\n${worker.output()}`)), 90_000)),
    ]);
    expect(code).not.toBe(0);
    expect(worker.output()).not.toContain('worker started');
    expect(worker.output()).toContain(`cannot connect to Temporal at ${cluster.address}`);
    expect(worker.output()).toContain('mTLS');
    // The server's TLS alert names the cause (rustls: "received fatal alert: UnknownCA").
    expect(worker.output()).toMatch(/UnknownCA|unknown ca|certificate/i);
  });

  it('no client certificate at all is refused', async () => {
    const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...serverOnly } = cluster.clientEnv;
    const settings = temporalConnectionFromEnv(serverOnly);
    expect(settings.describe).toContain('TLS');
    const failure = await NativeConnection.connect(settings.connectionOptions).then(
      async (native) => {
        await native.close();
        return null;
      },
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
  });
});

import { expect } from 'vitest';
import type { Stack } from './stack';

export interface JobSpec {
  workloadType?: string;
  operation?: string;
  trigger?: string;
  entityName?: string;
  outcome?: 'cancel' | { status: string; errorCode?: string; errorMessage?: string };
}

/** Drives one job through the HTTP API and waits until its workflow (alert included) is done. */
export async function runJob(stack: Stack, vaultId: string, spec: JobSpec = {}): Promise<string> {
  const started = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, {
    workloadType: spec.workloadType ?? 'AzureVM', operation: spec.operation ?? 'Backup',
    trigger: spec.trigger ?? 'Scheduled', entityName: spec.entityName ?? 'vm-01',
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const outcome = spec.outcome ?? { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'The disk is full' };
  const ended = outcome === 'cancel'
    ? await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${id}/cancel`)
    : await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${id}/complete`, outcome);
  expect(ended.status).toBe(202);
  await stack.client.workflow.getHandle(`backup-job/${vaultId}/${id}`).result();
  return id;
}

export async function alertsOf(stack: Stack, vaultId: string): Promise<any[]> {
  return (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?limit=500`)).body.items;
}

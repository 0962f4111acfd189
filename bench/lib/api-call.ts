// The bench's HTTP calls to its own API (admin token), and the vaults of phases (a) and (f).
import { Agent, request } from 'node:http';
import { isPerAlertVault, vaultIdOf, VAULTS } from './plan';
import { BENCH_AUTH } from './stack';

// node:http over kept-alive connections, not fetch: fetch costs the bench ~2 ms of CPU per request
// (measured in phase (c)), CPU the 2-core machine then lacks for the services being measured, and
// a busy bench loop answers its own timers late, which the latencies would blame on the API.
// Open-loop phases may have many requests out at once: sockets are not what should queue them.
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 });

export function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = { ...BENCH_AUTH };
  if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function expect(what: string, answer: Promise<{ status: number; text: string }>, ...ok: number[]) {
  const { status, text } = await answer;
  if (!ok.includes(status)) throw new Error(`${what}: ${status} ${text.slice(0, 300)}`);
  return text;
}

export async function putVault(baseUrl: string, vaultId: string, name: string, owner?: string): Promise<void> {
  await expect(`PUT vault ${vaultId}`, call(baseUrl, 'PUT', `/v1/vaults/${vaultId}`, {
    name, subscriptionId: 'sub-bench', contacts: { owners: owner ? [owner] : [], admins: [], coAdmins: [] },
  }), 200, 201);
}

/** A standard-format webhook through the API; returns its id. */
export async function addWebhook(baseUrl: string, vaultId: string, url: string, description: string): Promise<string> {
  const text = await expect(`POST webhook ${vaultId}`, call(baseUrl, 'POST', `/v1/vaults/${vaultId}/webhooks`, {
    url, format: 'standard', description,
  }), 201);
  return (JSON.parse(text) as { id: string }).id;
}

export async function deleteWebhook(baseUrl: string, vaultId: string, webhookId: string): Promise<void> {
  await expect(`DELETE webhook ${webhookId}`, call(baseUrl, 'DELETE', `/v1/vaults/${vaultId}/webhooks/${webhookId}`), 200, 204);
}

/** The receiver path of phase (a)'s webhook of a vault. */
export const lifecycleHookPath = (vaultId: string) => `/hook/a/${vaultId}`;

/**
 * 20 vaults, each with one owner; 0–9 PerAlert, 10–19 HourlyDigest, each with one recipient, and
 * one standard webhook each to the bench's receiver (alert.raised and alert.resolved, as by default).
 */
export async function setupVaults(baseUrl: string, hookUrl: (path: string) => string): Promise<void> {
  await Promise.all(Array.from({ length: VAULTS }, async (_, i) => {
    const vaultId = vaultIdOf(i);
    await putVault(baseUrl, vaultId, `Bench vault ${i}`, `owner-${i}@bench.example`);
    await expect(`PUT settings ${vaultId}`, call(baseUrl, 'PUT', `/v1/vaults/${vaultId}/notification-settings`, {
      enabled: true, recipients: [`ops-${i}@bench.example`], frequency: isPerAlertVault(i) ? 'PerAlert' : 'HourlyDigest',
    }), 200);
    await addWebhook(baseUrl, vaultId, hookUrl(lifecycleHookPath(vaultId)), 'bench receiver');
  }));
}

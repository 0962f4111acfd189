// The stack and receiver every webhook test file starts once (beforeAll) and stops after its tests,
// with the two helpers they share: a webhook on a fresh receiver path, and the vault's delivery log.
import { afterAll, beforeAll, expect } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../scripts/lib/webhook-receiver';
import { startStack, type Stack } from './stack';

export interface CreatedWebhook {
  path: string;
  id: string;
  secret: string;
  body: Record<string, unknown>;
}

export interface WebhookStack {
  readonly stack: Stack;
  readonly receiver: WebhookReceiver;
  /** POST …/webhooks to a new receiver path (asserted 201); extra fields go into the body. */
  addWebhook(vaultId: string, body?: Record<string, unknown>): Promise<CreatedWebhook>;
  deliveriesOf(vaultId: string, query?: string): Promise<any[]>;
}

export function useWebhookStack(): WebhookStack {
  let stack: Stack | undefined;
  let receiver: WebhookReceiver | undefined;
  beforeAll(async () => {
    stack = await startStack();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the webhook stack starts in beforeAll: use it inside a test');
    return value;
  };
  let counter = 0;
  const self: WebhookStack = {
    get stack() { return started(stack); },
    get receiver() { return started(receiver); },
    async addWebhook(vaultId, body = {}) {
      const path = `/hook-${++counter}`;
      const created = await self.stack.api('POST', `/v1/vaults/${vaultId}/webhooks`, { url: self.receiver.url(path), ...body });
      expect(created.status).toBe(201);
      return { path, id: created.body.id as string, secret: created.body.secret as string, body: created.body };
    },
    async deliveriesOf(vaultId, query = '') {
      return (await self.stack.api('GET', `/v1/vaults/${vaultId}/deliveries?${query}`)).body.items as any[];
    },
  };
  return self;
}

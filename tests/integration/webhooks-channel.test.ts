// The webhook channel's HTTP send, without the stack: the targets it refuses (when a webhook is
// saved, and again at delivery time on the address a name resolves to), and how it classes a slow,
// trickling, refused or throttled endpoint.
import { hostname } from 'node:os';
import { lookup } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookChannel } from '../../channels/webhook-http';
import { refusedUrl } from '../../channels/ssrf';
import { startWebhookReceiver } from '../../scripts/lib/webhook-receiver';

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.stop();
});

describe('webhook targets', () => {
  it('refuses loopback and private targets unless private networks are allowed', () => {
    const strict = { allowPrivateNetworks: false };
    for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://[::1]/', 'http://localhost/', 'http://[::ffff:10.0.0.1]/']) {
      expect(refusedUrl(url, strict)).not.toBeNull();
      expect(refusedUrl(url, { allowPrivateNetworks: true })).toBeNull();
    }
    expect(refusedUrl('http://169.254.169.254/', { allowPrivateNetworks: true })).toMatch(/link-local/);
    expect(refusedUrl('https://hooks.slack.com/services/T/B/X', strict)).toBeNull();
  });

  it('checks the resolved address at delivery time: a host name resolving to loopback is refused', async () => {
    const name = hostname();
    const resolved = await lookup(name).catch(() => null);
    if (!resolved || !/^127\.|^::1$/.test(resolved.address)) return; // this machine's name is not a loopback alias
    const channel = createWebhookChannel({ allowPrivateNetworks: false, timeoutMs: 2_000 });
    const before = receiver.calls.length;
    const outcome = await channel.send({
      id: 'a9c1d2e3-0000-4000-8000-000000000001', channel: 'webhook', target: `http://${name}:${receiver.port}/resolved`,
      payload: { body: '{}' }, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(outcome).toMatchObject({ outcome: 'failed' });
    expect((outcome as { reason: string }).reason).toMatch(/resolves to a refused address/);
    expect(receiver.calls.length).toBe(before);
  });
});

describe('the webhook channel', () => {
  const send = (target: string, timeoutMs = 300) => createWebhookChannel({ allowPrivateNetworks: true, timeoutMs }).send({
    id: 'a9c1d2e3-0000-4000-8000-000000000002', channel: 'webhook', target, payload: { body: '{}' }, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });

  it('a hanging or trickling endpoint is a retry after the timeout; a refused connection too', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write('.'), 50); // headers sent, body never ends
      res.on('close', () => clearInterval(drip));
    });
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      expect(await send(`http://127.0.0.1:${(hanging.address() as { port: number }).port}/`)).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/no answer within 300 ms/) });
      expect(Date.now() - started).toBeLessThan(2_000);
      // 2xx headers count as delivered; the body does not matter.
      expect(await send(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)).toEqual({ outcome: 'delivered' });
      expect(await send('http://127.0.0.1:1/')).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/network error/) });
    } finally {
      server.closeAllConnections();
      hanging.closeAllConnections();
      server.close();
      hanging.close();
    }
  });

  it('429 with Retry-After asks for that delay', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await send(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)).toEqual({ outcome: 'retry', error: 'HTTP 429 from the endpoint', afterMs: 7_000 });
    } finally {
      server.close();
    }
  });
});

// The webhook channel: one signed POST of a body rendered earlier (standard, slack or teams), its
// answer classified per §2.6. Every format is sent the same way; formats only render bodies.
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, RefusedTarget, refusedUrl, type TargetPolicy } from './ssrf';
import { truncate, type Channel, type SendableDelivery } from './types';

export interface WebhookChannelOptions extends TargetPolicy {
  timeoutMs?: number;
  now?: () => Date;
}

type WebhookDelivery = Extract<SendableDelivery, { channel: 'webhook' }>;

/** Standard Webhooks headers for one attempt: the id is the delivery's, the timestamp the attempt's. */
export function signatureHeaders(delivery: { id: string; secret: string }, body: string, at: Date): Record<string, string> {
  const signature = new Webhook(delivery.secret).sign(delivery.id, at, body);
  return { 'webhook-id': delivery.id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

const retryAfterMs = (value: string | string[] | undefined): number | undefined => {
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3_600) * 1_000 : undefined;
};

export function createWebhookChannel(options: WebhookChannelOptions): Channel<WebhookDelivery> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  return {
    name: 'webhook',
    async send(delivery) {
      const refused = refusedUrl(delivery.target, options);
      if (refused) return { outcome: 'failed', reason: `target refused: ${refused}` };
      const url = new URL(delivery.target);
      const body = delivery.payload.body;
      const headers = {
        'content-type': 'application/json', 'user-agent': 'backup-monitor-webhooks/1',
        'content-length': String(Buffer.byteLength(body)), ...signatureHeaders(delivery, body, now()),
      };
      const transport = url.protocol === 'https:' ? https : http;
      return new Promise((resolve) => {
        const request = transport.request(url, { method: 'POST', headers, lookup: guardedLookup(options), timeout: timeoutMs }, (response) => {
          response.resume(); // the answer's body is not needed; drain it so the socket closes
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ outcome: 'delivered' });
          const error = `HTTP ${status} from the endpoint`;
          if (status === 410) return resolve({ outcome: 'failed', reason: `${error} (Gone): webhook disabled`, disable: true });
          if (status === 408 || status === 429 || status >= 500) {
            return resolve({ outcome: 'retry', error, afterMs: retryAfterMs(response.headers['retry-after']) });
          }
          return resolve({ outcome: 'failed', reason: error });
        });
        // The socket's idle timeout alone would let a trickling endpoint hold the call: bound the whole call.
        const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        request.on('close', () => clearTimeout(timer));
        request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on('error', (error) => {
          if (error instanceof RefusedTarget) return resolve({ outcome: 'failed', reason: `target refused: ${error.message}` });
          resolve({ outcome: 'retry', error: truncate(`network error: ${error.message}`) });
        });
        request.end(body);
      });
    },
  };
}

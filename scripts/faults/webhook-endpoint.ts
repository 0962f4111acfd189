// The webhook endpoints of the fault suite, in the suite's process: one HTTP server, one path per
// webhook. It verifies every call as a receiver would, with the `standardwebhooks` package and the
// secret shown once at creation, and records it by `webhook-id`. A path can be told to answer 500
// or to hang (never answer: the sender's 10 s timeout must fire) for a while.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { listenOnLoopback } from '../../tests/support/loopback-server';

export type EndpointMode = 'ok' | 500 | 'hang';

export interface WebhookCall {
  path: string;
  webhookId: string;
  body: string;
  /** The signature verified against the path's secret (and the timestamp is recent). */
  verified: boolean;
  answered: number | 'hang';
}

export async function startWebhookEndpoints() {
  const calls: WebhookCall[] = [];
  const secrets = new Map<string, string>();
  const modes = new Map<string, EndpointMode>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : '');
      const secret = secrets.get(path);
      let verified = false;
      try {
        if (secret) {
          new Webhook(secret).verify(body, {
            'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature'),
          });
          verified = true;
        }
      } catch {
        verified = false;
      }
      const mode = modes.get(path) ?? 'ok';
      const call: WebhookCall = { path, webhookId: header('webhook-id'), body, verified, answered: mode === 'ok' ? 200 : mode };
      calls.push(call);
      if (mode === 'hang') return; // the socket stays open until the sender gives up
      res.writeHead(call.answered as number, { 'content-type': 'text/plain' }).end(mode === 'ok' ? 'ok' : 'no');
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    calls,
    url: (path: string) => `${listening.baseUrl}${path}`,
    /** Registers the secret a webhook's creation answered (shown only then). */
    register: (path: string, secret: string) => void secrets.set(path, secret),
    setMode: (paths: string[], mode: EndpointMode) => paths.forEach((path) => modes.set(path, mode)),
    async stop() {
      await listening.stop();
    },
  };
}

export type WebhookEndpoints = Awaited<ReturnType<typeof startWebhookEndpoints>>;

// Webhook endpoints for the bench, in the bench process: every path under /hook/ answers 204 at
// once and records when it accepted each request, except paths under /hang/, which read the
// request and never answer (the worker's 10 s delivery timeout ends each attempt). Bodies are not
// kept: only the `webhook-id` header (the delivery id) and the alert id and type of the standard body.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../tests/support/loopback-server';

export interface AcceptedWebhook {
  /** The `webhook-id` header: the delivery's id (deliveries.id). */
  deliveryId: string;
  path: string;
  /** Date.now() when the body was read and the 204 sent. */
  acceptedAt: number;
  type: string | null;
  alertId: string | null;
}

export interface HangingRequest {
  deliveryId: string;
  path: string;
  receivedAt: number;
}

export interface WebhookReceiver {
  baseUrl: string;
  /** Every accepted request, in order. */
  accepted: AcceptedWebhook[];
  /** Requests to /hang/… held open (each attempt of a hanging endpoint). */
  hanging: HangingRequest[];
  /** The first accepted `alert.raised` per (alert id, path). */
  raised(alertId: string, path?: string): AcceptedWebhook | undefined;
  url(path: string): string;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parse(raw: string): { type: string | null; alertId: string | null } {
  try {
    const body = JSON.parse(raw) as { type?: unknown; data?: { alert?: { id?: unknown } } };
    return {
      type: typeof body.type === 'string' ? body.type : null,
      alertId: typeof body.data?.alert?.id === 'string' ? body.data.alert.id : null,
    };
  } catch {
    return { type: null, alertId: null };
  }
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const accepted: AcceptedWebhook[] = [];
  const hanging: HangingRequest[] = [];
  const raisedBy = new Map<string, AcceptedWebhook>();
  const held = new Set<ServerResponse>();

  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    const deliveryId = String(req.headers['webhook-id'] ?? '');
    const raw = await readBody(req);
    if (req.method !== 'POST') return void res.writeHead(405).end();
    if (path.startsWith('/hang/')) {
      hanging.push({ deliveryId, path, receivedAt: Date.now() });
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (!path.startsWith('/hook/')) return void res.writeHead(404).end();
    res.writeHead(204).end();
    const record: AcceptedWebhook = { deliveryId, path, acceptedAt: Date.now(), ...parse(raw) };
    accepted.push(record);
    if (record.type === 'alert.raised' && record.alertId) {
      for (const key of [`${record.alertId} ${path}`, record.alertId]) if (!raisedBy.has(key)) raisedBy.set(key, record);
    }
  });
  server.keepAliveTimeout = 30_000;
  server.requestTimeout = 0; // a hanging endpoint is the point: Node must not answer 408 for it
  const listening = await listenOnLoopback(server);
  const { baseUrl } = listening;
  return {
    baseUrl,
    accepted,
    hanging,
    raised: (alertId, path) => raisedBy.get(path ? `${alertId} ${path}` : alertId),
    url: (path) => `${baseUrl}${path}`,
    async stop() {
      held.clear();
      await listening.stop();
    },
  };
}

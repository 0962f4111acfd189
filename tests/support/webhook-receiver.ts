// A real HTTP endpoint for webhook tests: records every call, answers scripted statuses, and
// verifies Standard Webhooks signatures with its own HMAC (node:crypto), not the sender's library.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
  /** Date.now() when the request had been read. */
  at: number;
}

/** True when `webhook-signature` holds a v1 HMAC-SHA256 of "{id}.{timestamp}.{body}" under the secret. */
export function verifySignature(secret: string, call: Pick<ReceivedCall, 'headers' | 'body'>): boolean {
  const id = call.headers['webhook-id'];
  const timestamp = call.headers['webhook-timestamp'];
  const header = call.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof header !== 'string') return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${call.body}`).digest();
  return header.split(' ').some((part) => {
    const [version, signature] = part.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function startWebhookReceiver() {
  const calls: ReceivedCall[] = [];
  const scripts = new Map<string, number[]>();
  const hanging = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (hanging.has(path)) {
        calls.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: 0, at: Date.now() });
        return;
      }
      const status = scripts.get(path)?.shift() ?? 200;
      calls.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    calls,
    callsTo: (path: string) => calls.filter((c) => c.path === path),
    /** The next calls to `path` answer these statuses, then 200. */
    script: (path: string, statuses: number[]) => void scripts.set(path, [...statuses]),
    /** Calls to `path` are read and never answered (`answered: 0`). */
    hang: (path: string) => void hanging.add(path),
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

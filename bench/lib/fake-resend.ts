// A lean stand-in for Resend's POST /emails for the bench: it answers like the real API (ids,
// idempotency keys that return the first answer) and records when each email was accepted, but
// keeps no bodies, so ten thousand emails cost little memory in the bench process.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOnLoopback, readBody } from '../../scripts/lib/loopback-server';

export interface AcceptedEmail {
  id: string;
  /** Date.now() when the fake accepted the email (answered 200). */
  acceptedAt: number;
  idempotencyKey: string | null;
  to: string[];
  subject: string;
  bytes: number;
}

export interface BenchResend {
  baseUrl: string;
  accepted: AcceptedEmail[];
  byId: Map<string, AcceptedEmail>;
  /** Requests answered with the id of an earlier email (a retried idempotency key). */
  repeats(): number;
  stop(): Promise<void>;
}

export async function startBenchResend(): Promise<BenchResend> {
  const accepted: AcceptedEmail[] = [];
  const byId = new Map<string, AcceptedEmail>();
  const byKey = new Map<string, string>();
  let repeats = 0;

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== '/emails') return send(404, { statusCode: 404, name: 'not_found', message: 'no route' });
    let email: { to?: string | string[]; subject?: string; from?: string };
    try {
      email = JSON.parse(raw);
    } catch {
      return send(422, { statusCode: 422, name: 'validation_error', message: 'body is not JSON' });
    }
    const to = Array.isArray(email.to) ? email.to : email.to ? [email.to] : [];
    if (!email.from || to.length === 0 || !email.subject) {
      return send(422, { statusCode: 422, name: 'validation_error', message: 'from, to and subject are required' });
    }
    const key = (req.headers['idempotency-key'] as string | undefined) || null;
    const known = key ? byKey.get(key) : undefined;
    if (known) {
      repeats += 1;
      return send(200, { id: known });
    }
    const id = randomUUID();
    if (key) byKey.set(key, id);
    const record: AcceptedEmail = { id, acceptedAt: Date.now(), idempotencyKey: key, to, subject: email.subject, bytes: raw.length };
    accepted.push(record);
    byId.set(id, record);
    send(200, { id });
  });
  server.keepAliveTimeout = 30_000;
  const listening = await listenOnLoopback(server);
  return {
    baseUrl: listening.baseUrl,
    accepted,
    byId,
    repeats: () => repeats,
    async stop() {
      await listening.stop();
    },
  };
}

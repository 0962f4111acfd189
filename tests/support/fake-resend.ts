// A local stand-in for the Resend API (POST /emails), close enough to exercise the real SDK:
// Resend-shaped error bodies, idempotency keys that return the first answer, scripted failures.
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../../scripts/lib/loopback-server';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string>;
  idempotencyKey: string | null;
  body: unknown;
  /** What the fake answered; 'hang' when it never did. */
  answered: number | 'hang';
}

export interface Delivery {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
}

/** 'accept-then-hang' delivers the email but never answers: a crash after the provider accepted. */
export type ScriptStep = number | 'hang' | 'accept-then-hang';

export interface FakeResend {
  baseUrl: string;
  /** Every request, in arrival order, including failed and repeated ones. */
  requests: RecordedRequest[];
  /** Emails actually accepted: a repeated idempotency key is not a new delivery. */
  deliveries: Delivery[];
  /** The next requests answer these statuses in order (then 200 again); 'hang' never answers. */
  script(steps: ScriptStep[]): void;
  reset(): void;
  stop(): Promise<void>;
}

const ERROR_NAMES: Record<number, string> = {
  400: 'invalid_parameter',
  401: 'missing_api_key',
  403: 'invalid_api_key',
  404: 'not_found',
  409: 'invalid_idempotent_request',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
};

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, name?: string) {
  sendJson(res, status, { statusCode: status, name: name ?? ERROR_NAMES[status] ?? 'internal_server_error', message });
}

export async function startFakeResend(): Promise<FakeResend> {
  const requests: RecordedRequest[] = [];
  const deliveries: Delivery[] = [];
  const byKey = new Map<string, { id: string; payload: string }>();
  let steps: ScriptStep[] = [];

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      // kept raw: a malformed body is recorded as sent
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
    );
    const idempotencyKey = headers['idempotency-key'] || null;
    const record: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers, idempotencyKey, body, answered: 200 };
    requests.push(record);
    const answer = (status: number) => {
      record.answered = status;
    };

    const step = steps.shift();
    if (step === 'hang') {
      record.answered = 'hang';
      return; // the socket stays open until the client gives up or stop() destroys it
    }
    if (typeof step === 'number' && step !== 200) {
      answer(step);
      return sendError(res, step, `scripted ${step}`);
    }
    if (req.method !== 'POST' || req.url !== '/emails') {
      answer(404);
      return sendError(res, 404, `no route ${req.method} ${req.url}`);
    }
    if (!/^Bearer \S+/.test(headers.authorization ?? '')) {
      answer(401);
      return sendError(res, 401, 'Missing API key in the authorization header.');
    }
    const email = (body ?? {}) as Partial<Delivery>;
    const to = Array.isArray(email.to) ? email.to : email.to ? [email.to] : [];
    if (!email.from || to.length === 0 || !email.subject || (!email.html && !email.text)) {
      answer(422);
      return sendError(res, 422, 'The `from`, `to`, `subject` and `html` or `text` fields are required.');
    }
    if (idempotencyKey) {
      const seen = byKey.get(idempotencyKey);
      if (seen && seen.payload !== raw) {
        answer(409);
        return sendError(res, 409, 'Same idempotency key used with a different request payload.');
      }
      if (seen) return sendJson(res, 200, { id: seen.id });
    }
    const id = randomUUID();
    if (idempotencyKey) byKey.set(idempotencyKey, { id, payload: raw });
    deliveries.push({ id, idempotencyKey, from: email.from, to, subject: email.subject, html: email.html, text: email.text });
    if (step === 'accept-then-hang') {
      record.answered = 'hang';
      return;
    }
    sendJson(res, 200, { id });
  });
  const listening = await listenOnLoopback(server);

  return {
    baseUrl: listening.baseUrl,
    requests,
    deliveries,
    script(next) {
      steps = [...next];
    },
    reset() {
      requests.length = 0;
      deliveries.length = 0;
      byKey.clear();
      steps = [];
    },
    async stop() {
      await listening.stop();
    },
  };
}

export { startFakeResend as start };

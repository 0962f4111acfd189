// The webhook endpoint of the integration tests, the bench and the fault suite, in the caller's
// process: one HTTP server on a loopback port that records every call and answers each path as
// told. The sender is always this project's worker, so each record also carries what the callers
// check it by: the delivery id (`webhook-id`) and the event and alert of a standard-format body.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from './loopback-server';

/** A status to send, or 'hang': read the request and never answer (the sender's timeout must fire). */
export type Answer = number | 'hang';

export interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  /** The `webhook-id` header: the delivery's id ('' when absent). */
  webhookId: string;
  /** '' when the receiver was started with `keepBodies: false`. */
  body: string;
  /** `type` and `data.alert.id` of a standard-format body; null for Slack/Teams bodies. */
  type: string | null;
  alertId: string | null;
  answered: Answer;
  /** Date.now() when the request had been read (and answered, unless it hangs). */
  at: number;
}

export interface WebhookReceiverOptions {
  /** What a path answers when nothing was scripted or set for it; 200 when not given. */
  answer?: (path: string) => Answer;
  /** false: drop each body once its event is parsed, so a long bench run does not hold them all. */
  keepBodies?: boolean;
}

export const wasAccepted = (call: Pick<ReceivedCall, 'answered'>) =>
  typeof call.answered === 'number' && call.answered >= 200 && call.answered < 300;

// Standard Webhooks' tolerance, measured from the arrival rather than from now: the fault suite
// checks its calls minutes after they came.
const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/**
 * True when `webhook-signature` holds a v1 HMAC-SHA256 of "{id}.{timestamp}.{body}" under the
 * secret and the timestamp was recent on arrival. Computed here with node:crypto rather than with
 * the `standardwebhooks` package the sender signs with, so a misuse of that package cannot cancel out.
 */
export function verifySignature(secret: string | undefined, call: Pick<ReceivedCall, 'headers' | 'body' | 'at'>): boolean {
  const id = call.headers['webhook-id'];
  const timestamp = call.headers['webhook-timestamp'];
  const header = call.headers['webhook-signature'];
  if (!secret || typeof id !== 'string' || typeof timestamp !== 'string' || typeof header !== 'string') return false;
  if (!(Math.abs(call.at - Number(timestamp) * 1000) <= TIMESTAMP_TOLERANCE_MS)) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${call.body}`).digest();
  return header.split(' ').some((part) => {
    const [version, signature] = part.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function eventOf(body: string): Pick<ReceivedCall, 'type' | 'alertId'> {
  try {
    const parsed = JSON.parse(body) as { type?: unknown; data?: { alert?: { id?: unknown } } };
    return {
      type: typeof parsed.type === 'string' ? parsed.type : null,
      alertId: typeof parsed.data?.alert?.id === 'string' ? parsed.data.alert.id : null,
    };
  } catch {
    return { type: null, alertId: null };
  }
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}) {
  const calls: ReceivedCall[] = [];
  const scripts = new Map<string, Answer[]>();
  const standing = new Map<string, Answer>();
  // The bench polls "has this alert's webhook arrived?" for thousands of alerts: an index, not a scan.
  const raisedBy = new Map<string, ReceivedCall>();
  const answerFor = (path: string): Answer => scripts.get(path)?.shift() ?? standing.get(path) ?? options.answer?.(path) ?? 200;

  // Events rather than `for await`: a sender killed mid-request must not become an unhandled rejection.
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const webhookId = req.headers['webhook-id'];
      const answered = req.method === 'POST' ? answerFor(path) : 405;
      const call: ReceivedCall = {
        path, headers: req.headers, webhookId: typeof webhookId === 'string' ? webhookId : '',
        body: options.keepBodies === false ? '' : body, ...eventOf(body), answered, at: Date.now(),
      };
      calls.push(call);
      const raisedKey = `${call.alertId} ${path}`;
      if (call.type === 'alert.raised' && call.alertId && wasAccepted(call) && !raisedBy.has(raisedKey)) raisedBy.set(raisedKey, call);
      if (answered === 'hang') return; // the socket stays open until the sender gives up or stop()
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'no');
    });
  });
  server.requestTimeout = 0; // a hanging path is the point: Node must not answer 408 for it
  server.keepAliveTimeout = 30_000; // the worker reuses its connections between bursts of deliveries
  const listening = await listenOnLoopback(server);
  return {
    port: listening.port,
    url: (path: string) => `${listening.baseUrl}${path}`,
    /** Every call, in arrival order. */
    calls,
    callsTo: (path: string) => calls.filter((c) => c.path === path),
    /** The first accepted `alert.raised` of the alert at `path`. */
    raised: (alertId: string, path: string) => raisedBy.get(`${alertId} ${path}`),
    /** The next calls to `path` get these answers, then its standing one. */
    script: (path: string, answers: Answer[]) => void scripts.set(path, [...answers]),
    /** From now on `paths` answer this (until set again). */
    setAnswer: (paths: string | string[], answer: Answer) => {
      for (const path of typeof paths === 'string' ? [paths] : paths) standing.set(path, answer);
    },
    stop: () => listening.stop(),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

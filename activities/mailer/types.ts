export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** The same key on every attempt of one logical email, so the provider can drop repeats. */
  idempotencyKey: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ providerId: string }>;
}

/** A mailer with a label for logs and start-up banners. */
export type NamedMailer = Mailer & { readonly transport: 'resend' | 'smtp' };

/** Default per-call limit: long enough for a slow provider, short enough to stay inside an activity's timeout. */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/**
 * A failed send, classified: `retryable` errors (rate limits, provider outages, network trouble,
 * timeouts) may succeed later; the others (a rejected address, a bad API key) never will.
 */
export class MailerError extends Error {
  override readonly name = 'MailerError';
  readonly retryable: boolean;
  /** HTTP status (Resend) or SMTP reply code, when the provider answered. */
  readonly status: number | null;
  /** Provider error name (`validation_error`) or Node/nodemailer code (`ECONNREFUSED`). */
  readonly code: string | null;

  constructor(message: string, details: { retryable: boolean; status?: number | null; code?: string | null; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.retryable = details.retryable;
    this.status = details.status ?? null;
    this.code = details.code ?? null;
  }
}

/** Rejects with a retryable timeout error when `work` takes longer than `ms`, aborting `controller`. */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new MailerError(`email provider did not answer within ${ms} ms`, { retryable: true, code: 'TIMEOUT' });
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    // The race, not only the signal: a transport that ignores the signal must not hang the activity.
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

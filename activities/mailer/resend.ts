import { Resend } from 'resend';
import { DEFAULT_SEND_TIMEOUT_MS, MailerError, withTimeout, type MailMessage, type NamedMailer } from './types';

export const RESEND_MAX_RECIPIENTS = 50;

export interface ResendMailerOptions {
  apiKey: string;
  /**
   * Resend's API root. The SDK reads RESEND_BASE_URL from the environment in its constructor
   * only when this is undefined, so passing it here keeps each instance independent of globals.
   */
  baseUrl?: string;
  timeoutMs?: number;
}

// Errors Resend answers with a 4xx that no retry can fix. Resend's error body carries both
// `statusCode` and `name`; the name is the fallback when a proxy drops the status.
const PERMANENT = new Set([
  'validation_error', 'missing_required_field', 'invalid_from_address', 'invalid_parameter', 'invalid_attachment',
  'invalid_api_key', 'missing_api_key', 'restricted_api_key', 'invalid_access', 'invalid_region', 'not_found',
  'method_not_allowed', 'invalid_idempotency_key', 'invalid_idempotent_request', 'security_error',
]);

/** 408/409-in-flight/429/5xx and "no status at all" (the SDK's shape for network errors) are transient. */
export function isRetryableResendError(status: number | null | undefined, name: string | undefined): boolean {
  if (name === 'concurrent_idempotent_requests') return true; // the same key is still being processed
  if (typeof status === 'number' && status > 0) return status === 408 || status === 429 || status >= 500;
  return !(name && PERMANENT.has(name));
}

export function createResendMailer(options: ResendMailerOptions): NamedMailer {
  if (!options.apiKey) throw new Error('createResendMailer: apiKey is required');
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;

  async function sendOne(message: MailMessage): Promise<string> {
    const result = await withTimeout(timeoutMs, async (signal) => {
      // The SDK turns every thrown fetch error (abort included) into `{ error }`; it never throws.
      const response = await resend.emails.send(
        { from: message.from, to: message.to, subject: message.subject, html: message.html, text: message.text },
        { idempotencyKey: message.idempotencyKey, signal },
      );
      if (signal.aborted) throw signal.reason;
      return response;
    });
    if (result.error) {
      const { statusCode, name, message: text } = result.error;
      const status = typeof statusCode === 'number' ? statusCode : null;
      throw new MailerError(`Resend ${status ?? 'request'} failed: ${name ?? 'error'}: ${text ?? 'no message'}`, {
        retryable: isRetryableResendError(status, name),
        status,
        code: name ?? null,
      });
    }
    if (!result.data?.id) throw new MailerError('Resend answered without an email id', { retryable: true });
    return result.data.id;
  }

  return {
    transport: 'resend',
    async send(message) {
      // Resend takes at most 50 addresses per email. Each chunk has its own stable key, so a retry
      // after a partial failure re-sends only the chunks the provider has not seen yet.
      const chunks: string[][] = [];
      for (let i = 0; i < message.to.length; i += RESEND_MAX_RECIPIENTS) chunks.push(message.to.slice(i, i + RESEND_MAX_RECIPIENTS));
      const ids: string[] = [];
      for (const [index, to] of chunks.entries()) {
        const idempotencyKey = chunks.length === 1 ? message.idempotencyKey : `${message.idempotencyKey}/${index + 1}`;
        ids.push(await sendOne({ ...message, to, idempotencyKey }));
      }
      return { providerId: ids.join(',') };
    },
  };
}

import { Resend } from 'resend';
import { truncate, type Channel, type SendableDelivery } from './types';

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

export interface ResendChannelOptions {
  apiKey: string;
  baseUrl?: string;
  from: string;
  timeoutMs?: number;
}

type EmailDelivery = Extract<SendableDelivery, { channel: 'email' }>;

/** One email to one address; the delivery id is the idempotency key, so a retry is never a second email. */
export function createResendChannel(options: ResendChannelOptions): Channel<EmailDelivery> {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: 'email-resend',
    async send(delivery) {
      const { subject, html, text } = delivery.payload;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const result = await resend.emails.send(
          { from: options.from, to: [delivery.target], subject, html, text },
          { idempotencyKey: delivery.id, signal: controller.signal } as never,
        );
        if (controller.signal.aborted) return { outcome: 'retry', error: `Resend did not answer within ${timeoutMs} ms`, unknown: true };
        if (result.error) {
          const { statusCode, name, message } = result.error as { statusCode?: number | null; name?: string; message?: string };
          const status = typeof statusCode === 'number' ? statusCode : null;
          const error = truncate(`Resend ${status ?? 'request'} failed: ${name ?? 'error'}: ${message ?? 'no message'}`);
          return isRetryableResendError(status, name) ? { outcome: 'retry', error } : { outcome: 'failed', reason: error };
        }
        if (!result.data?.id) return { outcome: 'retry', error: 'Resend answered without an email id' };
        return { outcome: 'delivered', providerId: result.data.id };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

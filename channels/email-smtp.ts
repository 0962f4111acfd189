import nodemailer from 'nodemailer';
import { truncate, type Channel, type SendableDelivery } from './types';

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

// Connection trouble and SMTP 4xx replies are transient by definition (RFC 5321 §4.2.1);
// 5xx replies (unknown mailbox, rejected sender, failed authentication) are permanent.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETLS']);

// After the connection is up, these may hide a message the server accepted: outcome unknown.
const MAYBE_ACCEPTED = new Set(['ETIMEDOUT', 'ESOCKET', 'ECONNRESET', 'EPIPE']);

export function classifySmtpError(error: unknown): { retryable: boolean; unknown: boolean; message: string } {
  const failure = (error ?? {}) as SmtpFailure;
  const status = typeof failure.responseCode === 'number' ? failure.responseCode : null;
  const retryable = status !== null ? status < 500 : failure.code ? TRANSIENT_CODES.has(failure.code) : true;
  const unknown = retryable && status === null && MAYBE_ACCEPTED.has(failure.code ?? '');
  return { retryable, unknown, message: `${unknown ? 'outcome unknown: ' : ''}SMTP send failed: ${failure.message ?? String(error)}` };
}

export interface SmtpChannelOptions {
  url: string;
  from: string;
  timeoutMs?: number;
}

type EmailDelivery = Extract<SendableDelivery, { channel: 'email' }>;

/** The Message-ID of a delivery: the same on every attempt, so a resend after an unknown outcome folds. */
export const messageIdOf = (deliveryId: string) => `<${deliveryId}@backup-monitor>`;

/**
 * SMTP has no idempotency keys. The Message-ID is the delivery id; a send that times out after
 * the server may have accepted it is reported as an unknown outcome and retried under that same
 * id. Each send gets its own transport, closed on timeout, so a stuck send cannot keep running.
 */
export function createSmtpChannel(options: SmtpChannelOptions): Channel<EmailDelivery> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: 'email-smtp',
    async send(delivery) {
      const transporter = nodemailer.createTransport({
        // The socket's own limits sit past ours, so a stall ends in the timeout below, read as unknown.
        url: options.url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs + 1_000,
      } as never);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
      const sending = transporter.sendMail({
        from: options.from, to: [delivery.target], subject: delivery.payload.subject,
        html: delivery.payload.html, text: delivery.payload.text, messageId: messageIdOf(delivery.id),
        headers: { 'X-Delivery-Id': delivery.id },
      });
      // A send abandoned on timeout may still reject later: nobody waits for it then.
      sending.catch(() => {});
      try {
        const result = await Promise.race([sending.then(() => 'sent' as const), timeout]);
        if (result === 'timeout') {
          return { outcome: 'retry', error: `outcome unknown: the SMTP server did not answer within ${timeoutMs} ms; resent only as ${messageIdOf(delivery.id)}`, unknown: true };
        }
        return { outcome: 'delivered', providerId: messageIdOf(delivery.id) };
      } catch (error) {
        const classified = classifySmtpError(error);
        const message = truncate(classified.message);
        if (!classified.retryable) return { outcome: 'failed', reason: message };
        return { outcome: 'retry', error: message, unknown: classified.unknown };
      } finally {
        clearTimeout(timer);
        transporter.close();
      }
    },
  };
}

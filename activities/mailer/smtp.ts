import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DEFAULT_SEND_TIMEOUT_MS, MailerError, withTimeout, type NamedMailer } from './types';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`; nodemailer reads further options from its query. */
  url: string;
  timeoutMs?: number;
}

/**
 * SMTP has no idempotency keys. A Message-ID derived from the key makes every retry of one
 * logical email carry the same id, which lets receiving systems and mail clients fold repeats;
 * the outbox row is what keeps us from sending a second time in the first place.
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'backup-monitor.local';
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${digest}@${domain}>`;
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

// Connection trouble and SMTP 4xx replies are transient by definition (RFC 5321 §4.2.1);
// 5xx replies (unknown mailbox, rejected sender, failed authentication) are permanent.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETLS']);

export function classifySmtpError(error: unknown): MailerError {
  if (error instanceof MailerError) return error;
  const failure = (error ?? {}) as SmtpFailure;
  const status = typeof failure.responseCode === 'number' ? failure.responseCode : null;
  const retryable = status !== null ? status < 500 : failure.code ? TRANSIENT_CODES.has(failure.code) : true;
  return new MailerError(`SMTP send failed: ${failure.message ?? String(error)}`, {
    retryable,
    status,
    code: failure.code ?? null,
    cause: error,
  });
}

export function createSmtpMailer(options: SmtpMailerOptions): NamedMailer & { close(): void } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  // Query parameters of the URL override these timeouts: nodemailer merges URL options last.
  const transportOptions: SMTPTransport.Options = {
    url: options.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  const transporter = nodemailer.createTransport(transportOptions);

  return {
    transport: 'smtp',
    async send(message) {
      const messageId = messageIdFor(message.idempotencyKey, message.from);
      try {
        const info = await withTimeout(timeoutMs, () =>
          transporter.sendMail({
            from: message.from,
            to: message.to,
            subject: message.subject,
            html: message.html,
            text: message.text,
            messageId,
            headers: { 'X-Idempotency-Key': message.idempotencyKey },
          }),
        );
        return { providerId: typeof info.messageId === 'string' && info.messageId ? info.messageId : messageId };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close: () => transporter.close(),
  };
}

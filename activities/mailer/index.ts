import type { Env } from '../../config/env';
import { createResendMailer } from './resend';
import { createSmtpMailer } from './smtp';
import type { NamedMailer } from './types';

export { RESEND_MAX_RECIPIENTS, createResendMailer, isRetryableResendError, type ResendMailerOptions } from './resend';
export { classifySmtpError, createSmtpMailer, messageIdFor, type SmtpMailerOptions } from './smtp';
export { DEFAULT_SEND_TIMEOUT_MS, MailerError, type MailMessage, type Mailer, type NamedMailer } from './types';

export type MailerEnv = Pick<Env, 'RESEND_API_KEY' | 'RESEND_BASE_URL' | 'SMTP_URL'>;

/** Resend when RESEND_API_KEY is set, else SMTP when SMTP_URL is set; anything else is a config error. */
export function createMailerFromEnv(env: MailerEnv, options: { timeoutMs?: number } = {}): NamedMailer {
  if (env.RESEND_API_KEY) {
    return createResendMailer({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL, timeoutMs: options.timeoutMs });
  }
  if (env.SMTP_URL) return createSmtpMailer({ url: env.SMTP_URL, timeoutMs: options.timeoutMs });
  throw new Error(
    'No email transport configured: set RESEND_API_KEY (optionally RESEND_BASE_URL) to send through Resend, ' +
      'or SMTP_URL (e.g. smtp://127.0.0.1:1025 for a local inbox) to send through SMTP.',
  );
}

import type { WebhookFormat } from '../domain/types';
import { slackFormat } from './webhook-slack';
import { standardFormat } from './webhook-standard';
import { teamsFormat } from './webhook-teams';
import type { WebhookFormatter } from './webhook-format';

export const WEBHOOK_FORMATTERS: Record<WebhookFormat, WebhookFormatter> = {
  standard: standardFormat,
  slack: slackFormat,
  teams: teamsFormat,
};
export type { Channel, SendableDelivery, SendOutcome } from './types';

import type { DeliveryChannels } from '../activities/deliveries';
import { createResendChannel } from './email-resend';
import { createSmtpChannel } from './email-smtp';
import { createWebhookChannel } from './webhook-http';

export interface ChannelEnv {
  RESEND_API_KEY?: string;
  RESEND_BASE_URL?: string;
  SMTP_URL?: string;
  EMAIL_FROM: string;
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: boolean;
}

/** Email through Resend when RESEND_API_KEY is set, else SMTP when SMTP_URL is set; webhooks always. */
export function createChannelsFromEnv(env: ChannelEnv, options: { timeoutMs?: number } = {}): DeliveryChannels & { transport: 'resend' | 'smtp' } {
  const webhook = createWebhookChannel({ allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS });
  if (env.RESEND_API_KEY) {
    return { transport: 'resend', webhook, email: createResendChannel({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL, from: env.EMAIL_FROM, timeoutMs: options.timeoutMs }) };
  }
  if (env.SMTP_URL) return { transport: 'smtp', webhook, email: createSmtpChannel({ url: env.SMTP_URL, from: env.EMAIL_FROM, timeoutMs: options.timeoutMs }) };
  throw new Error(
    'No email transport configured: set RESEND_API_KEY (optionally RESEND_BASE_URL) to send through Resend, ' +
      'or SMTP_URL (e.g. smtp://127.0.0.1:1025 for a local inbox) to send through SMTP.',
  );
}

// Schemas of the webhook and delivery routes (§4), beside the shared ones in schemas.ts.
import { z } from '@hono/zod-openapi';
import { CHANNELS, DELIVERY_STATUSES, SEVERITIES, WEBHOOK_EVENTS, WEBHOOK_FORMATS } from '../domain/types';
import * as example from './examples';
import { page, plainText, VaultParams } from './schemas';

const WEBHOOK_ID = '4f6c2a9e-1b7d-4c3e-9a8f-2d5e6b7c8a91';
const DELIVERY_ID = '9b1d7e3a-5c2f-4a6b-8d9e-0f1a2b3c4d5e';

const webhookExample = {
  id: WEBHOOK_ID, url: 'https://hooks.contoso.com/backup-monitor', format: 'standard', events: ['alert.raised', 'alert.resolved'],
  minSeverity: 'Warning', description: 'On-call pager relay', enabled: true, createdAt: '2025-03-10T08:00:00.000Z', createdBy: 'admin',
} as const;
const deliveryExample = {
  id: DELIVERY_ID, channel: 'webhook', target: webhookExample.url, event: 'alert.raised', alertId: example.ALERT_ID, status: 'Delivered',
  attempts: 3, lastError: null, createdAt: '2025-03-11T02:14:07.120Z', lastAttemptAt: '2025-03-11T02:14:13.480Z', deliveredAt: '2025-03-11T02:14:13.610Z',
} as const;

export const WebhookParams = VaultParams.extend({ webhookId: z.uuid('webhookId must be a UUID').openapi({ example: WEBHOOK_ID }) });

export const WebhookBody = z.object({
  url: z.string().max(2_048).openapi({ description: 'http or https; link-local and metadata addresses are refused, private ones unless allowed' }),
  format: z.enum(WEBHOOK_FORMATS).optional().openapi({ description: 'standard (signed JSON), slack (blocks) or teams (Adaptive Card); default standard' }),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional()
    .openapi({ description: 'Events to receive; default alert.raised and alert.resolved' }),
  minSeverity: z.enum(SEVERITIES).optional().openapi({ description: 'Only alerts at or above this severity; default Informational' }),
  description: plainText(500).nullable().optional(),
}).openapi({ example: { url: webhookExample.url, format: 'standard', events: ['alert.raised', 'alert.resolved'], minSeverity: 'Warning', description: 'On-call pager relay' } });

export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  events: z.array(z.string()),
  minSeverity: z.enum(SEVERITIES),
  description: z.string().nullable(),
  enabled: z.boolean().openapi({ description: 'False once the endpoint answered 410 Gone' }),
  createdAt: z.string(),
  createdBy: z.string(),
}).openapi('Webhook', { example: webhookExample });

export const CreatedWebhook = Webhook.extend({
  secret: z.string().openapi({ description: 'whsec_…: the signing secret, shown only in this answer' }),
}).openapi({ example: { ...webhookExample, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } });

export const WebhookList = z.object({ items: z.array(Webhook) }).openapi({ example: { items: [webhookExample] } });
export const TestAccepted = z.object({ deliveryId: z.string() }).openapi({ example: { deliveryId: DELIVERY_ID } });

export const Delivery = z.object({
  id: z.string().openapi({ description: 'Also the Resend idempotency key, the SMTP Message-ID and the webhook-id' }),
  channel: z.enum(CHANNELS),
  target: z.string(),
  event: z.string().openapi({ description: 'alert.raised, alert.acknowledged, alert.resolved, digest, welcome or test' }),
  alertId: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
}).openapi('Delivery', { example: deliveryExample });

export const DeliveryListQuery = z.object({
  channel: z.enum(CHANNELS).optional().openapi({ example: 'webhook' }),
  status: z.enum(DELIVERY_STATUSES).optional().openapi({ example: 'Pending' }),
  alertId: z.uuid().optional().openapi({ example: example.ALERT_ID }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ example: 50 }),
  cursor: z.string().max(512).optional().openapi({ description: 'The nextCursor of the previous page', example: example.pageOf(deliveryExample, deliveryExample.createdAt).nextCursor }),
});

export const DeliveryPage = page(Delivery, { items: [deliveryExample], nextCursor: null });

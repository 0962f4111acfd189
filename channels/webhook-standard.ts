import type { WebhookFormatter } from './webhook-format';

/** §2.6 standard body: `{type, timestamp, data: {alert}}` (the test event carries the vault instead). */
export const standardFormat: WebhookFormatter = {
  render: (event) => JSON.stringify({
    type: event.type,
    timestamp: event.timestamp,
    data: event.alert ? { alert: event.alert } : { vault: event.vault, message: 'Test event from Backup Monitor' },
  }),
};

import type { AlertView } from '../readmodel/alerts';

/** What a webhook body is made of; rendered once, when the delivery is first attempted. */
export interface WebhookEventData {
  type: 'alert.raised' | 'alert.acknowledged' | 'alert.resolved' | 'test';
  /** When the event happened (ISO 8601 UTC). */
  timestamp: string;
  alert: AlertView | null;
  vault: { id: string; name: string | null };
  /** Link to the alert (or the vault) in the console. */
  link: string;
}

export interface WebhookFormatter {
  render(event: WebhookEventData): string;
}

export const EVENT_TITLES: Record<WebhookEventData['type'], string> = {
  'alert.raised': 'Alert raised',
  'alert.acknowledged': 'Alert acknowledged',
  'alert.resolved': 'Alert resolved',
  test: 'Test event',
};

export function headline(event: WebhookEventData): string {
  const vault = event.vault.name ?? event.vault.id;
  if (!event.alert) return `${EVENT_TITLES[event.type]} from Backup Monitor for vault ${vault}`;
  const a = event.alert;
  return `${EVENT_TITLES[event.type]}: ${a.severity} ${a.scenario} on ${a.entityName} (${vault})`;
}

export function facts(event: WebhookEventData): { title: string; value: string }[] {
  const a = event.alert;
  if (!a) return [{ title: 'Vault', value: event.vault.id }];
  return [
    { title: 'Vault', value: event.vault.id },
    { title: 'Item', value: `${a.workloadType} ${a.entityName}` },
    { title: 'Severity', value: a.severity },
    { title: 'Status', value: a.status },
    ...(a.errorCode ? [{ title: 'Error', value: a.errorCode }] : []),
    { title: 'Raised', value: a.raisedAt },
  ];
}

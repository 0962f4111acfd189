// The channel interface (in the style of alertmanager's notifiers): a channel sends one delivery
// and says what happened. It knows nothing of retries, dedup, scheduling or the delivery log.

export interface EmailPayload {
  subject: string;
  html: string;
  text: string;
}

export interface WebhookPayload {
  /** The JSON body exactly as first rendered: every attempt sends these bytes. */
  body: string;
}

export type SendableDelivery =
  | { id: string; channel: 'email'; target: string; payload: EmailPayload }
  | { id: string; channel: 'webhook'; target: string; payload: WebhookPayload; secret: string };

export type SendOutcome =
  | { outcome: 'delivered'; providerId?: string }
  /** Try again later (`afterMs` when the endpoint said when); `unknown` when it may have been accepted. */
  | { outcome: 'retry'; afterMs?: number; error: string; unknown?: boolean }
  /** Never retried; `disable` also turns the webhook off (HTTP 410 Gone). */
  | { outcome: 'failed'; reason: string; disable?: boolean };

export interface Channel<D extends SendableDelivery = SendableDelivery> {
  readonly name: string;
  send(delivery: D): Promise<SendOutcome>;
}

export const truncate = (text: string, max = 500) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

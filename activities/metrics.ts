import type { Scenario, Severity } from '../domain/types';

/** What one delivery attempt came to: `retry` will be tried again, `failed` never. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/** Counters the activities feed; the worker backs them with prom-client, tests may leave them out. */
export interface ActivityMetrics {
  /** Once per job occurrence recorded: a retried activity that finds its first result counts nothing. */
  alertRaised(labels: { severity: Severity; scenario: Scenario; consolidated: boolean }): void;
  /** Once per delivery attempt, by channel (`email`, `webhook`). */
  delivery(labels: { channel: string; outcome: DeliveryOutcome }): void;
}

export const noMetrics: ActivityMetrics = { alertRaised() {}, delivery() {} };

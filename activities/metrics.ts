import type { Scenario, Severity } from '../domain/types';
import type { EmailKind } from '../emails/types';

/**
 * What happened to one logical email in one activity attempt. `already_sent` is a retry that found
 * the email sent by an earlier attempt (no new email); `error` will be retried; `rejected` never.
 */
export type EmailOutcome = 'sent' | 'already_sent' | 'skipped' | 'error' | 'rejected';

/** Counters the activities feed; the worker backs them with prom-client, tests may leave them out. */
export interface ActivityMetrics {
  /** Once per job occurrence recorded: a retried activity that finds its first result counts nothing. */
  alertRaised(labels: { severity: Severity; scenario: Scenario; consolidated: boolean }): void;
  email(labels: { kind: EmailKind; outcome: EmailOutcome }): void;
}

export const noMetrics: ActivityMetrics = { alertRaised() {}, email() {} };

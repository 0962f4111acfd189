// Shapes stored as JSON in Postgres and carried in messages; pure data, no behaviour.
import type { Scenario, Severity, WorkloadType } from './types';

/** Durations as given (`"24h"`); parse with `parseDuration`. */
export interface BackupPolicy {
  expectedEvery: string;
  grace: string;
}

export type ItemPolicy = BackupPolicy | { disabled: true };

/** A recipient as saved: a plain address, or an address with its own severity floor. */
export type RecipientSetting = string | { address: string; minSeverity: Severity };

export interface SilenceMatch {
  entityName?: string;
  workloadType?: WorkloadType;
  scenario?: Scenario;
  severity?: Severity;
}

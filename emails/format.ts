// Shared wording and formatting, so the HTML and plain-text parts of an email can never disagree.
import type { Scenario, Severity } from '../domain/types';
import { SCENARIO_FACTS } from '../domain/scenarios';
import { consolePaths, consoleUrl } from '../domain/console-links';
import type { AlertData, VaultRef } from './types';

export const SUBJECT_MAX_LENGTH = 200;

// C0/C1 controls (CR, LF, TAB, NUL, …), Unicode line/paragraph separators, bidi overrides and
// lone surrogates: any of them in a header can split it, break its encoding or make it read
// differently from what it says.
const UNSAFE_INLINE = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/** Collapses untrusted text to one safe line (no control characters, single spaces). */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_INLINE, ' ').replace(/\s+/g, ' ').trim();
}

/** A header-safe subject: one line, at most SUBJECT_MAX_LENGTH characters (never a split surrogate). */
export function sanitizeSubject(subject: string): string {
  const chars = Array.from(oneLine(subject));
  if (chars.length <= SUBJECT_MAX_LENGTH) return chars.join('');
  return `${chars.slice(0, SUBJECT_MAX_LENGTH - 1).join('').trimEnd()}…`;
}

/** Multi-line untrusted text for the plain-text part: keeps line breaks, drops other controls. */
export function multiLine(text: string, indent = '  '): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => indent + oneLine(line))
    .join('\n');
}

/** `2024-05-01 10:15:00 UTC`: unambiguous for recipients in any time zone. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return oneLine(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2024-05-01 10:00–11:00 UTC`, or both full dates when the window spans days. */
export function formatWindow(startIso: string, endIso: string): string {
  const start = formatUtc(startIso).replace(/:00 UTC$/, ' UTC');
  const end = formatUtc(endIso).replace(/:00 UTC$/, ' UTC');
  const [startDay, startTime] = start.split(' ');
  const [endDay, endTime] = end.split(' ');
  if (startDay && startDay === endDay && startTime && endTime) return `${startDay} ${startTime}–${endTime} UTC`;
  return `${start.replace(/ UTC$/, '')} – ${end}`;
}

export const vaultLabel = (vault: VaultRef): string => oneLine(vault.name?.trim() ? vault.name : vault.id);

// Every link opens the console page of what it names (domain/console-links.ts), never /v1: the
// JSON API answers 401 to a browser, the console signs the reader in.
export function alertUrl(publicUrl: string, alert: Pick<AlertData, 'vaultId' | 'id'>): string {
  return consoleUrl(publicUrl, consolePaths.alert(alert.vaultId, alert.id));
}

/** The console's alert list of a vault, filtered like the API's (`status`, `from`, `to`, …). */
export function alertListUrl(publicUrl: string, vaultId: string, query: Record<string, string> = {}): string {
  return consoleUrl(publicUrl, consolePaths.alerts(vaultId, query));
}

export const vaultUrl = (publicUrl: string, vaultId: string): string => consoleUrl(publicUrl, consolePaths.vault(vaultId));

export const reportUrl = (publicUrl: string, vaultId: string, from: string, to: string): string =>
  consoleUrl(publicUrl, consolePaths.report(vaultId, { from, to }));

export const itemUrl = (publicUrl: string, item: { vaultId: string; workloadType: string; entityName: string }): string =>
  consoleUrl(publicUrl, consolePaths.item(item.vaultId, item.workloadType, item.entityName));

export const SEVERITY_ORDER: readonly Severity[] = ['Critical', 'Warning', 'Informational'];
export const SEVERITY_COLOR: Record<Severity, string> = {
  Critical: '#b42318',
  Warning: '#b54708',
  Informational: '#175cd3',
};

/** What each scenario means to a recipient, from the one scenario-facts table. */
export const SCENARIO_DESCRIPTION: Record<Scenario, { severity: Severity; text: string }> = Object.fromEntries(
  Object.entries(SCENARIO_FACTS).map(([scenario, facts]) => [scenario, { severity: facts.severity, text: facts.text }]),
) as Record<Scenario, { severity: Severity; text: string }>;

/** `hour`, `30 minutes`, `2 hours`: the digest cadence in words. */
export function describeInterval(ms = 3_600_000): string {
  const units: Array<[number, string]> = [[3_600_000, 'hour'], [60_000, 'minute'], [1_000, 'second']];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const count = ms / size;
      return count === 1 ? name : `${count} ${name}s`;
    }
  }
  return `${ms} ms`;
}

export function countBySeverity(alerts: readonly Pick<AlertData, 'severity'>[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { Critical: 0, Warning: 0, Informational: 0 };
  for (const alert of alerts) counts[alert.severity] += 1;
  return counts;
}

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

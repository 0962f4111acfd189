import { consolePaths } from '../../domain/console-links';
import { normalizeRecipients } from '../../domain/recipients';

/** A query or form value when it is one of `allowed`; anything else means "no filter". */
export function oneOf<T extends string>(allowed: readonly T[], value: string | undefined): T | undefined {
  return allowed.find((item) => item === value);
}

export function pageSize(value: string | undefined, fallback = 20): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : fallback;
}

// Flash messages travel as codes, so a crafted link cannot make the console display arbitrary text.
export const FLASH = {
  inactivated: 'The alert is now Inactive.',
  acknowledged: 'The alert is now Acknowledged.',
  'silence-created': 'Maintenance window created.',
  'silence-deleted': 'Maintenance window deleted: what it held back and is still open is being notified.',
  'settings-saved': 'Notification settings saved.',
  'webhook-tested': 'A signed test event is on its way; follow it in the delivery log.',
  'webhook-deleted': 'The webhook was deleted.',
} as const;
export type FlashCode = keyof typeof FLASH;
export const flashText = (code: string | undefined) => (code && code in FLASH ? FLASH[code as FlashCode] : undefined);

export const vaultPath = consolePaths.vault;
export const alertPath = consolePaths.alert;

/**
 * Where a POST redirects: the page the form came from, but only a page of the same vault, so the
 * hidden field cannot turn the console into an open redirect.
 */
export function backTo(vaultId: string, back: unknown, fallback: string, flash: FlashCode): string {
  const base = 'http://console.invalid';
  let url = new URL(fallback, base);
  if (typeof back === 'string' && back.startsWith('/') && !back.startsWith('//')) {
    const candidate = new URL(back, base);
    const prefix = vaultPath(vaultId);
    if (candidate.origin === base && (candidate.pathname === prefix || candidate.pathname.startsWith(`${prefix}/`))) url = candidate;
  }
  url.searchParams.set('flash', flash);
  return `${url.pathname}${url.search}`;
}

export interface RecipientLine {
  line: number;
  address: string;
}

/** The textarea's lines; blank lines are dropped so a trailing newline is not an "empty address". */
export const recipientLines = (text: string): RecipientLine[] =>
  text.split(/\r?\n/).map((address, index) => ({ line: index + 1, address: address.trim() })).filter((entry) => entry.address !== '');

/**
 * The same validation the API applies, with problems pointing at textarea lines instead of the
 * API's array indexes (the lines are what the admin sees).
 */
export function checkRecipients(lines: readonly RecipientLine[]): string[] {
  const result = normalizeRecipients(lines.map((entry) => entry.address));
  if (result.ok) return [];
  return result.problems.map((problem) =>
    problem.replace(/^recipients\[(\d+)\]/, (_, index: string) => `Line ${lines[Number(index)]?.line ?? Number(index) + 1}:`));
}

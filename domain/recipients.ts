// Notification recipients (§2.3): individual addresses or distribution lists, which are just
// addresses too. The check is deliberately practical, not full RFC 5322: quoted local parts,
// comments, IP literals and display names are valid on paper but are almost always paste
// mistakes here, and some of them would let a value smuggle extra headers into an email.

export const MAX_RECIPIENTS = 100;
export const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const MAX_DOMAIN_LENGTH = 253;

export type AddressProblem =
  | 'Empty'
  | 'ControlCharacter'
  | 'Whitespace'
  | 'ListSeparator'
  | 'AngleBrackets'
  | 'TooLong'
  | 'NonAscii'
  | 'MissingAt'
  | 'MultipleAt'
  | 'InvalidLocalPart'
  | 'LocalPartTooLong'
  | 'DomainWithoutDot'
  | 'InvalidDomain';

const EXPLANATION: Record<AddressProblem, string> = {
  Empty: 'is empty',
  ControlCharacter: 'contains a control character (such as a line break)',
  Whitespace: 'contains a space',
  ListSeparator: 'contains a comma or semicolon: give one address per entry',
  AngleBrackets: 'contains < or >: give the bare address without a display name',
  TooLong: `is longer than ${MAX_ADDRESS_LENGTH} characters`,
  NonAscii: 'contains non-ASCII characters: use the punycode (xn--) form of the domain',
  MissingAt: 'has no @',
  MultipleAt: 'has more than one @',
  InvalidLocalPart: 'has an invalid part before the @',
  LocalPartTooLong: `has more than ${MAX_LOCAL_LENGTH} characters before the @`,
  DomainWithoutDot: 'needs a full domain after the @, such as contoso.com',
  InvalidDomain: 'has an invalid domain after the @',
};

// Dot-atom text of RFC 5322 §3.2.3: no quotes, no consecutive, leading or trailing dots.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LABEL = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export type AddressCheck = { valid: true } | { valid: false; reason: AddressProblem };

/** Checks one already-trimmed address. */
export function checkAddress(address: string): AddressCheck {
  const fail = (reason: AddressProblem): AddressCheck => ({ valid: false, reason });
  if (address === '') return fail('Empty');
  if (CONTROL.test(address)) return fail('ControlCharacter');
  if (/\s/.test(address)) return fail('Whitespace');
  if (/[,;]/.test(address)) return fail('ListSeparator');
  if (/[<>]/.test(address)) return fail('AngleBrackets');
  if (address.length > MAX_ADDRESS_LENGTH) return fail('TooLong');
  if (/[^\x21-\x7e]/.test(address)) return fail('NonAscii');

  const parts = address.split('@');
  if (parts.length < 2) return fail('MissingAt');
  if (parts.length > 2) return fail('MultipleAt');
  const [local = '', domain = ''] = parts;
  if (!LOCAL_PART.test(local)) return fail('InvalidLocalPart');
  if (local.length > MAX_LOCAL_LENGTH) return fail('LocalPartTooLong');

  const labels = domain.split('.');
  if (domain !== '' && labels.length < 2) return fail('DomainWithoutDot');
  const top = labels[labels.length - 1] ?? '';
  const labelsValid = labels.every((label) => LABEL.test(label)) && TOP_LABEL.test(top);
  if (domain.length > MAX_DOMAIN_LENGTH || !labelsValid) return fail('InvalidDomain');
  return { valid: true };
}

const key = (address: string) => address.trim().toLowerCase();

// Shows the offending value with control characters escaped and without flooding the message.
function shown(value: string): string {
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}…"` : json;
}

export type NormalizedRecipients = { ok: true; recipients: string[] } | { ok: false; problems: string[] };

/**
 * Trims, validates and de-duplicates case-insensitively (the first spelling wins), so that the
 * stored list is exactly what will be emailed. All problems are reported at once.
 */
export function normalizeRecipients(list: readonly string[]): NormalizedRecipients {
  const problems: string[] = [];
  const recipients: string[] = [];
  const seen = new Set<string>();
  list.forEach((raw, index) => {
    const address = raw.trim();
    const check = checkAddress(address);
    if (!check.valid) {
      problems.push(`recipients[${index}] ${shown(raw)} ${EXPLANATION[check.reason]}`);
      return;
    }
    if (seen.has(key(address))) return;
    seen.add(key(address));
    recipients.push(address);
  });
  if (recipients.length > MAX_RECIPIENTS) {
    problems.push(`at most ${MAX_RECIPIENTS} distinct recipients are allowed, got ${recipients.length}`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, recipients };
}

/** Recipients in `after` that `before` lacked, compared case-insensitively: they get a welcome email. */
export function newRecipients(before: readonly string[], after: readonly string[]): string[] {
  const known = new Set(before.map(key));
  const added: string[] = [];
  for (const address of after) {
    if (known.has(key(address))) continue;
    known.add(key(address));
    added.push(address.trim());
  }
  return added;
}

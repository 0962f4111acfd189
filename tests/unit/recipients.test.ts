import { describe, expect, it } from 'vitest';
import { checkAddress, MAX_RECIPIENTS, newRecipients, normalizeRecipients, type AddressProblem } from '../../domain/recipients';

const local64 = 'a'.repeat(64);
const label63 = 'b'.repeat(63);
// 64 + 1 + 63*3 + 3 dots... built to land exactly on 254 characters.
const exactly254 = `${local64}@${label63}.${label63}.${'c'.repeat(57)}.com`;
const over254 = `${local64}@${label63}.${label63}.${'c'.repeat(58)}.com`;

describe('checkAddress: valid addresses', () => {
  it.each([
    'admin@contoso.com',
    'backup-team@contoso.com',
    'Backup.Team@Contoso.COM',
    'first.last@sub.domain.contoso.co.uk',
    'ops+alerts@contoso.com',
    "o'brien@contoso.ie",
    'x@ab.io',
    'user_name@my-company.org',
    '1234@567.example',
    'a!#$%&*/=?^`{|}~-@contoso.com',
    'dl-backup@xn--bcher-kva.example',
    'admin@contoso.xn--p1ai',
    `${local64}@contoso.com`,
    `a@${label63}.com`,
  ])('%s', (address) => {
    expect(checkAddress(address)).toEqual({ valid: true });
  });

  it('accepts an address of exactly 254 characters', () => {
    expect(exactly254).toHaveLength(254);
    expect(checkAddress(exactly254)).toEqual({ valid: true });
  });
});

describe('checkAddress: invalid addresses', () => {
  it.each<[string, AddressProblem]>([
    ['', 'Empty'],
    ['admin@contoso.com\r\nBcc: evil@attacker.com', 'ControlCharacter'],
    ['admin@contoso.com\nx', 'ControlCharacter'],
    ['adm\u0000in@contoso.com', 'ControlCharacter'],
    ['adm\tin@contoso.com', 'ControlCharacter'],
    ['ad min@contoso.com', 'Whitespace'],
    ['admin@contoso .com', 'Whitespace'],
    ['admin@contoso\u00a0.com', 'Whitespace'],
    ['a@contoso.com,b@contoso.com', 'ListSeparator'],
    ['a@contoso.com;b@contoso.com', 'ListSeparator'],
    ['Admin <admin@contoso.com>', 'Whitespace'],
    ['<admin@contoso.com>', 'AngleBrackets'],
    ['admin@contoso.com>', 'AngleBrackets'],
    [over254, 'TooLong'],
    ['jörg@contoso.com', 'NonAscii'],
    ['admin@bücher.de', 'NonAscii'],
    ['admin', 'MissingAt'],
    ['admin.contoso.com', 'MissingAt'],
    ['a@b@contoso.com', 'MultipleAt'],
    ['"quoted"@contoso.com', 'InvalidLocalPart'],
    ['@contoso.com', 'InvalidLocalPart'],
    ['.admin@contoso.com', 'InvalidLocalPart'],
    ['admin.@contoso.com', 'InvalidLocalPart'],
    ['ad..min@contoso.com', 'InvalidLocalPart'],
    ['ad(min)@contoso.com', 'InvalidLocalPart'],
    [`${local64}a@contoso.com`, 'LocalPartTooLong'],
    ['admin@localhost', 'DomainWithoutDot'],
    ['admin@', 'InvalidDomain'],
    ['admin@contoso.', 'InvalidDomain'],
    ['admin@.contoso.com', 'InvalidDomain'],
    ['admin@contoso..com', 'InvalidDomain'],
    ['admin@-contoso.com', 'InvalidDomain'],
    ['admin@contoso-.com', 'InvalidDomain'],
    ['admin@con_toso.com', 'InvalidDomain'],
    ['admin@contoso.c', 'InvalidDomain'],
    ['admin@contoso.123', 'InvalidDomain'],
    ['admin@[10.0.0.1]', 'InvalidDomain'],
    ['admin@10.0.0.1', 'InvalidDomain'],
    [`a@${label63}b.com`, 'InvalidDomain'],
  ])('%j → %s', (address, reason) => {
    expect(checkAddress(address)).toEqual({ valid: false, reason });
  });
});

describe('normalizeRecipients', () => {
  it('trims and keeps the order', () => {
    expect(normalizeRecipients(['  ops@contoso.com ', '\tbackup-team@contoso.com\n'])).toEqual({
      ok: true,
      recipients: ['ops@contoso.com', 'backup-team@contoso.com'],
    });
  });

  it('de-duplicates case-insensitively, keeping the first spelling', () => {
    expect(normalizeRecipients(['Ops@Contoso.com', 'ops@contoso.com', ' OPS@CONTOSO.COM ', 'dl@contoso.com'])).toEqual({
      ok: true,
      recipients: ['Ops@Contoso.com', 'dl@contoso.com'],
    });
  });

  it('accepts an empty list', () => {
    expect(normalizeRecipients([])).toEqual({ ok: true, recipients: [] });
  });

  it('reports every bad entry with its position and a readable reason', () => {
    const result = normalizeRecipients(['ok@contoso.com', 'bad', 'a@b.com\r\nBcc: x@y.com', '   ']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(/^recipients\[1\] "bad" has no @$/);
    expect(result.problems[1]).toContain('recipients[2]');
    expect(result.problems[1]).toContain('\\r\\n');
    expect(result.problems[1]).not.toMatch(/[\r\n]/);
    expect(result.problems[2]).toMatch(/recipients\[3\].*is empty/);
  });

  it('keeps long values short in problems', () => {
    const result = normalizeRecipients([`${'x'.repeat(300)}@contoso.com`]);
    expect(!result.ok && result.problems[0]!.length).toBeLessThan(200);
  });

  it(`allows ${MAX_RECIPIENTS} distinct recipients`, () => {
    const list = Array.from({ length: MAX_RECIPIENTS }, (_, i) => `user${i}@contoso.com`);
    const result = normalizeRecipients(list);
    expect(result.ok && result.recipients).toHaveLength(MAX_RECIPIENTS);
  });

  it('counts the limit after de-duplication', () => {
    const list = Array.from({ length: MAX_RECIPIENTS }, (_, i) => `user${i}@contoso.com`);
    const result = normalizeRecipients([...list, ...list.map((a) => a.toUpperCase())]);
    expect(result.ok && result.recipients).toHaveLength(MAX_RECIPIENTS);
  });

  it(`refuses ${MAX_RECIPIENTS + 1} distinct recipients`, () => {
    const list = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `user${i}@contoso.com`);
    expect(normalizeRecipients(list)).toEqual({
      ok: false,
      problems: [`at most ${MAX_RECIPIENTS} distinct recipients are allowed, got ${MAX_RECIPIENTS + 1}`],
    });
  });
});

describe('newRecipients', () => {
  it.each<[string, string[], string[], string[]]>([
    ['nothing before', [], ['a@contoso.com', 'b@contoso.com'], ['a@contoso.com', 'b@contoso.com']],
    ['nothing after', ['a@contoso.com'], [], []],
    ['unchanged', ['a@contoso.com'], ['a@contoso.com'], []],
    ['respelled only', ['a@contoso.com'], ['A@Contoso.COM'], []],
    ['one added', ['a@contoso.com'], ['a@contoso.com', 'New@contoso.com'], ['New@contoso.com']],
    ['one removed, one added', ['a@contoso.com', 'b@contoso.com'], ['b@contoso.com', 'c@contoso.com'], ['c@contoso.com']],
    ['duplicate in after counted once', [], ['x@contoso.com', 'X@contoso.com'], ['x@contoso.com']],
    ['surrounding spaces ignored', [' a@contoso.com'], ['a@contoso.com ', ' d@contoso.com '], ['d@contoso.com']],
  ])('%s', (_name, before, after, added) => {
    expect(newRecipients(before, after)).toEqual(added);
  });
});

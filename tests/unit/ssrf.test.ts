import { describe, expect, it } from 'vitest';
import { refusedAddress, refusedUrl } from '../../channels/ssrf';
import { signatureHeaders } from '../../channels/webhook-http';
import { createHmac } from 'node:crypto';

const strict = { allowPrivateNetworks: false };
const open = { allowPrivateNetworks: true };

describe('webhook target policy (§2.6)', () => {
  it.each<[string, string | null, string | null]>([
    // address, refused when strict (substring), refused when private networks are allowed
    ['8.8.8.8', null, null],
    ['2001:4860:4860::8888', null, null],
    ['169.254.169.254', 'link-local', 'link-local'],
    ['169.254.0.1', 'link-local', 'link-local'],
    ['fe80::1', 'link-local', 'link-local'],
    ['fd00:ec2::254', 'metadata', 'metadata'],
    ['::ffff:169.254.169.254', 'link-local', 'link-local'],
    ['127.0.0.1', 'loopback', null],
    ['::1', 'loopback', null],
    ['10.0.0.1', 'private', null],
    ['172.16.5.4', 'private', null],
    ['192.168.1.1', 'private', null],
    ['fd12:3456::1', 'uniqueLocal', null],
    ['100.64.0.1', 'carrierGradeNat', null],
    ['0.0.0.0', 'unspecified', null],
    ['::ffff:10.0.0.1', 'private', null],
  ])('%s', (address, strictReason, openReason) => {
    const check = (reason: string | null, got: string | null) => (reason === null ? expect(got).toBeNull() : expect(got).toContain(reason));
    check(strictReason, refusedAddress(address, strict));
    check(openReason, refusedAddress(address, open));
  });

  it.each([
    ['https://hooks.slack.com/services/T/B/X', null],
    ['http://example.com:8080/path?q=1', null],
    ['ftp://example.com/', 'http and https'],
    ['file:///etc/passwd', 'http and https'],
    ['https://user:pass@example.com/', 'credentials'],
    ['not a url', 'not a valid URL'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://localhost:3000/', 'loopback'],
  ])('url %s', (url, reason) => {
    const got = refusedUrl(url, strict);
    if (reason === null) expect(got).toBeNull();
    else expect(got).toContain(reason);
  });
});

describe('Standard Webhooks signature', () => {
  it('signs "{id}.{timestamp}.{body}" with the base64 key of the whsec_ secret, timestamp in seconds', () => {
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const at = new Date('2026-12-01T10:00:00.500Z');
    const headers = signatureHeaders({ id: 'd-1', secret }, '{"a":1}', at);
    expect(headers['webhook-id']).toBe('d-1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    const expected = createHmac('sha256', Buffer.from('0123456789abcdef0123456789abcdef')).update(`d-1.${headers['webhook-timestamp']}.{"a":1}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });
});

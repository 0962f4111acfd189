// §2.6 webhook targets: http(s) only; link-local and cloud-metadata addresses always refused;
// loopback and private ranges refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true. Checked when a
// webhook is created and again on the address the host resolves to at delivery time.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface TargetPolicy {
  allowPrivateNetworks: boolean;
}

const ALWAYS_REFUSED = ['linkLocal'];
const PRIVATE = ['loopback', 'private', 'uniqueLocal', 'unspecified', 'carrierGradeNat', 'broadcast', 'reserved'];
const METADATA_V6 = ipaddr.parse('fd00:ec2::254');

/** Why an address may not be called, or null when it may. */
export function refusedAddress(address: string, policy: TargetPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (ALWAYS_REFUSED.includes(range)) return `${address} is a link-local address`;
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).toNormalizedString() === METADATA_V6.toNormalizedString()) {
    return `${address} is a cloud metadata address`;
  }
  if (!policy.allowPrivateNetworks && PRIVATE.includes(range)) return `${address} is a ${range} address`;
  return null;
}

/** Checks a URL as given (scheme, and the host when it is an IP literal); null when acceptable. */
export function refusedUrl(raw: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs are allowed';
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return refusedAddress(host, policy);
  if (/^localhost$/i.test(host) || /\.localhost$/i.test(host)) return refusedAddress('127.0.0.1', policy);
  return null;
}

export class RefusedTarget extends Error {
  override readonly name = 'RefusedTarget';
}

/**
 * A `lookup` for http.request that refuses a host resolving to a refused address: the check and
 * the connection use the same answer, so a DNS rebinding between them is impossible.
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const list = addresses as LookupAddress[];
      for (const { address } of list) {
        const refused = refusedAddress(address, policy);
        if (refused) return callback(new RefusedTarget(`${hostname} resolves to a refused address: ${refused}`));
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const [first] = list;
      if (!first) return callback(new Error(`${hostname} has no address`));
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

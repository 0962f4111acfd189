// §7 bearer tokens: their format and their hash. Pure apart from the randomness, which callers
// may inject (tests) so the format is checked without relying on chance.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from './types';

/** A prefix secret scanners (and people) recognise; GitHub-style `<vendor>_<random>`. */
export const TOKEN_PREFIX = 'bm_';
export const TOKEN_BYTES = 32;
// 32 bytes are 43 base64url characters; longer secrets (more bytes) are accepted too.
const TOKEN_FORMAT = /^bm_[A-Za-z0-9_-]{43,200}$/;

/** A fresh secret: the prefix and TOKEN_BYTES random bytes, base64url, shown to its owner once. */
export function newTokenSecret(random: (size: number) => Buffer = randomBytes): string {
  return `${TOKEN_PREFIX}${random(TOKEN_BYTES).toString('base64url')}`;
}

/** Whether the text can be a token at all: anything else is refused before any lookup. */
export const isTokenFormat = (text: string): boolean => TOKEN_FORMAT.test(text);

/** What the database keeps: a SHA-256 (hex) of the secret. The secret has 256 bits, so no salt or slow hash is needed. */
export const hashToken = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time equality of two strings of any length (both are hashed to 32 bytes first). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Reader < Service < Operator < Admin: each role holds the rights of those before it. */
export const roleAtLeast = (role: Role, least: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(least);

/** Names the audit log uses for the bootstrap token and for automatic changes; no token may take them. */
export const RESERVED_PRINCIPALS = ['admin', 'system'] as const;

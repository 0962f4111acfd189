// Who a bearer secret is (§7). Shared by the /v1 middleware and the console's sign-in.
import { isTokenFormat, sameSecret } from '../../domain/tokens';
import { findUsableToken } from '../../readmodel/tokens';
import type { AppDeps, Principal } from '../deps';

export type Authentication = { principal: Principal } | { refused: 'missing' | 'malformed' | 'invalid' };

// RFC 6750 §2.1: `Bearer` (any case), one space or more, the credentials. Any visible ASCII is
// taken rather than only token68: API_ADMIN_TOKEN is "that exact string", whatever an operator
// chose; table tokens are checked against their own format before any lookup.
const BEARER = /^Bearer +([\x21-\x7E]+) *$/i;
const MAX_HEADER = 1024;

/** The secret in an Authorization header, or why there is none. */
export function bearerSecret(header: string | undefined): { secret: string } | { refused: 'missing' | 'malformed' } {
  if (header === undefined || header.trim() === '') return { refused: 'missing' };
  const match = header.length <= MAX_HEADER ? BEARER.exec(header) : null;
  return match?.[1] ? { secret: match[1] } : { refused: 'malformed' };
}

/**
 * The bootstrap token first (constant-time, no database), then the tokens table by hash. A secret
 * that cannot be a token is refused without a lookup; unknown, expired and revoked are one answer.
 */
export async function authenticateSecret(deps: Pick<AppDeps, 'db' | 'adminToken' | 'now'>, secret: string): Promise<Authentication> {
  if (deps.adminToken && sameSecret(secret, deps.adminToken)) {
    return { principal: { name: 'admin', role: 'Admin', vaults: null, tokenId: null } };
  }
  if (!isTokenFormat(secret)) return { refused: 'invalid' };
  const token = await findUsableToken(deps.db, secret, deps.now?.() ?? new Date());
  if (!token) return { refused: 'invalid' };
  return { principal: { name: token.name, role: token.role, vaults: token.vaults, tokenId: token.id } };
}

export async function authenticateHeader(deps: Pick<AppDeps, 'db' | 'adminToken' | 'now'>, header: string | undefined): Promise<Authentication> {
  const bearer = bearerSecret(header);
  return 'refused' in bearer ? bearer : authenticateSecret(deps, bearer.secret);
}

export const REFUSAL_DETAIL: Record<'missing' | 'malformed' | 'invalid', string> = {
  missing: 'This route needs an Authorization: Bearer <token> header.',
  malformed: 'The Authorization header must be "Bearer <token>".',
  // One answer for unknown, expired and revoked: it must not tell a guesser which ids exist.
  invalid: 'The bearer token is not valid: it is unknown, expired or revoked.',
};

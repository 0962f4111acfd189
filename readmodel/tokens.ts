// §7 tokens in Postgres: only the SHA-256 of a secret is stored, so a leaked table grants nothing.
// Shared by the API (routes, authentication) and `npm run token:create`.
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { tokens } from '../db/schema';
import { hashToken, newTokenSecret } from '../domain/tokens';
import type { Role } from '../domain/types';
import { recordAudit } from './audit';

type TokenRow = typeof tokens.$inferSelect;

/** A token as the API shows it: never its secret nor its hash. */
export function tokenFromRow(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    vaults: row.vaults ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}
export type TokenView = ReturnType<typeof tokenFromRow>;

export interface NewToken {
  name: string;
  role: Role;
  /** null or absent: every vault. */
  vaults?: string[] | null;
  expiresAt?: Date | null;
}

/** Creates a token and its `token.created` audit row in one transaction; the secret is returned once. */
export async function issueToken(db: Database, input: NewToken, by: { principal: string; requestId: string | null }) {
  const secret = newTokenSecret();
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx.insert(tokens).values({
      name: input.name, role: input.role, vaults: input.vaults ?? null, expiresAt: input.expiresAt ?? null,
      secretHash: hashToken(secret), createdBy: by.principal,
    }).returning();
    if (!inserted) throw new Error('token insert returned no row');
    await recordAudit(tx, { principal: by.principal, action: 'token.created', vaultId: null, target: `token/${inserted.id}`, requestId: by.requestId });
    return inserted;
  });
  return { ...tokenFromRow(row), token: secret };
}

/** Revokes a live token (and audits it); false when it is unknown or already revoked. */
export async function revokeToken(db: Database, id: string, by: { principal: string; requestId: string | null }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(tokens).set({ revokedAt: new Date() })
      .where(and(eq(tokens.id, id), isNull(tokens.revokedAt))).returning({ id: tokens.id });
    if (!row) return false;
    await recordAudit(tx, { principal: by.principal, action: 'token.revoked', vaultId: null, target: `token/${id}`, requestId: by.requestId });
    return true;
  });
}

/** Live (not revoked) tokens, newest first; expired ones stay listed until revoked, so they can be cleaned up. */
export async function listTokens(db: DbOrTx): Promise<TokenView[]> {
  const rows = await db.select().from(tokens).where(isNull(tokens.revokedAt)).orderBy(desc(tokens.createdAt), desc(tokens.id));
  return rows.map(tokenFromRow);
}

/** The token a secret authenticates, or null: unknown, revoked and expired are alike to the caller. */
export async function findUsableToken(db: DbOrTx, secret: string, now: Date): Promise<TokenView | null> {
  const [row] = await db.select().from(tokens).where(eq(tokens.secretHash, hashToken(secret)));
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime())) return null;
  return tokenFromRow(row);
}

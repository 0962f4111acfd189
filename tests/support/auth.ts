// Shared set-up of the access-control tests: a stack with two vaults, an unscoped token of each
// role, and an expired and a revoked token.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { hashToken } from '../../domain/tokens';
import { ROLES, type Role } from '../../domain/types';
import { createVault, startStack, type Stack } from './stack';

export const bearer = (token: string) => `Bearer ${token}`;

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export async function startAuthFixture() {
  const stack: Stack = await startStack({ readYourWritesMs: 0 });

  /** A request with exactly the Authorization header given (none when undefined), headers kept. */
  async function call(method: string, path: string, authorization?: string, body?: unknown, extra: Record<string, string> = {}): Promise<RawAnswer> {
    const headers: Record<string, string> = { ...extra, ...(authorization === undefined ? {} : { authorization }) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${stack.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json: any = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = text; }
    return { status: response.status, headers: response.headers, body: json };
  }

  async function newToken(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
    const created = await stack.api('POST', '/v1/tokens', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  const vaultId = await createVault(stack);
  const otherVault = await createVault(stack);
  const tokenOf = {} as Record<Role, string>;
  for (const role of ROLES) tokenOf[role] = (await newToken({ name: `${role.toLowerCase()}-bot`, role })).token;
  const gone = await newToken({ name: 'soon-revoked', role: 'Admin' });
  expect((await stack.api('DELETE', `/v1/tokens/${gone.id}`)).status).toBe(204);
  // The API refuses a past expiresAt, so an expired token is written as time would leave it.
  const expired = `bm_${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '').slice(0, 11)}`;
  await stack.sql`insert into tokens (name, role, secret_hash, expires_at, created_by)
    values ('expired-bot', 'Admin', ${hashToken(expired)}, now() - interval '1 minute', 'test')`;
  return { stack, call, newToken, vaultId, otherVault, tokenOf, expired, revoked: gone.token };
}

export type AuthFixture = Awaited<ReturnType<typeof startAuthFixture>>;

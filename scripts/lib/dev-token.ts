// The development admin token of `npm start`: made on the first run, kept in the local state
// folder (.data/, git-ignored, readable by its owner only) and reused, so the curl line and the
// console sign-in keep working across restarts. The stack passes it to the API as API_ADMIN_TOKEN,
// so it works whatever the database holds (no row to lose when the database is recreated).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newTokenSecret } from '../../domain/tokens';

export const devTokenPath = (root: string) => join(root, '.data', 'dev-admin-token');

/** The kept token, or null when there is none (or it is not one). */
export function readDevAdminToken(root: string): string | null {
  const path = devTokenPath(root);
  if (!existsSync(path)) return null;
  const token = readFileSync(path, 'utf8').trim();
  return token.length >= 32 ? token : null;
}

export function ensureDevAdminToken(root: string): { token: string; created: boolean } {
  const kept = readDevAdminToken(root);
  if (kept) return { token: kept, created: false };
  const path = devTokenPath(root);
  mkdirSync(dirname(path), { recursive: true });
  const token = newTokenSecret();
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { token, created: true };
}

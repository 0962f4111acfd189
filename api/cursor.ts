import { ProblemError } from './problem';
import { MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS } from './timestamps';

import type { Cursor } from '../readmodel/cursor';

export type { Cursor };

/**
 * What a list's cursor id is, so that a forged cursor is a 400 instead of a query Postgres refuses:
 * `uuid` for uuid columns (alerts, deliveries), `key` for URL-safe ids (jobs, vaults), `text` for
 * any other text column (no NUL, which Postgres text cannot hold).
 */
export type CursorId = 'uuid' | 'key' | 'text';

const ID_PATTERNS: Record<CursorId, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  key: /^[A-Za-z0-9._~-]{1,128}$/,
  text: /^[^\x00]{1,512}$/,
};
// Exactly what encodeCursor writes (Date#toISOString), so nothing else round-trips by accident.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(text: string | undefined, id: CursorId = 'text'): Cursor | null {
  if (text === undefined || text === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string'
      && ISO_INSTANT.test(value[0]) && ID_PATTERNS[id].test(value[1])) {
      const at = new Date(value[0]);
      const ms = at.getTime();
      if (ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS && at.toISOString() === value[0]) return { at, id: value[1] };
    }
  } catch {
    // fall through to the problem below
  }
  throw new ProblemError(400, 'The cursor is not valid: pass back the nextCursor of a previous page unchanged.');
}

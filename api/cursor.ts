import { ProblemError } from './problem';

import type { Cursor } from '../readmodel/cursor';

export type { Cursor };

export function decodeCursor(text: string | undefined): Cursor | null {
  if (text === undefined || text === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const at = new Date(value[0]);
      if (!Number.isNaN(at.getTime())) return { at, id: value[1] };
    }
  } catch {
    // fall through to the problem below
  }
  throw new ProblemError(400, 'The cursor is not valid: pass back the nextCursor of a previous page unchanged.');
}

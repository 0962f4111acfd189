import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/** Keyset position (timestamp, id) of the last item of a page; opaque to clients. */
export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');
}

/** Rows after `cursor` in (time desc, id desc) order: a row comparison reads straight off the list index. */
export function olderThan(time: AnyColumn, id: AnyColumn, cursor: Cursor, idType?: 'uuid'): SQL {
  const idParam = idType === 'uuid' ? sql`${cursor.id}::uuid` : sql`${cursor.id}`;
  return sql`(${time}, ${id}) < (${cursor.at.toISOString()}::timestamptz, ${idParam})`;
}

/** One page out of the `limit + 1` rows a list read: its items, and the next cursor when more follow. */
export function keysetPage<R, T>(rows: readonly R[], limit: number, toItem: (row: R) => T, position: (row: R) => Cursor) {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items: rows.slice(0, limit).map(toItem), nextCursor: last ? encodeCursor(position(last)) : null };
}

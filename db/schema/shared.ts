// Helpers shared by the schema modules.
import { sql } from 'drizzle-orm';
import { timestamp } from 'drizzle-orm/pg-core';

export const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
/** The one SQL spelling of "open" (§2.4: Active or Acknowledged), used by partial indexes and queries. */
export const OPEN_STATUS_SQL = sql.raw(`('Active', 'Acknowledged')`);

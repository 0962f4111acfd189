// COPY helpers of the bulk seed (bench/seed.ts, bench/seed-extra.ts).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { bar, progress, progressDone } from './progress';

/** A time-ordered id (UUIDv7 layout) so that rows arrive in key order, as they do from live services. */
export function timeOrderedId(atMs: number, random: () => number): string {
  const hex = atMs.toString(16).padStart(12, '0');
  const rand = () => Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rand().slice(1)}-${((8 + Math.floor(random() * 4)).toString(16))}${rand().slice(1)}-${rand()}${rand()}${rand()}`;
}

export const iso = (ms: number) => new Date(ms).toISOString();

export async function copy(sql: postgres.Sql, statement: string, total: number, label: string, lines: (i: number) => string): Promise<number> {
  const started = Date.now();
  const CHUNK = 2_000;
  let written = 0;
  async function* chunks() {
    for (let i = 0; i < total; i += CHUNK) {
      let text = '';
      const end = Math.min(total, i + CHUNK);
      for (let j = i; j < end; j++) text += lines(j);
      written = end;
      if ((i / CHUNK) % 25 === 0) {
        const rate = written / Math.max(0.001, (Date.now() - started) / 1000);
        progress(`seed ${label}: ${bar(written, total)} ${written.toLocaleString('en-US')}/${total.toLocaleString('en-US')}  ${Math.round(rate).toLocaleString('en-US')} rows/s`);
      }
      yield text;
    }
  }
  const writable = await sql.unsafe(statement).writable();
  await pipeline(Readable.from(chunks()), writable);
  progressDone();
  return Date.now() - started;
}

/** A value for COPY's text format: backslashes doubled, tabs and line breaks escaped. */
export const copyText = (value: string) => value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

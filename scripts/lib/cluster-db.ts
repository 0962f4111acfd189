// Creates and migrates the Temporal cluster's two Postgres databases (default and visibility) with
// the server's own SQL tool and the module's versioned schema folders. Idempotent: an existing
// database is only brought up to the latest schema version; nothing is ever dropped.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

const exec = promisify(execFile);

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const DEFAULT_POSTGRES: PostgresTarget = { host: '127.0.0.1', port: 5432, user: 'postgres', password: '' };

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function exists(target: PostgresTarget, name: string): Promise<{ database: boolean; schema: boolean }> {
  const admin = postgres({ ...target, database: 'postgres', max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [row] = await admin`select 1 as one from pg_database where datname = ${name}`;
    if (!row) return { database: false, schema: false };
  } finally {
    await admin.end({ timeout: 5 });
  }
  const db = postgres({ ...target, database: name, max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [row] = await db`select to_regclass('public.schema_version') is not null as present`;
    return { database: true, schema: Boolean(row?.present) };
  } finally {
    await db.end({ timeout: 5 });
  }
}

async function sqlTool(tool: string, target: PostgresTarget, database: string, args: string[]): Promise<void> {
  const base = ['--plugin', 'postgres12', '--endpoint', target.host, '--port', String(target.port), '--user', target.user,
    ...(target.password ? ['--password', target.password] : []), '--database', database];
  try {
    await exec(tool, [...base, ...args], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const detail = (error as { stderr?: string; stdout?: string }).stderr || (error as { stdout?: string }).stdout || String(error);
    throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${detail.trim().slice(-2000)}`);
  }
}

/** Creates (if absent) and migrates the default and visibility databases. */
export async function prepareTemporalDatabases(options: {
  sqlTool: string; moduleDir: string; target: PostgresTarget; database: string; visibilityDatabase: string;
  log?: (line: string) => void;
}): Promise<void> {
  const say = options.log ?? (() => {});
  const stores = [
    { name: options.database, schema: 'temporal' },
    { name: options.visibilityDatabase, schema: 'visibility' },
  ];
  for (const { name, schema } of stores) {
    if (!SAFE_NAME.test(name)) throw new Error(`unusable database name "${name}" (lower-case letters, digits, _)`);
    const state = await exists(options.target, name);
    if (!state.database) {
      say(`creating database ${name}`);
      await sqlTool(options.sqlTool, options.target, name, ['create-database']);
    }
    if (!state.schema) await sqlTool(options.sqlTool, options.target, name, ['setup-schema', '-v', '0.0']);
    const dir = join(options.moduleDir, 'schema', 'postgresql', 'v12', schema, 'versioned');
    say(`migrating ${name} (${schema} schema)`);
    await sqlTool(options.sqlTool, options.target, name, ['update-schema', '-d', dir]);
  }
}

/**
 * Forgets the membership rows of earlier server processes on this database. They stay for two days
 * after a process ends, and a new process first tries to join them (30 s per attempt) before it
 * forms a ring of its own: with the tests' and the bench's changing ports that meant minutes.
 * One server per database pair is the rule here (scripts and tests use distinct databases).
 */
export async function forgetPreviousMembers(target: PostgresTarget, database: string): Promise<void> {
  const db = postgres({ ...target, database, max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await db`delete from cluster_membership`;
  } finally {
    await db.end({ timeout: 5 });
  }
}

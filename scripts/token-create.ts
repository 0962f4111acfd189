// `npm run token:create -- --name N --role R [--vault V]… [--expires-in 30d]`: a token straight
// into the tokens table of DATABASE_URL (the way to get the first token without API_ADMIN_TOKEN).
// The secret is printed once, alone on the last line, so `| tail -n1` captures it.
import { parseArgs } from 'node:util';
import { loadEnv } from '../config/env';
import { connectDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { parseDuration } from '../domain/duration';
import { RESERVED_PRINCIPALS } from '../domain/tokens';
import { ROLES, type Role } from '../domain/types';
import { issueToken } from '../readmodel/tokens';

const USAGE = `usage: npm run token:create -- --name <name> --role <${ROLES.join('|')}> [--vault <vaultId>]… [--expires-in <duration, e.g. 30d>]
  DATABASE_URL  the database (default postgres://postgres@127.0.0.1:5432/backup_monitor)`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    name: { type: 'string' }, role: { type: 'string' }, vault: { type: 'string', multiple: true },
    'expires-in': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const name = values.name?.trim();
if (!name || name.length > 100 || /[\x00-\x1F\x7F-\x9F]/.test(name)) fail('--name is required (1-100 characters, no control characters)');
if ((RESERVED_PRINCIPALS as readonly string[]).includes(name.toLowerCase())) fail(`--name ${name} is reserved`);
const role = ROLES.find((r) => r.toLowerCase() === values.role?.toLowerCase()) as Role | undefined;
if (!role) fail(`--role must be one of ${ROLES.join(', ')}`);
const vaults = values.vault?.length ? [...new Set(values.vault)] : null;
for (const vault of vaults ?? []) if (!/^[A-Za-z0-9._~-]{1,128}$/.test(vault)) fail(`--vault ${vault} is not a vault id`);
let expiresAt: Date | null = null;
if (values['expires-in'] !== undefined) {
  const ms = parseDuration(values['expires-in']);
  if (ms === null) fail(`--expires-in ${values['expires-in']} is not a duration (such as 12h, 30d)`);
  expiresAt = new Date(Date.now() + ms);
}

const env = loadEnv();
await migrateDatabase(env.DATABASE_URL);
const database = connectDb(env.DATABASE_URL, { max: 1 });
try {
  const token = await issueToken(database.db, { name, role, vaults, expiresAt }, { principal: 'token:create', requestId: null });
  console.log(`Created token ${token.id}: ${token.name}, ${token.role}, vaults ${token.vaults?.join(', ') ?? 'all'}, expires ${token.expiresAt ?? 'never'}.`);
  console.log('Send it as "Authorization: Bearer <token>". It is shown only now:');
  console.log(token.token);
} finally {
  await database.close();
}

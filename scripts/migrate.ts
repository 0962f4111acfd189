import { loadEnv } from '../config/env';
import { migrateDatabase } from '../db/migrate';

const env = loadEnv();
await migrateDatabase(env.DATABASE_URL);
console.log(`migrations applied to ${new URL(env.DATABASE_URL).pathname.slice(1)}`);

// The database schema, one module per concern; `db/schema` resolves here, and drizzle-kit reads
// every module of this folder (drizzle.config.ts).
export { OPEN_STATUS_SQL } from './shared';
export * from './vaults';
export * from './jobs';
export * from './alerts';
export * from './items';
export * from './notifications';

// The instants the API accepts anywhere (§4: nothing a client sends may wedge a workflow or make
// Postgres refuse a query). Postgres and JS dates both hold far more, but nothing in a backup
// monitor happens before the Unix epoch or after year 9999, and every digest window, report
// period and duration counts from the epoch.
export const MIN_TIMESTAMP_MS = Date.UTC(1970, 0, 1);
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const inTimestampRange = (date: Date) => {
  const ms = date.getTime();
  return Number.isFinite(ms) && ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;
};

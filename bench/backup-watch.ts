// Phase (w): the missed-backup watch at scale (§2.5). N watched items across V vaults are seeded
// in bulk (the same rows and watch rows the job activities write: policy_since = now, deadline =
// now + expectedEvery + grace), every vault's watch is woken by the same signal-with-start the
// activities send, and the phase measures:
//   - time to arm: seeding + until every watch recorded its wake-up (swept its vault, armed a timer);
//   - idle cost: worker RSS and CPU of worker, Temporal and Postgres while nothing is due;
//   - lateness: M items are made due at one instant T (policy_since moved back so the rule itself
//     says T, exactly what a policy change does), their vaults woken; raisedAt − T per alert.
import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import { wakeBackupWatch } from '../activities/backup-watch-wake';
import type { CpuMeter } from './lib/cpu';
import { log } from './lib/progress';
import type { RssSampler } from './lib/rss';
import { mb, ms, num, seconds, summarize, type Summary } from './lib/stats';

export interface WatchBenchOptions {
  client: Client;
  sql: postgres.Sql;
  taskQueue: string;
  items: number;
  vaults: number;
  misses: number;
  idleSeconds: number;
  workerRss: RssSampler;
  cpu: CpuMeter;
}

export interface WatchResult {
  items: number;
  vaults: number;
  misses: number;
  seedMs: number;
  armMs: number;
  idleSeconds: number;
  idleWorkerRssBytes: number;
  idleCpuSeconds: Record<string, number>;
  lateness: Summary;
  visibleLateness: Summary;
  alertsSeen: number;
  workerRssMaxBytes: number;
}

const POLICY = { expectedEvery: '30d', grace: '1d' };
const ALLOWANCE_MS = 31 * 86_400_000;
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
const vaultName = (i: number) => `watch-${String(i).padStart(4, '0')}`;

async function wakeAll(opts: WatchBenchOptions, vaultIds: string[]) {
  for (let i = 0; i < vaultIds.length; i += 50) {
    await Promise.all(vaultIds.slice(i, i + 50).map((id) => wakeBackupWatch({ client: opts.client, taskQueue: opts.taskQueue }, id)));
  }
}

export async function runWatchBench(opts: WatchBenchOptions): Promise<WatchResult> {
  const { sql } = opts;
  const vaultIds = Array.from({ length: opts.vaults }, (_, i) => vaultName(i));
  const t0 = Date.now();
  await sql`insert into vaults (id, name, contacts, backup_policy)
    select v, v, '{"owners":[],"admins":[],"coAdmins":[]}'::jsonb, ${JSON.stringify(POLICY)}::jsonb from unnest(${vaultIds}::text[]) as v`;
  await sql`insert into backup_watches (vault_id, vault_policy) select v, ${JSON.stringify(POLICY)}::jsonb from unnest(${vaultIds}::text[]) as v`;
  // Item i belongs to vault i mod V; chunks keep each statement's WAL and memory modest.
  const chunk = 20_000;
  for (let start = 0; start < opts.items; start += chunk) {
    const end = Math.min(opts.items, start + chunk) - 1;
    await sql`insert into items (vault_id, workload_type, entity_name, policy_since, deadline_at, created_at)
      select 'watch-' || lpad((g % ${opts.vaults})::text, 4, '0'), 'AzureVM', 'vm-' || g, now(), now() + ${`${ALLOWANCE_MS} milliseconds`}::interval, now()
      from generate_series(${start}::int, ${end}::int) as g`;
  }
  const seedMs = Date.now() - t0;
  log(`(w) seeded ${opts.items.toLocaleString('en-US')} items in ${opts.vaults} vaults in ${seconds(seedMs)}; waking the watches`);
  await wakeAll(opts, vaultIds);
  for (;;) {
    const n = (await sql<{ n: number }[]>`select count(*)::int as n from backup_watches where vault_id = any(${vaultIds}) and wake_at is not null`)[0]!.n;
    if (n === opts.vaults) break;
    if (Date.now() - t0 > 30 * 60_000) throw new Error(`only ${n}/${opts.vaults} watches armed after 30 min`);
    await sleep(200);
  }
  const armMs = Date.now() - t0;
  log(`(w) all ${opts.vaults} watches armed ${seconds(armMs)} after the seed started; idling ${opts.idleSeconds} s`);

  // Differences of the phase's own meter, which must keep counting for the phase cost table.
  const before = opts.cpu.since();
  await sleep(opts.idleSeconds * 1000);
  const after = opts.cpu.since();
  const idleCpuSeconds = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
  const idleWorkerRssBytes = opts.workerRss.current();

  // M items due at one instant, spread over the vaults as item numbering spreads them.
  const dueAt = new Date(Date.now() + 10_000);
  const step = Math.max(1, Math.floor(opts.items / opts.misses));
  const missed = Array.from({ length: opts.misses }, (_, i) => `vm-${i * step + (i % Math.min(opts.vaults, step))}`);
  await sql`update items set policy_since = ${new Date(dueAt.getTime() - ALLOWANCE_MS).toISOString()}::timestamptz, deadline_at = ${dueAt.toISOString()}::timestamptz
    where workload_type = 'AzureVM' and entity_name = any(${missed}) and vault_id like 'watch-%'`;
  const touched = (await sql<{ v: string }[]>`select distinct vault_id as v from items where entity_name = any(${missed}) and vault_id like 'watch-%'`).map((r) => r.v);
  await wakeAll(opts, touched);
  log(`(w) ${opts.misses} items due at ${dueAt.toISOString()} in ${touched.length} vaults`);
  opts.workerRss.reset();
  const until = dueAt.getTime() + 120_000;
  // raisedAt is the sweep's clock; "visible" is when a reader (this poll, every 100 ms) first sees the row committed.
  let rows: { id: string; raised_at: Date }[] = [];
  const seenAt = new Map<string, number>();
  while (Date.now() < until) {
    rows = await sql<{ id: string; raised_at: Date }[]>`select id, raised_at from alerts where scenario = 'BackupMissed' and vault_id like 'watch-%'`;
    const now = Date.now();
    for (const row of rows) if (!seenAt.has(row.id)) seenAt.set(row.id, now);
    if (rows.length >= opts.misses) break;
    await sleep(100);
  }
  return {
    items: opts.items, vaults: opts.vaults, misses: opts.misses, seedMs, armMs, idleSeconds: opts.idleSeconds,
    idleWorkerRssBytes, idleCpuSeconds,
    lateness: summarize(rows.map((r) => new Date(r.raised_at).getTime() - dueAt.getTime())),
    visibleLateness: summarize([...seenAt.values()].map((at) => at - dueAt.getTime())),
    alertsSeen: rows.length, workerRssMaxBytes: opts.workerRss.max(),
  };
}

/** Rows for the bench table. */
export function watchRows(w: WatchResult): string[][] {
  const cpu = (k: string) => num(w.idleCpuSeconds[k] ?? 0, 1);
  return [
    ['watched items / vaults (one watch workflow each)', `${w.items.toLocaleString('en-US')} / ${w.vaults}`],
    ['bulk seed', seconds(w.seedMs)],
    ['seed start → every watch armed', seconds(w.armMs)],
    [`idle ${w.idleSeconds} s: worker RSS`, mb(w.idleWorkerRssBytes)],
    [`idle ${w.idleSeconds} s: CPU s worker / Temporal / Postgres`, `${cpu('worker')} / ${cpu('temporal')} / ${cpu('postgres')}`],
    [`${w.misses} due at once: alerts raised`, `${w.alertsSeen}/${w.misses}`],
    ['lateness (raisedAt − deadline) p50 / p99 / max', `${ms(w.lateness.p50)} / ${ms(w.lateness.p99)} / ${ms(w.lateness.max)}`],
    ['lateness (committed and read, 100 ms poll) p50 / p99 / max', `${ms(w.visibleLateness.p50)} / ${ms(w.visibleLateness.p99)} / ${ms(w.visibleLateness.max)}`],
    ['worker RSS max while raising', mb(w.workerRssMaxBytes)],
  ];
}

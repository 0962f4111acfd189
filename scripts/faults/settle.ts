// Waits until the product has finished what the load asked of it: every job terminal, every
// delivery Delivered (or given up), every digest window closed, every missed backup raised (Active: an early one, raised before
// the item's success was recorded, is resolved once every job has been processed).
import type postgres from 'postgres';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function settle(
  sql: postgres.Sql, vaultIds: string[],
  opts: { watchVaultId: string; missed: number; deadlineMs: number; log: (line: string) => void },
): Promise<void> {
  const deadline = Date.now() + opts.deadlineMs;
  for (let polls = 1; ; polls++) {
    const [row] = await sql<{ open: number; pending: number; windows: number; missed: number }[]>`
      select (select count(*)::int from jobs where vault_id = any(${vaultIds}) and status = 'InProgress') as open,
             (select count(*)::int from deliveries where vault_id = any(${vaultIds}) and status = 'Pending') as pending,
             (select count(*)::int from digest_windows where vault_id = any(${vaultIds}) and closed_at is null) as windows,
             (select count(*)::int from alerts where vault_id = ${opts.watchVaultId} and scenario = 'BackupMissed' and status = 'Active') as missed`;
    const { open, pending, windows, missed } = row!;
    const state = `${open} jobs open, ${pending} deliveries pending, ${windows} digest windows open, ${missed}/${opts.missed} missed backups`;
    if (open === 0 && pending === 0 && windows === 0 && missed >= opts.missed) return;
    if (Date.now() > deadline) return opts.log(`gave up settling: ${state}`);
    if (polls % 10 === 0) opts.log(`settling: ${state}`);
    await sleep(2_000);
  }
}

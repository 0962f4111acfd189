// npm run test:faults [-- --profile ci|full] [--record]
// Jobs over several vaults (PerAlert and HourlyDigest, webhooks, silences, a missed-backup watch)
// while the worker is SIGKILLed twice, the Temporal dev server restarts (file persistence),
// Postgres is unreachable for 20 s (a TCP proxy we cut), the email endpoint answers 500/429/hangs
// and webhook endpoints answer 500 and then hang for a while; then every job, alert, email and
// webhook is checked against a model of the rules (check.ts). --record appends the figures to
// docs/reliability.md. Exit code 0 only when nothing was lost or doubled.
import { check, type JobRun, type VaultSetup } from './check';
import { createServiceClient } from './http';
import { runFix, runJob } from './load';
import { deliveryLog } from './notification-log';
import { planJobs } from './plan';
import { spawnWorker, type WorkerProcess } from './processes';
import { recordRun } from './report';
import { settle } from './settle';
import { endSilence, silencePlans, startSilence } from './silences';
import { startStack, TOKEN } from './stack';
import { createWatchLoad, WATCH_POLICY } from './watch';
import { createWebhooks, type WebhookSetup } from './webhooks';

const PROFILES = {
  ci: { vaults: 4, jobs: 160, loadMs: 60_000, concurrency: 6, emailFailures: 12, watchPerRole: 3 },
  full: { vaults: 8, jobs: 600, loadMs: 150_000, concurrency: 10, emailFailures: 36, watchPerRole: 6 },
} as const;
const JOB_TIMEOUT_MS = 60_000;
const DIGEST_MS = 20_000;
const PG_OUTAGE_MS = 20_000;

const args = process.argv.slice(2);
const profileName = (args.includes('--profile') ? args[args.indexOf('--profile') + 1] : 'ci') as keyof typeof PROFILES;
const profile = PROFILES[profileName];
if (!profile) throw new Error(`unknown profile ${profileName}`);
const began = Date.now();
const log = (line: string) => process.stderr.write(`[faults +${((Date.now() - began) / 1000).toFixed(1)}s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const runId = `f${Date.now().toString(36)}`;
  const stack = await startStack({ runId, jobTimeoutMs: JOB_TIMEOUT_MS, digestMs: DIGEST_MS, log });
  const service = createServiceClient(stack.apiUrl, TOKEN);
  let worker: WorkerProcess | null = null;
  const faults: string[] = [];
  const failures: string[] = [];
  const fail = (line: string) => void failures.push(line);

  try {
    worker = await spawnWorker(stack.workerEnv, log);
    // ---- vaults: half PerAlert, half HourlyDigest, each with webhooks; one more for the watch
    const vaults: VaultSetup[] = [];
    const hooks: WebhookSetup[] = [];
    const setUpVault = async (vaultId: string, frequency: VaultSetup['frequency'], index: number | 'watch', backupPolicy?: object) => {
      const setup: VaultSetup = { vaultId, frequency, recipients: [`ops@${vaultId}.example.com`], contacts: [`owner@${vaultId}.example.com`] };
      await service.send('PUT', `/v1/vaults/${vaultId}`, { name: vaultId, contacts: { owners: setup.contacts, admins: [], coAdmins: [] }, ...(backupPolicy ? { backupPolicy } : {}) });
      await service.send('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: setup.recipients, frequency });
      hooks.push(...(await createWebhooks(service, stack.endpoints, vaultId, index)));
      vaults.push(setup);
    };
    for (let i = 0; i < profile.vaults; i++) await setUpVault(`${runId}-v${i}`, i % 2 ? 'HourlyDigest' : 'PerAlert', i);
    const jobVaultIds = vaults.map((v) => v.vaultId);
    const watchVaultId = `${runId}-watch`;
    await setUpVault(watchVaultId, 'PerAlert', 'watch', WATCH_POLICY);
    const runs: JobRun[] = [];
    const watch = createWatchLoad(service, watchVaultId, profile.watchPerRole, runs, fail);
    await watch.setup();
    const silences = silencePlans(jobVaultIds);
    // Webhook endpoints that fail for a while: every webhook of the vaults that have no silence.
    const flaky = hooks.filter((h) => h.vaultId === watchVaultId || jobVaultIds.indexOf(h.vaultId) % 4 >= 2).map((h) => h.path);

    // ---- load, paced over the fault timeline
    const plan = planJobs(jobVaultIds, profile.jobs, runId);
    const fixes: Promise<void>[] = [];
    const gapMs = profile.loadMs / profile.jobs;
    let next = 0;
    const loadStart = Date.now();
    const L = profile.loadMs;
    const at = async (fraction: number) => { const wait = loadStart + fraction * L - Date.now(); if (wait > 0) await sleep(wait); };
    const runOne = async (): Promise<void> => {
      for (let job = plan[next++]; job; job = plan[next++]) {
        const due = loadStart + job.index * gapMs;
        if (due > Date.now()) await sleep(due - Date.now());
        runs.push(await runJob(service, job));
        if (job.fix) {
          const failed = job;
          fixes.push(runFix(service, failed, 300_000).then((run) => void (typeof run === 'string' ? fail(run) : runs.push(run))));
        }
      }
    };
    const timeline = async () => {
      await at(0.1);
      await worker!.kill(); faults.push('worker SIGKILL #1');
      worker = await spawnWorker(stack.workerEnv, log);
      await at(0.3);
      log('restarting the Temporal dev server');
      await stack.restartTemporal();
      faults.push('Temporal dev server restart'); log('Temporal dev server back');
      await at(0.45);
      log(`cutting Postgres for ${PG_OUTAGE_MS / 1000} s`);
      await stack.proxy.cut(); faults.push(`Postgres unreachable ${PG_OUTAGE_MS / 1000} s`);
      await sleep(PG_OUTAGE_MS);
      await stack.proxy.restore(); log('Postgres reachable again');
      await at(0.8);
      const steps = Array.from({ length: profile.emailFailures }, (_, i) => [500, 429, 500, 429, 500, 'hang'][i % 6]) as (number | 'hang')[];
      stack.resend.script(steps); faults.push(`email endpoint: ${steps.length} answers 500/429/hang`); log('email endpoint failing');
      await at(0.9);
      await worker!.kill(); faults.push('worker SIGKILL #2');
      worker = await spawnWorker(stack.workerEnv, log);
    };
    // Each fault lasts its window and until it was felt a few times, within a cap: on a loaded
    // machine a worker restart can take most of a window, which would leave the fault untested.
    const until = async (done: () => boolean | Promise<boolean>, capMs: number) => {
      for (const cap = Date.now() + capMs; !(await done()) && Date.now() < cap;) await sleep(500);
    };
    const answered = (answer: 500 | 'hang') => stack.endpoints.calls.filter((c) => c.answered === answer).length;
    const webhookFaults = async () => {
      await at(0.15); stack.endpoints.setAnswer(flaky, 500); const from500 = Date.now(); log(`webhook endpoints answer 500 (${flaky.length})`);
      await at(0.28); await sleep(Math.max(0, from500 + 10_000 - Date.now())); await until(() => answered(500) >= 4, 300_000); stack.endpoints.setAnswer(flaky, 200);
      const for500 = Date.now() - from500;
      await at(0.8); stack.endpoints.setAnswer(flaky, 'hang'); const fromHang = Date.now(); log('webhook endpoints hang');
      await at(0.95); await sleep(Math.max(0, fromHang + 15_000 - Date.now())); await until(() => answered('hang') >= 3, 300_000); stack.endpoints.setAnswer(flaky, 200); log('webhook endpoints answer again');
      faults.push(`webhook endpoints (${flaky.length}): 500 for ${Math.round(for500 / 1000)} s, hang for ${Math.round((Date.now() - fromHang) / 1000)} s`);
    };
    // A deleted silence is deleted once it holds back at least two open alerts (so that its
    // release is exercised), within a cap; one that ends does so at its endsAt.
    const holding = (id: string | undefined) => async () => {
      const [row] = await stack.direct<{ n: number }[]>`select count(*)::int as n from alerts where suppressed_by = ${id ?? null} and suppressed and status <> 'Inactive'`;
      return row!.n >= 2;
    };
    const silenceTimeline = () => silences.map(async (s) => {
      await at(s.from); await startSilence(service, s, loadStart, L);
      await at(s.until);
      if (s.ending === 'deleted') await until(holding(s.id), 120_000);
      await endSilence(service, s);
      s.endedAfterMs = Date.now() - loadStart;
    });
    const watchRun = watch.run(loadStart, L);
    await Promise.all([timeline(), webhookFaults(), ...silenceTimeline(), ...Array.from({ length: profile.concurrency }, runOne)]);
    faults.push(`silences: ${silences.map((s) => `${s.ending === 'deleted' ? 'deleted' : 'ended'} after ${Math.round((s.endedAfterMs ?? 0) / 1000)} s`).join(', ')} of ${L / 1000} s load`);
    log(`load done: ${runs.length} jobs; waiting for fixes and the watch`);
    await Promise.all(fixes);
    const kept = await watchRun;
    await kept.stop();
    log('missed and late items done; waiting for every job to end');

    // ---- settle: every job terminal, every delivery done, every digest window closed
    const vaultIds = vaults.map((v) => v.vaultId);
    await settle(stack.direct, vaultIds, { watchVaultId, missed: profile.watchPerRole, deadlineMs: JOB_TIMEOUT_MS + 300_000, log });
    await sleep(3_000);

    const result = await check(stack.direct, {
      vaults, runs, log: deliveryLog(stack.direct, stack.resend.deliveries, vaultIds), silences,
      watch: { vaultId: watchVaultId, items: watch.items }, hooks, endpoints: stack.endpoints,
    });
    result.failures.unshift(...failures);
    // A fault that nobody felt proves nothing: the suite fails when its injection broke.
    const c = result.counts;
    if (service.counts.retried503 === 0) result.failures.push('no client ever saw a 503: the Postgres/Temporal outages were not felt');
    if (!stack.resend.requests.some((r) => r.answered !== 200)) result.failures.push('the email endpoint never failed a request');
    if (!c.webhookAnswered500 || !c.webhookHung) result.failures.push(`webhook faults not felt (${c.webhookAnswered500} 500s, ${c.webhookHung} hangs)`);
    if (!c.silenced || !c.silencedReleased) result.failures.push(`silences not exercised (${c.silenced} silenced, ${c.silencedReleased} released)`);
    const counts = { ...c, ...service.counts, emailRequests: stack.resend.requests.length, failures: result.failures.length };
    console.log(JSON.stringify({ profile: profileName, faults, counts }, null, 2));
    for (const line of result.failures.slice(0, 50)) console.log(`FAIL ${line}`);
    if (args.includes('--record')) recordRun({ profile: profileName, faults, counts, failures: result.failures, durationMs: Date.now() - began });
    log(result.failures.length === 0 ? 'PASS: nothing lost, nothing doubled' : `FAIL: ${result.failures.length} problems`);
    if (result.failures.length) console.error(worker?.output().slice(-3000));
    return result.failures.length === 0 ? 0 : 1;
  } finally {
    await worker?.kill().catch(() => {});
    await stack.stop();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});

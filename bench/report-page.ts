// docs/benchmarks.md around the tables: machine, command, what each phase does, findings. The
// hand-kept sections at the end of the page (from "## Repeated and separate runs" on) are kept as
// they are when the page is written again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { findings } from './findings';
import { seconds } from './lib/stats';
import type { BenchReport } from './report';

/** The first heading of the hand-kept part of the page: everything from it on survives a rewrite. */
export const HAND_KEPT_HEADING = '## Repeated and separate runs';

/** Writes the rendered page, followed by the hand-kept part of the page already at `path`. */
export function writeReportPage(path: string, rendered: string): void {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = old.indexOf(`\n${HAND_KEPT_HEADING}`);
  const kept = at >= 0 ? old.slice(at + 1) : '';
  writeFileSync(path, kept ? `${rendered.trimEnd()}\n\n${kept}` : rendered);
}

export function renderReport(report: BenchReport, table: string): string {
  const m = report.machine;
  const a = report.args;
  const notes = findings(report);
  return `# Benchmarks

Produced by \`npm run bench\` (bench/main.ts) on ${report.startedAt.slice(0, 10)}; rerun it to refresh this page.
The numbers come from one run on a shared machine: read them as orders of magnitude, and check
the load average noted below before comparing two runs.

## Machine

| | |
|---|---|
| date | ${report.startedAt} |
| CPU | ${m.cores} cores, ${m.cpuModel} |
| memory | ${Math.round(m.memoryBytes / 1024 ** 3)} GiB (os.totalmem) |
| OS | ${m.os} |
| Node.js | ${m.node} |
| Temporal CLI | ${m.temporalCli}; dev server ${report.temporalStore === 'file' ? 'with a SQLite file (WAL, synchronous=normal), as `npm start` runs it' : 'in memory'} |
| Postgres | ${m.postgres} (${m.postgresSettings}) |
| load average | 1-minute load ${report.loadAtStart} when the bench started; before each phase (the bench's own earlier phases included): ${Object.entries(report.loadBefore).map(([k, v]) => `${k} ${v}`).join(', ') || 'n/a'} |
| total runtime | ${seconds(report.totalMs, 0)} |

## Command

\`\`\`sh
npm run bench -- --jobs ${a.jobs} --concurrency ${a.concurrency} --rate ${a.rate} --rate-jobs ${a.rateJobs} --fanout-hooks ${a.fanoutHooks} \\
  --seed-jobs ${a.seedJobs} --seed-alerts ${a.seedAlerts} --api-rps ${a.apiRps} --api-seconds ${a.apiSeconds} \\
  --flood-alerts ${a.floodAlerts} --watch-items ${a.watchItems} --watch-vaults ${a.watchVaults} --watch-misses ${a.watchMisses} \\
  --watch-idle-seconds ${a.watchIdleSeconds} --phases ${[...a.phases].join(',')} --temporal-store ${a.temporalStore}${a.sqlAfterMigrate ? ` --sql-after-migrate ${a.sqlAfterMigrate}` : ''}
\`\`\`

## Results

${table}

## What each phase does

The bench starts everything itself, on free ports: a Temporal dev server of its own
(\`scripts/lib/dev-server.ts\`, ${report.temporalStore === 'file' ? 'SQLite file in a temporary folder, WAL' : 'in memory'}), the database
\`${new URL(a.databaseUrl).pathname.slice(1)}\` (dropped, created and migrated with \`db/migrate.ts\`), a fake Resend endpoint
in the bench process (\`bench/lib/fake-resend.ts\`: answers like Resend, records when it accepted each
email), webhook endpoints in the bench process (\`scripts/lib/webhook-receiver.ts\`: 204 at once and the
time of each, or never an answer), and the real worker and API as child processes, compiled as
\`npm run build\` compiles them (\`node --max-old-space-size=128 --max-semi-space-size=4 dist/worker.mjs\` and
\`node dist/api.mjs\`, \`LOG_LEVEL=warn\`, \`DIGEST_INTERVAL=${a.digestInterval}\`, \`WEBHOOK_ALLOW_PRIVATE_NETWORKS=true\` for
the loopback receiver, the workflow bundle built once beforehand as \`npm start\` does). Worker RSS is VmRSS from
\`/proc/<pid>/status\`, sampled every 250 ms; each phase reports its own peak, the target row the whole run's.

- **(a) Job lifecycle.** 20 vaults (10 \`PerAlert\`, 10 \`HourlyDigest\`, one recipient each, one
  owner each, one standard webhook each, created with \`POST …/webhooks\` to the bench's receiver). A seeded mix of jobs: AzureVM 40%, AzureFiles 20%, AzureWorkload 25% (80% scheduled),
  MAB 15%; Backup 86%, Restore 6%, ConfigureBackup 5%, StopProtectionRetainData 2%, DeleteBackupData 1%;
  10% Failed (one failure in ten with \`UserErrorBackupOperationInProgress\`, which raises nothing),
  2% cancelled, 5% completed with warnings. Each job is \`POST …/jobs\` then \`POST …/complete\` (or
  \`…/cancel\`) over HTTP. The throughput run keeps \`--concurrency\` jobs in flight, a job counting as in flight from its
  start request until its \`backupJob\` workflow ended (awaited through the Temporal client, as the floor
  awaits its own: the API answers before any worker runs, so counting only the HTTP calls would queue
  the work in Temporal instead of measuring it); the latency run
  starts ${a.rate === 'auto' ? 'half the floor\'s jobs/s (\`--rate auto\`: (b) runs first, in the same run)' : `${a.rate} jobs/s (\`--rate\`)`} per second
  (open loop, at most 64 in flight), which is where the targets for \`POST …/jobs\`, \`POST …/complete\`,
  alert→email and alert→webhook apply, and stops starting new ones after
  1.5× its planned duration, so a machine that cannot keep the rate is measured rather than waited
  for (the jobs column then counts those started). jobs/s counts from the first start request until the
  last job answered, its alert was visible and its email and webhook accepted. *complete→alert* is from sending
  \`complete\` to the alert's \`alert_occurrences\` row being visible: the bench polls Postgres every
  20 ms for the few jobs still outstanding (primary-key lookups; it does not go through the API, so
  the polling adds little load). *alert→email* is from the alert's \`raisedAt\` (the job's
  \`endedAt\`, stamped by the API when \`complete\` arrives) to the fake provider accepting the email,
  matched through \`deliveries.provider_id\`; *alert→webhook* from the same \`raisedAt\` to the receiver
  accepting the \`alert.raised\` webhook (matched by the alert id in the body; the \`webhook-id\`
  header is the delivery id). A warm-up of a few dozen jobs runs first.
- **(b) Floor.** \`bench/floor-workflow.ts\`: the same shape as \`backupJob\` and
  \`vaultNotifications\` (two activities, a completion signal awaited with the timeout timer, then for
  an alert two more activities, the last one a signal-with-start to a per-vault workflow that runs one
  activity per email and one per webhook, as every vault of (a) has one) with activities that do nothing, its own worker as a child process
  (\`bench/floor-worker.ts\`), the same server, the same jobs and concurrency, driven straight
  through the Temporal client (start, signal, wait for the result).
- **(f) Webhook fan-out.** One vault with ${a.fanoutHooks} standard webhooks created through the API:
  ${a.fanoutHooks - 1} answer 204 at once, the last one reads the request and never answers (each attempt ends
  at the worker's 10 s delivery timeout, then Temporal retries it). One failing \`Backup\` job through
  the API raises one alert; the phase times each healthy delivery from the alert's \`raisedAt\`, waits
  up to 25 s to see the hanging delivery time out and be retried (still \`Pending\`), then deletes
  that webhook. The delivery log splits the time: rows planned (\`created_at\`), each attempt started
  (\`last_attempt_at\`), and the receiver's acceptance.
- **(c) API under load.** \`bench/seed.ts\` loads ${a.seedJobs.toLocaleString('en-US')} jobs and
  ${a.seedAlerts.toLocaleString('en-US')} alerts over 20 vaults and 90 days with \`COPY\` (time-ordered ids),
  then the items those jobs name (one per vault, workload and entity, with their last backup and
  open alert counts, so \`health\` is what the product would compute) and the delivery log of those
  alerts (\`bench/seed-extra.ts\`: an \`alert.raised\` webhook per alert and an email per alert of
  the even vaults, with a real rendered payload; 2% of webhooks and 0.5% of emails Failed, the newest
  Pending), then \`VACUUM (ANALYZE)\` as autovacuum would (times and sizes in the seed line above;
  \`--seed-jobs\` and \`--seed-alerts\` make it smaller). Each scenario gets ${a.apiRps} requests/s for ${a.apiSeconds} s, evenly
  paced and open loop (\`bench/lib/paced.ts\`: one request every ${(1000 / a.apiRps).toFixed(1)} ms, sent when due whether or not
  earlier ones answered, over keep-alive connections), rotating over the 20 vaults; deep scenarios
  carry the cursor of page 100 (limit 50), taken with the API's own list function. Latency counts
  from when a request was due, so a server that falls behind shows it (no coordinated omission).
  Until 2026-12-05 the phase used autocannon's \`overallRate\`, which sends each second's requests in
  a burst at the top of the second: p99 then measured the queue of that burst on 2 cores, not the
  rate. *rows* is the shortest page over the vaults. *SQL* replays the exact statements the API's
  list function sends (captured through a logging drizzle instance; the items list sends two, its
  page and the vault's policy) with the postgres driver, a 10-connection pool like the API's that
  prepares statements as the API's does (\`db/prepared-statements.ts\`), at the same even pace.
  *Bare HTTP* is the least an HTTP hop in front of that SQL costs here: \`bench/list-floor-server.ts\`,
  a child process like the API, \`node:http\` and the same pool running the very statements of each
  request and answering the rows as JSON, with no framework, validation or mapping; its *ratio* is its
  p99 over the SQL's. The three loads alternate in one-second slices (HTTP, SQL, bare HTTP, HTTP, …),
  so a stall of the shared machine weighs on every column alike (until the second run of 2026-12-05
  the SQL ran for its own ${a.apiSeconds} s after the HTTP, and the ratio compared two different windows). The
  bench sends its HTTP with \`node:http\` over kept-alive sockets: \`fetch\` cost the bench about 2 ms
  of CPU per request, taken from the services on 2 cores, and its busy event loop fired its own
  timers late, which the latencies blamed on the API.
  The list statement itself checks that the vault exists (the API looks it up separately only when a
  page comes back empty), so the SQL column replays all the database work of a non-empty page.
- **(d) One vault, one window.** An \`HourlyDigest\` vault; ${a.floodAlerts.toLocaleString('en-US')} alert rows inserted
  first, then as many \`alertRaised\` signal-with-starts (100 in flight) exactly as \`handAlertToVault\`
  sends them. The digest interval of this vault's workflow is picked so that its current window
  ends a little after the signals should be done (a 500-signal probe measures the rate first), and
  the time runs from the window's end to the provider accepting the digest. *events per run* is the
  history length of each run of the vault's workflow (it continues as new after 10,000 events).
- **(w) Missed-backup watch.** ${a.watchItems.toLocaleString('en-US')} items over ${a.watchVaults} vaults (vault default
  \`30d\` + \`1d\`) inserted in bulk with the rows the job activities write (\`policy_since\` = now,
  \`deadline_at\` = now + 31 d, a \`backup_watches\` row per vault), then one \`wakeBackupWatch\`
  signal-with-start per vault, as the activities send it. *Armed* is when every vault's watch has
  swept its vault and recorded its wake-up. Then ${a.watchIdleSeconds} s of idle (worker RSS and CPU), then
  ${a.watchMisses.toLocaleString('en-US')} items spread over the vaults get \`policy_since\` moved back so that the rule itself makes
  them due at one instant 10 s ahead (what a policy change does), their vaults are woken, and the
  lateness of each BackupMissed is measured as its \`raisedAt\` minus that instant, and as the moment
  a reader polling every 100 ms first sees it committed.
- **Phase cost.** CPU seconds (user + system, all threads, from \`/proc/<pid>/stat\`) of the worker,
  the floor worker, the API, the Temporal server, the Postgres backends connected to the bench
  database and the bench process itself, over each measured phase, with Postgres's committed and
  rolled-back transactions (\`pg_stat_database\`); per job where a phase runs jobs.

## Findings and next steps

${notes.join('\n\n')}
`;
}

// `npm run demo`: realistic traffic against a running API, to watch the Temporal UI, the inbox and
// the alert list fill up. Only the public HTTP API is used, as a backup service would.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readDevAdminToken } from './lib/dev-token';
import { DEMO_VAULTS, logBackups, randomJob, type PlannedJob } from './lib/demo-traffic';

const USAGE = `usage: npm run demo -- [--rate <jobs/s>] [--duration <s>]
  --rate      jobs started per second (default 2), plus two SQL log backups every 3 s
  --duration  stop after this many seconds (default: run until Ctrl-C)
  API_URL     the API (default http://localhost:3000); API_TOKEN is sent as the Bearer token (default: the one npm start keeps in .data/dev-admin-token)`;

const { values } = parseArgs({ options: { rate: { type: 'string' }, duration: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const rate = Number(values.rate ?? 2);
const duration = values.duration === undefined ? Infinity : Number(values.duration);
if (!(rate > 0 && rate <= 200) || !(duration > 0)) {
  console.error(`--rate must be in (0, 200] and --duration positive\n${USAGE}`);
  process.exit(2);
}
const API = (process.env.API_URL ?? 'http://localhost:3000').replace(/\/$/, '');
// The token `npm start` keeps in .data/ when none is given: the demo then works out of the box.
const TOKEN = process.env.API_TOKEN?.trim() || readDevAdminToken(fileURLToPath(new URL('..', import.meta.url))) || undefined;

const counts = { started: 0, completed: 0, failed: 0, cancelled: 0, refused: 0, errors: 0 };
let lastError = '';
let alerts = { now: 0, atStart: null as number | null, critical: 0, warning: 0 };
const pending = new Map<NodeJS.Timeout, () => Promise<void>>();
const inflight = new Set<Promise<void>>();
let stopping = false;
const began = Date.now();

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { accept: 'application/json', ...(TOKEN ? { authorization: `Bearer ${TOKEN}` } : {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${API}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function failed(what: string, detail: unknown) {
  counts.errors++;
  lastError = `${what}: ${detail instanceof Error ? detail.message : typeof detail === 'string' ? detail : JSON.stringify(detail)}`.slice(0, 160);
}

async function checked(what: string, request: Promise<{ status: number; body: any }>, ...ok: number[]) {
  try {
    const response = await request;
    if (ok.includes(response.status)) return response;
    failed(what, `HTTP ${response.status} ${response.body?.detail ?? ''}`);
  } catch (error) {
    failed(what, error);
  }
  return null;
}

function launch(job: PlannedJob) {
  const run = runJob(job).finally(() => inflight.delete(run));
  inflight.add(run);
}

async function runJob(job: PlannedJob) {
  const vault = `/v1/vaults/${job.vaultId}`;
  const started = await checked('start', call('POST', `${vault}/jobs`, job.start), 201, 422);
  if (!started) return;
  if (started.status === 422) return void counts.refused++;
  counts.started++;
  const id = encodeURIComponent(started.body.id);
  const finish = async () => {
    const { outcome } = job;
    const path = `${vault}/jobs/${id}/${outcome.kind}`;
    const done = await checked(outcome.kind, call('POST', path, outcome.kind === 'complete' ? outcome.body : undefined), 202);
    if (!done) return;
    if (outcome.kind === 'cancel') counts.cancelled++;
    else if (outcome.body.status === 'Failed') counts.failed++;
    else counts.completed++;
  };
  if (stopping) return finish();
  // A backup takes a while: the outcome follows after a short random delay.
  const timer = setTimeout(() => {
    pending.delete(timer);
    void finish();
  }, 500 + Math.random() * 3_500);
  pending.set(timer, finish);
}

async function pollAlerts() {
  let active = 0;
  let critical = 0;
  let warning = 0;
  for (const vault of DEMO_VAULTS) {
    const summary = await checked('alerts summary', call('GET', `/v1/vaults/${vault.id}/alerts/summary`), 200);
    if (!summary) return;
    const { Critical, Warning, Informational } = summary.body.active;
    active += Critical + Warning + Informational;
    critical += Critical;
    warning += Warning;
  }
  alerts = { now: active, atStart: alerts.atStart ?? active, critical, warning };
}

const elapsed = () => {
  const s = Math.floor((Date.now() - began) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
function statusLine() {
  const delta = alerts.atStart === null ? '' : ` (+${alerts.now - alerts.atStart} this run)`;
  return `${elapsed()}  jobs ${counts.started} started, ${counts.completed} completed, ${counts.failed} failed, ` +
    `${counts.cancelled} cancelled, ${counts.refused} refused (DPM) | alerts ${alerts.now} active: ${alerts.critical} critical, ` +
    `${alerts.warning} warning${delta} | errors ${counts.errors}`;
}
// One line rewritten in place on a terminal (\r and erase-line need no library); a line every 5 s
// when the output is a file or a pipe, so logs stay readable.
let lastPrinted = 0;
function render() {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${statusLine().slice(0, (process.stdout.columns || 200) - 1)}`);
  else if (Date.now() - lastPrinted >= 5_000) {
    lastPrinted = Date.now();
    console.log(statusLine());
  }
}

async function setUp() {
  for (const vault of DEMO_VAULTS) {
    const saved = await call('PUT', `/v1/vaults/${vault.id}`, vault.body);
    if (saved.status === 401 || saved.status === 403) {
      throw new Error(`PUT vault ${vault.id}: HTTP ${saved.status}: the demo needs an Admin token: set API_TOKEN, or start the stack with npm start (its token is in .data/dev-admin-token)`);
    }
    if (saved.status !== 200 && saved.status !== 201) throw new Error(`PUT vault ${vault.id}: HTTP ${saved.status} ${saved.body?.detail ?? ''}`);
    if (!vault.settings) continue;
    const settings = await call('PUT', `/v1/vaults/${vault.id}/notification-settings`, vault.settings);
    if (settings.status !== 200) throw new Error(`PUT settings of ${vault.id}: HTTP ${settings.status} ${settings.body?.detail ?? ''}`);
  }
}

async function consolidationReport(): Promise<string> {
  const vault = DEMO_VAULTS[0]!.id;
  const list = await call('GET', `/v1/vaults/${vault}/alerts?status=Active&scenario=BackupFailure&limit=500`).catch(() => null);
  const alert = list?.body?.items?.find((a: any) => a.entityName === 'sql-prod-01/SalesDb' && a.errorCode === 'UserErrorSQLLSNValidationFailure');
  return alert ? `SalesDb log backups: one Active alert with ${alert.occurrences} occurrences (${alert.id})` : 'SalesDb log backups: no Active alert yet';
}

async function stop(intervals: NodeJS.Timeout[]) {
  if (stopping) process.exit(130); // a second Ctrl-C: leave now
  stopping = true;
  intervals.forEach(clearInterval);
  // Jobs waiting for their outcome get it now: none is left InProgress to time out a day later.
  const finishing = [...pending].map(([timer, finish]) => (clearTimeout(timer), finish()));
  pending.clear();
  await Promise.race([Promise.all([...finishing, ...inflight]), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  await pollAlerts();
  const seconds = Math.floor((Date.now() - began) / 1000);
  console.log(`${process.stdout.isTTY ? '\n' : ''}\nSummary after ${seconds} s against ${API}:\n  ${statusLine().replace(/ \| /g, '\n  ')}`);
  console.log(`  ${await consolidationReport()}`);
  if (lastError) console.log(`  last error: ${lastError}`);
  console.log(`  jobs: ${API}/v1/vaults/${DEMO_VAULTS[0]!.id}/jobs   API reference: ${API}/docs`);
  process.exit(counts.errors > 0 && counts.started === 0 ? 1 : 0);
}

try {
  await setUp();
} catch (error) {
  console.error(`demo: cannot set up the demo vaults at ${API} (is the stack running? npm start): ${(error as Error).message}`);
  process.exit(1);
}
console.log(`demo: ${DEMO_VAULTS.map((v) => `${v.id} (${v.settings?.frequency ?? 'no settings'})`).join(', ')}; ${rate} jobs/s. Ctrl-C stops.`);
await pollAlerts();
const intervals = [
  setInterval(() => launch(randomJob()), 1000 / rate),
  setInterval(() => logBackups().forEach(launch), 3_000),
  setInterval(() => void pollAlerts(), 2_000),
  setInterval(() => render(), 250),
];
process.on('SIGINT', () => void stop(intervals));
process.on('SIGTERM', () => void stop(intervals));
if (Number.isFinite(duration)) setTimeout(() => void stop(intervals), duration * 1000);

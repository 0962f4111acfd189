// `npm start`: the whole local stack in one terminal. Temporal dev server (with UI, persistent),
// migrations, a local inbox when no email provider is configured, the worker and the API.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEnv, type Env } from '../config/env';
import { migrateDatabase } from '../db/migrate';
import { BACKUP_JOB_WORKFLOW } from '../workflows/definitions';
import { clusterPortsFromEnv, clusterPostgresFromEnv, startCluster } from './lib/cluster';
import { startDevServer } from './lib/dev-server';
import { ensureDevAdminToken } from './lib/dev-token';
import { ensureTemporalUi } from './lib/temporal-server';
import { startTemporalUi } from './lib/temporal-ui';
import { startLocalInbox, type LocalInbox } from './lib/local-inbox';
import { startService } from './lib/service';
import { ensureTemporalCli } from './lib/temporal-cli';
import { buildServices, workerNodeFlags } from './lib/build-services';
import { buildWorkflowBundleFile } from './lib/workflow-bundle';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = `${ROOT}.data/temporal`;
const say = (line: string) => console.log(`stack | ${line}`);

// Started parts, stopped in reverse: API, worker, inbox, then the Temporal server.
const running: Array<{ name: string; stop(): Promise<void> }> = [];
let shuttingDown = false;

async function shutdown(code: number, reason?: string): Promise<never> {
  if (shuttingDown) return new Promise<never>(() => {});
  shuttingDown = true;
  if (reason) console.error(`stack | ${reason}`);
  for (const part of running.reverse()) {
    say(`stopping ${part.name}…`);
    await part.stop().catch((error) => console.error(`stack | stopping ${part.name} failed: ${error}`));
  }
  say('stopped');
  process.exit(code);
}

// SIGHUP too: closing the terminal must stop the children (they run in their own process groups).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (shuttingDown) {
      console.error('stack | second signal: killing everything now');
      process.exit(1); // exit handlers in the libs SIGKILL the children
    }
    void shutdown(0);
  });
}

/** Reports an unexpected end of a part (not one we are stopping) and takes the stack down. */
function watch(name: string, ended: Promise<unknown>): void {
  void ended.then((how) => {
    if (!shuttingDown) void shutdown(1, `${name} stopped unexpectedly (${String(how)})`);
  });
}

/** `--temporal dev` (default: the CLI's dev server) or `--temporal cluster` (scripts/lib/cluster.ts). */
function temporalMode(argv: string[]): 'dev' | 'cluster' {
  const { values } = parseArgs({ args: argv, options: { temporal: { type: 'string', default: 'dev' } } });
  if (values.temporal !== 'dev' && values.temporal !== 'cluster') throw new Error(`--temporal must be dev or cluster, got "${values.temporal}"`);
  return values.temporal;
}

async function main(env: Env): Promise<void> {
  const external = process.env.TEMPORAL_ADDRESS?.trim();
  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUi: string | undefined;
  let temporalEnv: Record<string, string> = {};
  if (temporalMode(process.argv.slice(2)) === 'cluster') {
    say('starting the local Temporal cluster (Postgres temporal_cluster, log in .data/cluster/temporal_cluster.log)…');
    const cluster = await startCluster({
      ports: clusterPortsFromEnv(), postgres: clusterPostgresFromEnv(), namespace: env.TEMPORAL_NAMESPACE,
      logFile: `${ROOT}.data/cluster/temporal_cluster.log`, say,
    });
    running.push({ name: 'Temporal cluster', stop: cluster.stop });
    watch('the Temporal cluster', cluster.exited.then((code) => `exited with code ${code}`));
    temporalAddress = cluster.address;
    temporalEnv = cluster.clientEnv;
    const ui = await ensureTemporalUi().then((binary) => startTemporalUi({
      binary, temporalAddress: cluster.address, namespace: cluster.namespace, port: Number(process.env.CLUSTER_UI_PORT || 8334),
      logFile: `${ROOT}.data/cluster/temporal-ui.log`,
    })).catch((error: Error) => void say(`no Temporal UI (${error.message}): use the Temporal CLI`));
    if (ui) {
      running.push({ name: 'Temporal UI', stop: ui.stop });
      temporalUi = ui.url;
    }
  } else if (external) {
    say(`using the Temporal server at ${external} (TEMPORAL_ADDRESS)`);
  } else {
    const cliPath = await ensureTemporalCli();
    say(`starting the Temporal dev server (state in .data/temporal, log in .data/temporal/server.log)…`);
    const server = await startDevServer({
      cliPath, port: 7233, uiPort: 8233, namespace: env.TEMPORAL_NAMESPACE,
      dbFile: `${DATA}/temporal.db`, log: `${DATA}/server.log`,
    }).catch((error: Error) => {
      const busy = error.message.includes('address already in use');
      throw busy
        ? new Error('ports 7233/8233 are taken: is another stack or Temporal server running? ' +
            'Stop it, or point TEMPORAL_ADDRESS at it.\n' + error.message)
        : error;
    });
    running.push({ name: 'Temporal dev server', stop: server.stop });
    watch('the Temporal dev server', server.exited.then((code) => `exited with code ${code}`));
    temporalAddress = server.address;
    temporalUi = server.uiUrl;
  }

  say(`migrating ${redact(env.DATABASE_URL)}…`);
  await migrateDatabase(env.DATABASE_URL).catch((error: Error) => {
    throw new Error(`database migration failed (is Postgres running at ${redact(env.DATABASE_URL)}?): ${error.message}`);
  });

  let inbox: LocalInbox | undefined;
  if (!env.RESEND_API_KEY && !env.SMTP_URL) {
    // MailDev's usual ports first, so bookmarks keep working; any free ports if they are taken.
    inbox = await startLocalInbox().catch(() => startLocalInbox({ smtpPort: 0, webPort: 0 }));
    running.push({ name: 'local inbox', stop: inbox.stop });
  }

  // §7: the development admin token (your own API_ADMIN_TOKEN wins when set).
  const ownToken = env.API_ADMIN_TOKEN;
  const devToken = ownToken ? { token: ownToken, created: false } : ensureDevAdminToken(ROOT);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    API_ADMIN_TOKEN: devToken.token,
    // Readable lines on a terminal; JSON when the stack's output goes to a file or a pipe.
    LOG_FORMAT: env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    DATABASE_URL: env.DATABASE_URL,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    ...temporalEnv,
    PORT: String(env.PORT),
    // The local stack posts webhooks to receivers on this machine (§2.6); a deployment leaves it off.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'true',
    ...(inbox ? { SMTP_URL: inbox.smtpUrl } : {}),
  };
  say('bundling the workflow code and compiling the worker and the API (npm run build)…');
  const [bundle, built] = await Promise.all([buildWorkflowBundleFile(), buildServices()]);
  childEnv.WORKFLOW_BUNDLE_PATH = bundle;
  const worker = startService('worker', built.worker, { cwd: ROOT, env: childEnv, color: 35, nodeFlags: workerNodeFlags(process.env) });
  running.push(worker);
  watch('the worker', worker.exited);
  const api = startService('api', built.api, { cwd: ROOT, env: childEnv, color: 36 });
  running.push(api);
  watch('the API', api.exited);

  const apiUrl = `http://localhost:${env.PORT}`;
  await waitForHealth(`http://127.0.0.1:${env.PORT}/healthz`, 120_000);
  printBox([
    ['API', `${apiUrl}  (reference: ${apiUrl}/docs, OpenAPI: ${apiUrl}/openapi.json)`],
    ['Console', `${apiUrl}/console  (sign in with the admin token)`],
    ['Admin token', ownToken ? `${devToken.token}  (API_ADMIN_TOKEN)` : `${devToken.token}  (${devToken.created ? 'new, ' : ''}kept in .data/dev-admin-token)`],
    ['  try it', `curl -H "Authorization: Bearer ${devToken.token}" ${apiUrl}/v1/whoami`],
    ['Temporal UI', temporalUi ?? '(none for this server: use the Temporal CLI, see docs/deploy.md)'],
    ...(temporalUi
      ? ([['  job workflows', `${temporalUi}/namespaces/${env.TEMPORAL_NAMESPACE}/workflows?query=${encodeURIComponent(`WorkflowType="${BACKUP_JOB_WORKFLOW}"`)}`]] as const)
      : []),
    ['Temporal', `${temporalAddress}  (namespace ${env.TEMPORAL_NAMESPACE}, task queue ${env.TEMPORAL_TASK_QUEUE})`],
    ['Database', redact(env.DATABASE_URL)],
    ['Metrics', `${apiUrl}/metrics, worker :${env.WORKER_APP_METRICS_PORT} and :${env.WORKER_METRICS_PORT} (SDK)`],
    ['Demo traffic', 'npm run demo  (in another terminal; it uses the admin token)'],
    ['Email', inbox ? `local inbox ${inbox.webUrl}  (SMTP ${inbox.smtpUrl})` : env.RESEND_API_KEY ? 'Resend' : `SMTP ${redact(env.SMTP_URL ?? '')}`],
  ]);
  say('press Ctrl-C to stop everything');
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (shuttingDown) return new Promise<never>(() => {});
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the API did not become healthy at ${url} within ${timeoutMs / 1000} s (last: ${last})`);
}

/** Hides a password in a connection URL before it reaches the terminal. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function printBox(rows: ReadonlyArray<readonly [string, string]>): void {
  const label = Math.max(...rows.map(([name]) => name.length));
  const lines = ['Backup Monitor is running', '', ...rows.map(([name, value]) => `${name.padEnd(label)}  ${value}`)];
  const width = Math.max(...lines.map((line) => line.length));
  const bar = '─'.repeat(width + 2);
  console.log(`\n┌${bar}┐\n${lines.map((line) => `│ ${line.padEnd(width)} │`).join('\n')}\n└${bar}┘\n`);
}

try {
  await main(loadEnv());
} catch (error) {
  await shutdown(1, error instanceof Error ? error.message : String(error));
}

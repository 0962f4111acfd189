// `npm run cluster`: a real Temporal cluster on this machine's Postgres (see scripts/lib/cluster.ts),
// in the foreground until Ctrl-C. Point the worker and API at it with the printed variables, or
// run `npm start -- --temporal cluster` for the whole stack on it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clusterPortsFromEnv, clusterPostgresFromEnv, startCluster, type Cluster } from './lib/cluster';
import { generateDevCertificates } from './lib/dev-certs';
import { ensureTemporalUi } from './lib/temporal-server';
import { startTemporalUi, type TemporalUi } from './lib/temporal-ui';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, '.data', 'cluster');
const say = (line: string) => console.log(`cluster | ${line}`);

const USAGE = `npm run cluster -- [--mtls] [--no-ui] [--database NAME] [--namespace NAME] [--log-level warn]

  Ports: CLUSTER_FRONTEND_PORT (7333), CLUSTER_FRONTEND_HTTP_PORT (7343), CLUSTER_HISTORY_PORT (7334),
  CLUSTER_MATCHING_PORT (7335), CLUSTER_WORKER_PORT (7339), CLUSTER_*_MEMBERSHIP_PORT (6333/6334/6335/6339),
  CLUSTER_METRICS_PORT (8333), CLUSTER_PPROF_PORT (0 = off), CLUSTER_UI_PORT (8334, the Temporal UI).
  Postgres: CLUSTER_PG_HOST (127.0.0.1), CLUSTER_PG_PORT (5432), CLUSTER_PG_USER (postgres), CLUSTER_PG_PASSWORD.
  --mtls writes throw-away certificates to .data/cluster/certs and makes the frontend require them.
`;

const { values } = parseArgs({
  options: {
    mtls: { type: 'boolean' }, 'no-ui': { type: 'boolean' }, database: { type: 'string' }, namespace: { type: 'string' },
    'log-level': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

let cluster: Cluster | undefined;
let ui: TemporalUi | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await ui?.stop();
    if (cluster) say('stopping the server…');
    await cluster?.stop();
    say('stopped');
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));

try {
  const certs = values.mtls ? await generateDevCertificates(join(DATA, 'certs')) : undefined;
  const database = values.database ?? (certs ? 'temporal_cluster_mtls' : 'temporal_cluster');
  cluster = await startCluster({
    ports: clusterPortsFromEnv(), postgres: clusterPostgresFromEnv(), database, namespace: values.namespace,
    logFile: join(DATA, `${database}.log`), logLevel: (values['log-level'] as 'warn' | undefined) ?? 'warn', say,
    tls: certs && { caCert: certs.caCert, serverCert: certs.serverCert, serverKey: certs.serverKey, serverName: certs.serverName, clientCert: certs.clientCert, clientKey: certs.clientKey },
  });
  if (!values['no-ui']) {
    // Built once from the module proxy like the server; a failure costs the UI, not the cluster.
    ui = await ensureTemporalUi().then((binary) => startTemporalUi({
      binary, temporalAddress: cluster!.address, namespace: cluster!.namespace, port: Number(process.env.CLUSTER_UI_PORT || 8334),
      logFile: join(DATA, 'temporal-ui.log'), tls: certs,
    })).catch((error: Error) => {
      say(`no Temporal UI: ${error.message}`);
      return undefined;
    });
  }
  const exports = Object.entries(cluster.clientEnv).map(([name, value]) => `export ${name}=${value}`).join('\n');
  console.log(`
Temporal cluster ready at ${cluster.address} (namespace ${cluster.namespace}, 16 history shards, Postgres ${database} + ${database}_visibility)
Server log: ${join(DATA, `${database}.log`)}   Metrics: http://127.0.0.1:${cluster.ports.METRICS}/metrics

Worker and API against it (any number of each, in other terminals):
${exports}
npm run worker      # and: PORT=3001 npm run api

Or the whole stack:  npm start -- --temporal cluster
Temporal UI: ${ui ? `${ui.url}/namespaces/${cluster.namespace}/workflows` : '(not running: use the CLI)'}
The CLI: ${cluster.cliPath} workflow list ${cluster.cliFlags.join(' ')} --namespace ${cluster.namespace}

Ctrl-C stops the server.`);
  const code = await cluster.exited;
  if (!stopping) {
    console.error(`cluster | the server exited unexpectedly (code ${code}); see its log`);
    await shutdown(1);
  }
} catch (error) {
  console.error(`cluster | ${(error as Error).message}`);
  await shutdown(1);
}

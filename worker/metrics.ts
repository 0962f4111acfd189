// The worker's own Prometheus counters. The Temporal SDK serves its metrics (task latencies, slots,
// polls) from its own exporter on WORKER_METRICS_PORT, which takes no foreign series, so ours get
// a second small endpoint.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import type { ActivityMetrics } from '../activities/metrics';

export interface WorkerMetrics extends ActivityMetrics {
  registry: Registry;
}

export function createWorkerMetrics(registry = new Registry()): WorkerMetrics {
  const alerts = new Counter({
    name: 'alerts_raised_total',
    help: 'Alert occurrences recorded; consolidated="true" when folded into an Active alert (no email)',
    labelNames: ['severity', 'scenario', 'consolidated'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'deliveries_total',
    help: 'Delivery attempts by channel (email, webhook) and outcome (delivered, retry, failed)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  return {
    registry,
    alertRaised: ({ severity, scenario, consolidated }) => alerts.inc({ severity, scenario, consolidated: String(consolidated) }),
    delivery: ({ channel, outcome }) => deliveries.inc({ channel, outcome }),
  };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `registry` at /metrics; port 0 picks a free port (tests). */
export async function startMetricsServer({ registry, host, port }: { registry: Registry; host: string; port: number }): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { pinoSdkLogger, sdkLogLevel } from './sdk-logger';

export interface RuntimeSetup {
  log: Logger;
  /** LOG_LEVEL; also filters the Rust core's messages at their source. */
  level: string;
  /** `host:port` for the SDK's Prometheus exporter, or null for none. */
  metricsAddress: string | null;
}

/**
 * Installs the process-wide Temporal Runtime (before any connection is made) and answers the
 * metrics URL it serves. A busy metrics port must not keep a worker from processing tasks: it
 * warns and installs the Runtime without the exporter.
 */
export function installRuntime({ log, level, metricsAddress }: RuntimeSetup): { sdkMetricsUrl: string | null } {
  const base: RuntimeOptions = {
    logger: pinoSdkLogger(log),
    telemetryOptions: { logging: { forward: {}, filter: { core: sdkLogLevel(level), other: 'ERROR' } } },
  };
  if (metricsAddress) {
    try {
      Runtime.install({ ...base, telemetryOptions: { ...base.telemetryOptions, metrics: { prometheus: { bindAddress: metricsAddress } } } });
      return { sdkMetricsUrl: `http://${metricsAddress}/metrics` };
    } catch (error) {
      log.warn({ err: error, metricsAddress }, 'Temporal SDK metrics disabled: the exporter could not start');
    }
  }
  Runtime.install(base);
  return { sdkMetricsUrl: null };
}

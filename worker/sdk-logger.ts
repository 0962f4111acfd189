// The Temporal SDK logs through the Runtime logger: worker lifecycle, activity and workflow
// messages (with workflowId and runId) and, forwarded, the Rust core's. This sends all of it to
// pino, so the worker writes one JSON line per message like the API does.
import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { LogTimestamp } from '@temporalio/worker';
import type { Level, Logger } from 'pino';

const TO_PINO: Record<LogLevel, Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** The most verbose SDK level that pino at `level` would still print; core is filtered at source. */
export function sdkLogLevel(level: string): LogLevel {
  switch (level) {
    case 'trace': return 'TRACE';
    case 'debug': return 'DEBUG';
    case 'info': return 'INFO';
    case 'warn': return 'WARN';
    default: return 'ERROR';
  }
}

export function pinoSdkLogger(log: Logger): SdkLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    // The SDK's own timestamp is a symbol key pino would drop anyway. A task token is a
    // capability (it can complete the activity) and a long blob: it stays out of the logs.
    const { [LogTimestamp]: _timestamp, taskToken: _token, error, ...fields } = meta ?? {};
    // pino serializes Errors (message, stack) only under `err`.
    if (error !== undefined) fields[error instanceof Error ? 'err' : 'error'] = error;
    log[TO_PINO[level] ?? 'info'](fields, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}

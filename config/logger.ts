import pino, { type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** `pretty` on a terminal (or when LOG_FORMAT=pretty, as `npm start` sets for its children), else JSON. */
export function usePrettyLogs(format = process.env.LOG_FORMAT, tty = process.stdout.isTTY === true): boolean {
  return format === 'pretty' || (format !== 'json' && tty);
}

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options: LoggerOptions = {
    name,
    level,
    // Bearer tokens and provider keys must never reach the logs, whatever object gets logged.
    redact: {
      paths: ['*.authorization', '*.Authorization', '*.apiKey', '*.RESEND_API_KEY', 'headers.authorization', '*.token', '*.API_ADMIN_TOKEN', '*.secret'],
      censor: '[redacted]',
    },
  };
  if (!usePrettyLogs()) return pino(options);
  // A stream in this thread rather than a transport worker: nothing is lost on process.exit.
  return pino(options, pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true }));
}

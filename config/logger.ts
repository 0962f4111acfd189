import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    // Bearer tokens and provider keys must never reach the logs, whatever object gets logged.
    redact: { paths: ['*.authorization', '*.Authorization', '*.apiKey', '*.RESEND_API_KEY', 'headers.authorization'], censor: '[redacted]' },
  });
}

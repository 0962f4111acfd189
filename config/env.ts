import { z } from 'zod';
import { parseDuration } from '../domain/duration';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 500ms, 30s, 10m, 1h)` });
        return z.NEVER;
      }
      return ms;
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

export const envSchema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/backup_monitor'),
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('backup-monitor'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DIGEST_INTERVAL: duration('1h'),
  JOB_TIMEOUT: duration('24h'),
  // §2.8: weekly report periods [M + k·R, M + (k+1)·R) from Monday 1970-01-05; tests use seconds.
  REPORT_INTERVAL: duration('7d'),
  EMAIL_FROM: z.string().min(3).default('Backup Monitor <alerts@backup-monitor.local>'),
  RESEND_API_KEY: optionalText,
  RESEND_BASE_URL: optionalText,
  SMTP_URL: optionalText,
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  // §7 bootstrap token: that exact string authenticates as the unscoped Admin `admin`. Optional:
  // without it only tokens from the tokens table (npm run token:create) authenticate.
  API_ADMIN_TOKEN: optionalText,
  // pretty: human-readable lines (pino-pretty); json: one JSON object per line. Default: pretty
  // on a terminal, JSON otherwise (files, pipes, log collectors).
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // 0 turns an endpoint off: several workers on one host each need their own ports.
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(1).default(250),
  // A bundle from `npm run build:workflows`: the worker then starts without webpack (less RSS).
  WORKFLOW_BUNDLE_PATH: optionalText,
  WORKER_APP_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  /** §2.6: loopback and private webhook targets are refused unless this is true. */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false', '']).optional().transform((v) => v === 'true'),
});

export type Env = z.infer<typeof envSchema>;

/** Validates the environment once at start; a bad value stops the process with a readable list. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}

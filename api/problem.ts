import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const PROBLEM_TYPES = {
  400: 'validation-error',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  500: 'internal-error',
  503: 'unavailable',
} as const;

export const PROBLEM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

/** Thrown anywhere in a request; the app's single error handler turns it into problem+json. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export function problemBody(status: number, detail: string, extensions: Record<string, unknown> = {}): Problem {
  const slug = PROBLEM_TYPES[status as keyof typeof PROBLEM_TYPES] ?? 'error';
  return {
    type: `https://backup-monitor.dev/problems/${slug}`,
    title: PROBLEM_TITLES[status] ?? 'Error',
    status,
    detail,
    ...extensions,
  };
}

export function problemResponse(c: Context, status: ContentfulStatusCode, detail: string, extensions?: Record<string, unknown>) {
  return c.body(JSON.stringify(problemBody(status, detail, extensions)), status, {
    'content-type': 'application/problem+json',
  });
}

export const notFound = (what: string) => new ProblemError(404, `${what} was not found.`);

import type { z } from '@hono/zod-openapi';
import { ProblemError } from './problem';

export function issuesOf(error: z.ZodError, where: string) {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function validationProblem(error: z.ZodError, where: string): ProblemError {
  const errors = issuesOf(error, where);
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new ProblemError(400, `The request is not valid: ${detail}`, { errors });
}

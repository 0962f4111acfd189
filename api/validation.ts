import type { z } from '@hono/zod-openapi';
import { ProblemError } from './problem';

export function issuesOf(error: z.ZodError, where: string) {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

const detailOf = (errors: ReturnType<typeof issuesOf>) => errors.map((e) => `${e.path}: ${e.message}`).join('; ');

/** Each issue as `where.path: message`, joined: the detail of a validation problem. */
export function issuesDetail(error: z.ZodError, where: string): string {
  return detailOf(issuesOf(error, where));
}

export function validationProblem(error: z.ZodError, where: string): ProblemError {
  const errors = issuesOf(error, where);
  return new ProblemError(400, `The request is not valid: ${detailOf(errors)}`, { errors });
}

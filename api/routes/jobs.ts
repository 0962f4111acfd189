import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { decodeCursor } from '../cursor';
import type { AppDeps, AppEnv } from '../deps';
import { cancelJob, completeJob, readJob, startJob, withAcceptedOutcomes } from '../commands/jobs';
import { listJobs } from '../../readmodel/jobs';
import { notFound } from '../problem';
import * as example from '../examples';
import { CompleteJobBody, Job, JobListQuery, JobPage, JobParams, StartJobBody, VaultParams } from '../schemas';
import { jsonBody, problems, requireVault, vaultPage } from './shared';

const Accepted = z.object({ id: z.string(), vaultId: z.string(), accepted: z.enum(['complete', 'cancel']) })
  .openapi({ example: { id: example.LATEST_JOB_ID, vaultId: example.VAULT_ID, accepted: 'complete' } });

export function registerJobRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'post', path: '/v1/vaults/{vaultId}/jobs', tags: ['Jobs'], summary: 'Start a job',
      request: { params: VaultParams, body: jsonBody(StartJobBody) },
      responses: {
        201: { description: 'Job started (recorded in Postgres; its workflow runs when a worker is up)', content: { 'application/json': { schema: Job, example: example.startedJob } } },
        200: { description: 'A job with this jobId exists: the same job, however long ago it ran', content: { 'application/json': { schema: Job } } },
        ...problems(400, 404, 422, 503),
      },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const body = c.req.valid('json');
      // startJob checks the vault in the statement that looks up the jobId.
      const { created, job } = await startJob(deps, vaultId, body);
      return created ? c.json(job, 201) : c.json(job, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/vaults/{vaultId}/jobs/{jobId}/complete', tags: ['Jobs'], summary: 'Report a job outcome',
      request: { params: JobParams, body: jsonBody(CompleteJobBody) },
      responses: { 202: { description: 'Accepted: the outcome is claimed durably, also while workers are down', content: { 'application/json': { schema: Accepted } } }, ...problems(400, 404, 409, 503) },
    }),
    async (c) => {
      const { vaultId, jobId } = c.req.valid('param');
      const body = c.req.valid('json');
      // completeJob checks the vault inside its claim statement: one round trip fewer per outcome.
      await completeJob(deps, vaultId, jobId, body);
      return c.json({ id: jobId, vaultId, accepted: 'complete' as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/vaults/{vaultId}/jobs/{jobId}/cancel', tags: ['Jobs'], summary: 'Cancel a job (by the user)',
      request: { params: JobParams },
      responses: { 202: { description: 'Accepted: the cancellation is claimed durably, also while workers are down', content: { 'application/json': { schema: Accepted } } }, ...problems(404, 409, 503) },
    }),
    async (c) => {
      const { vaultId, jobId } = c.req.valid('param');
      await cancelJob(deps, vaultId, jobId);
      return c.json({ id: jobId, vaultId, accepted: 'cancel' as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/jobs', tags: ['Jobs'], summary: 'List visible jobs, newest first',
      request: { params: VaultParams, query: JobListQuery },
      responses: { 200: { description: 'A page of jobs', content: { 'application/json': { schema: JobPage } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const query = c.req.valid('query');
      const cursor = decodeCursor(query.cursor, 'key');
      const page = await vaultPage(deps, vaultId, listJobs(deps.db, vaultId, { ...query, cursor }));
      return c.json(withAcceptedOutcomes(deps, page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/jobs/{jobId}', tags: ['Jobs'], summary: 'Get a job',
      request: { params: JobParams },
      responses: { 200: { description: 'The job', content: { 'application/json': { schema: Job } } }, ...problems(404) },
    }),
    async (c) => {
      const { vaultId, jobId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      const job = await readJob(deps, vaultId, jobId);
      if (!job) throw notFound(`Job ${jobId} in vault ${vaultId}`);
      return c.json(job, 200);
    },
  );
}

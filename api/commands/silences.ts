// §2.7: silences are written straight to Postgres (they read back at once); their window
// boundaries are one durable workflow each, started in the creating transaction.
import { and, eq, isNull } from 'drizzle-orm';
import { silences } from '../../db/schema';
import type { SilenceMatch } from '../../domain/model';
import { parseSilenceInput, type SilenceInput } from '../../domain/silences';
import { recordAudit } from '../../readmodel/audit';
import { findSilence, silenceFromRow } from '../../readmodel/silences';
import { releaseSilenceSignal, SILENCE_WORKFLOW, silenceWorkflowId, searchAttributes, type SilenceWindowInput } from '../../workflows/definitions';
import type { AppDeps } from '../deps';
import { notFound, ProblemError } from '../problem';

export interface Actor {
  by: string;
  requestId: string | null;
}

const startOptions = (deps: AppDeps, input: SilenceWindowInput) => ({
  workflowId: silenceWorkflowId(input.silenceId),
  taskQueue: deps.taskQueue,
  args: [input] as [SilenceWindowInput],
  typedSearchAttributes: [{ key: searchAttributes.vaultId, value: input.vaultId }],
  staticSummary: `Maintenance window ${input.silenceId} of vault ${input.vaultId}`,
});

export async function createSilence(deps: AppDeps, vaultId: string, body: SilenceInput & { match: SilenceMatch; comment: string }, actor: Actor) {
  const now = deps.now?.() ?? new Date();
  const parsed = parseSilenceInput(body, now);
  if (!parsed.ok) throw new ProblemError(400, `The silence is not valid: ${parsed.problems.join('; ')}`, { errors: parsed.problems });
  const { duration, ...window } = parsed.window;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(silences).values({
      vaultId, match: body.match, comment: body.comment, ...window, duration, createdBy: actor.by, createdAt: now,
    }).returning();
    await recordAudit(tx, { principal: actor.by, action: 'silence.created', vaultId, target: `silence/${row!.id}`, requestId: actor.requestId, at: now });
    // Started before the commit: if Temporal is down the silence is not created (503); if the
    // commit fails after the start, the workflow finds no silence and finishes.
    await deps.temporal.workflow.start(SILENCE_WORKFLOW, startOptions(deps, { vaultId, silenceId: row!.id }));
    return silenceFromRow(row!, now);
  });
}

/** Expires the silence now (idempotent) and has its workflow release what it held back at once. */
export async function deleteSilence(deps: AppDeps, vaultId: string, silenceId: string, actor: Actor): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await deps.db.transaction(async (tx) => {
    const existing = await findSilence(tx, vaultId, silenceId);
    if (!existing) throw notFound(`Silence ${silenceId} in vault ${vaultId}`);
    const [row] = await tx.update(silences)
      .set({ deletedAt: now, endsAt: existing.endsAt && existing.endsAt < now ? existing.endsAt : now })
      .where(and(eq(silences.id, silenceId), isNull(silences.deletedAt)))
      .returning({ id: silences.id });
    if (row) await recordAudit(tx, { principal: actor.by, action: 'silence.deleted', vaultId, target: `silence/${silenceId}`, requestId: actor.requestId, at: now });
  });
  // Also on a repeated delete, so a retry after a lost signal still releases at once.
  // signalWithStart: a finished (or never started) workflow runs once more, releases, and ends.
  await deps.temporal.workflow.signalWithStart(SILENCE_WORKFLOW, {
    ...startOptions(deps, { vaultId, silenceId }), signal: releaseSilenceSignal, signalArgs: [],
  });
}

// One attempt of one delivery: load the row, render its payload on the first attempt, call the
// channel, record what happened. Temporal's retry policy (workflows/delivery.ts) schedules the
// next attempt; this code only says whether there should be one.
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import { truncate, type Channel, type SendableDelivery, type SendOutcome } from '../channels/types';
import type { Database } from '../db/client';
import { deliveries, webhooks } from '../db/schema';
import { recordAlertHistory } from '../readmodel/alert-history';
import type { DeliveryResult } from '../workflows/definitions';
import { activityLog } from './log';
import { noMetrics, type ActivityMetrics } from './metrics';
import { NothingToRender, renderPayload, renderSpecOf } from './render-delivery';

export interface DeliveryChannels {
  email: Channel<Extract<SendableDelivery, { channel: 'email' }>>;
  webhook: Channel<Extract<SendableDelivery, { channel: 'webhook' }>>;
}

export interface DeliveryDeps {
  db: Database;
  channels: DeliveryChannels;
  publicUrl: string;
  metrics?: ActivityMetrics;
}

type Row = typeof deliveries.$inferSelect;
const UNKNOWN = 'outcome unknown';

/** Another attempt of the delivery is out, begun this long ago: this one did not send. */
export interface InFlight {
  inFlightForMs: number;
}

function smallFailure(error: unknown): never {
  if (error instanceof ApplicationFailure) throw error;
  // Database errors quote their whole statement: keep failures small (they are history events).
  throw ApplicationFailure.create({ message: truncate(`internal error: ${(error as Error).message}`), type: 'DeliveryError' });
}

export function createDeliveryActivities(deps: DeliveryDeps) {
  const { attemptDelivery, giveUpDelivery } = createDeliveryAttempts(deps);
  return { attemptDelivery, giveUpDelivery };
}

/**
 * The attempt and the give-up, outside any activity set: the delivery workflow's activities call
 * them, and so does the first attempt made right after an alert is raised (first-attempt.ts).
 */
export function createDeliveryAttempts({ db, channels, publicUrl, metrics = noMetrics }: DeliveryDeps) {
  async function load(id: string): Promise<Row> {
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
    if (!row) throw ApplicationFailure.nonRetryable(`delivery ${id} does not exist`, 'DeliveryMissing');
    return row;
  }

  /** The stored payload, rendered now if this is the first attempt; the first rendering wins a race. */
  async function payloadOf(row: Row): Promise<Record<string, unknown>> {
    const spec = renderSpecOf(row.payload);
    if (!spec) return row.payload ?? {};
    const rendered = await renderPayload(db, row, spec, publicUrl);
    const [stored] = await db.update(deliveries).set({ payload: rendered })
      .where(and(eq(deliveries.id, row.id), sql`${deliveries.payload} ? 'render'`))
      .returning({ payload: deliveries.payload });
    return stored?.payload ?? (await load(row.id)).payload ?? {};
  }

  async function finish(row: Row, attempts: number, status: 'Delivered' | 'Failed', lastError: string | null, providerId?: string) {
    const now = new Date();
    await db.transaction(async (tx) => {
      const [changed] = await tx.update(deliveries)
        .set({ status, lastError, inFlightSince: null, deliveredAt: status === 'Delivered' ? now : null, providerId: providerId ?? null })
        .where(and(eq(deliveries.id, row.id), eq(deliveries.status, 'Pending')))
        .returning({ id: deliveries.id });
      // §2.4: every alert the message was about records that it reached this target.
      const about = row.alertIds.length > 0 ? row.alertIds : row.alertId ? [row.alertId] : [];
      if (changed && status === 'Delivered') {
        // In chunks: a digest may list more alerts than one statement takes parameters.
        for (let i = 0; i < about.length; i += 1_000) {
          await recordAlertHistory(tx, about.slice(i, i + 1_000).map((alertId) => ({
            alertId, vaultId: row.vaultId, action: 'Notified' as const, by: 'system', at: now,
            channel: row.channel, target: row.target, deliveryId: row.id,
          })));
        }
      }
    });
    return { status, attempts };
  }

  async function send(row: Row): Promise<SendOutcome> {
    const payload = await payloadOf(row);
    if (row.channel === 'email') {
      const { subject, html, text } = payload as { subject?: string; html?: string; text?: string };
      if (typeof subject !== 'string' || typeof text !== 'string') return { outcome: 'failed', reason: 'payload has no subject and text' };
      return channels.email.send({ id: row.id, channel: 'email', target: row.target, payload: { subject, html: html ?? '', text } });
    }
    const [hook] = row.webhookId ? await db.select().from(webhooks).where(eq(webhooks.id, row.webhookId)) : [];
    if (!hook || hook.deletedAt) return { outcome: 'failed', reason: 'the webhook was deleted' };
    if (!hook.enabled && row.event !== 'test') return { outcome: 'failed', reason: `the webhook is disabled${hook.disabledReason ? `: ${hook.disabledReason}` : ''}` };
    const body = (payload as { body?: unknown }).body;
    if (typeof body !== 'string') return { outcome: 'failed', reason: 'payload has no body' };
    return channels.webhook.send({ id: row.id, channel: 'webhook', target: row.target, payload: { body }, secret: hook.secret });
  }

  return {
    async attemptDelivery({ deliveryId }: { deliveryId: string }): Promise<DeliveryResult> {
      // Without yieldWithinMs an attempt never answers InFlight.
      return attempt(deliveryId).catch(smallFailure) as Promise<DeliveryResult>;
    },

    /**
     * The same attempt, except that it yields to another attempt of the delivery started less than
     * `yieldWithinMs` ago (a re-run of the raise that made the first one): at most one attempt of a
     * delivery is out at a time, so an endpoint never gets the same delivery twice at once.
     */
    async attemptUnlessInFlight({ deliveryId, yieldWithinMs }: { deliveryId: string; yieldWithinMs: number }): Promise<DeliveryResult | InFlight> {
      return attempt(deliveryId, yieldWithinMs).catch(smallFailure);
    },

    /** After 24 h of retries (or a failure of the attempt activity itself): Failed, with why. */
    async giveUpDelivery({ deliveryId, reason }: { deliveryId: string; reason: string }): Promise<DeliveryResult> {
      const row = await load(deliveryId);
      if (row.status !== 'Pending') return { status: row.status as 'Delivered' | 'Failed', attempts: row.attempts };
      const lastError = row.lastError ? `${reason} (last error: ${row.lastError})` : reason;
      metrics.delivery({ channel: row.channel, outcome: 'failed' });
      return finish(row, row.attempts, 'Failed', lastError.slice(0, 1_000));
    },
  };

  async function attempt(deliveryId: string, yieldWithinMs?: number): Promise<DeliveryResult | InFlight> {
    const row = await load(deliveryId);
    if (row.status !== 'Pending') return { status: row.status as 'Delivered' | 'Failed', attempts: row.attempts };
    const inFlightForMs = row.inFlightSince ? Date.now() - row.inFlightSince.getTime() : null;
    if (yieldWithinMs !== undefined && inFlightForMs !== null && inFlightForMs < yieldWithinMs) return { inFlightForMs };
    const attempts = row.attempts + 1;
    // Recorded before the call: a crash mid-send leaves the row saying an attempt is in flight.
    // When yielding, the attempt count is compared too: of two attempts begun together, one sends.
    const [began] = await db.update(deliveries).set({
      attempts, lastAttemptAt: new Date(), inFlightSince: new Date(),
      lastError: row.inFlightSince ? `${UNKNOWN}: an earlier attempt did not finish; sending again under the same id` : row.lastError,
    }).where(yieldWithinMs === undefined ? eq(deliveries.id, row.id) : and(eq(deliveries.id, row.id), eq(deliveries.attempts, row.attempts)))
      .returning({ id: deliveries.id });
    if (!began) {
      // Only a yielding attempt compares the count; for the others the row itself is gone.
      if (yieldWithinMs === undefined) throw ApplicationFailure.nonRetryable(`delivery ${deliveryId} does not exist`, 'DeliveryMissing');
      return { inFlightForMs: 0 };
    }

    let outcome: SendOutcome;
    try {
      outcome = await send(row);
    } catch (error) {
      outcome = error instanceof NothingToRender
        ? { outcome: 'failed', reason: error.message }
        : { outcome: 'retry', error: truncate(`internal error: ${(error as Error).message}`) };
    }
    const fields = { deliveryId: row.id, vaultId: row.vaultId, channel: row.channel, event: row.event, attempts };
    metrics.delivery({ channel: row.channel, outcome: outcome.outcome });
    if (outcome.outcome === 'delivered') {
      activityLog().info('delivery delivered', fields);
      return finish(row, attempts, 'Delivered', null, outcome.providerId);
    }
    if (outcome.outcome === 'failed') {
      activityLog().warn('delivery failed', { ...fields, reason: outcome.reason });
      if (outcome.disable && row.webhookId) {
        await db.update(webhooks).set({ enabled: false, disabledReason: outcome.reason }).where(eq(webhooks.id, row.webhookId));
      }
      return finish(row, attempts, 'Failed', outcome.reason);
    }
    const lastError = outcome.unknown && !outcome.error.startsWith(UNKNOWN) ? `${UNKNOWN}: ${outcome.error}` : outcome.error;
    // An unknown outcome keeps inFlightSince: the next attempt reuses the id, never a new one.
    await db.update(deliveries).set({ lastError, inFlightSince: outcome.unknown ? row.inFlightSince ?? new Date() : null })
      .where(eq(deliveries.id, row.id));
    activityLog().info('delivery will be retried', { ...fields, error: lastError });
    throw ApplicationFailure.create({
      message: lastError, type: 'DeliveryRetry', nonRetryable: false,
      ...(outcome.afterMs !== undefined ? { nextRetryDelay: outcome.afterMs } : {}),
    });
  }
}

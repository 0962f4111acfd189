import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { emailOutbox } from '../db/schema';
import { sanitizeSubject } from '../emails/format';
import type { EmailKind } from '../emails/types';
import { MailerError, type Mailer } from './mailer/types';

export const EMAIL_REJECTED = 'EmailRejected';
export const EMAIL_PROVIDER_UNAVAILABLE = 'EmailProviderUnavailable';

export interface OutboxEmail {
  kind: EmailKind;
  vaultId: string;
  recipients: string[];
  alertIds?: string[];
  subject: string;
  html: string;
  text: string;
  idempotencyKey: string;
}

export interface DeliveryResult {
  outboxId: string;
  idempotencyKey: string;
  status: 'Sent';
  providerId: string;
  attempts: number;
  sentAt: string;
  /** True when an earlier attempt had already sent it: nothing was sent this time. */
  alreadySent: boolean;
}

/** The subset of pino the outbox uses. */
export interface OutboxLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
}

export interface EmailOutboxDeps {
  db: Database;
  mailer: Mailer;
  /** EMAIL_FROM, used verbatim on every email. */
  from: string;
  log?: OutboxLogger;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Trimmed, de-duplicated case-insensitively; the first spelling of an address is kept. */
export function normalizeRecipients(recipients: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of recipients) {
    const address = raw.trim();
    if (address && !seen.has(address.toLowerCase())) seen.set(address.toLowerCase(), address);
  }
  return [...seen.values()];
}

export interface IdempotencyKeyParts {
  kind: EmailKind;
  vaultId: string;
  alertIds?: readonly string[];
  windowStart?: string;
  recipients: readonly string[];
  /** Tells apart emails that are otherwise identical, e.g. the settings change behind a welcome email. */
  scope?: string;
}

/**
 * One key per logical email, the same however often and wherever it is computed: order and case
 * of recipients and the order of alert ids do not matter, and timestamps are compared as instants.
 */
export function idempotencyKeyFor(parts: IdempotencyKeyParts): string {
  const instant = parts.windowStart === undefined ? null : new Date(parts.windowStart);
  const canonical = JSON.stringify({
    kind: parts.kind,
    vaultId: parts.vaultId,
    alertIds: [...new Set(parts.alertIds ?? [])].sort(),
    windowStart: instant && !Number.isNaN(instant.getTime()) ? instant.toISOString() : (parts.windowStart ?? null),
    recipients: normalizeRecipients(parts.recipients).map((address) => address.toLowerCase()).sort(),
    scope: parts.scope ?? null,
  });
  return `${parts.kind}:${sha256(canonical)}`;
}

function failure(message: string, type: string, nonRetryable: boolean, details: Record<string, unknown>) {
  // Details only carry ids and codes: they land in workflow history, which must hold no secrets.
  return ApplicationFailure.create({ message, type, nonRetryable, details: [details] });
}

const truncate = (text: string, max = 2_000) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function createEmailOutbox({ db, mailer, from, log }: EmailOutboxDeps) {
  return {
    /**
     * Sends one logical email at most once. The row is locked while sending, so a concurrent
     * attempt with the same key (a retried activity whose first run is still going) waits and
     * then finds it Sent. A crash after the provider accepted but before the row says Sent is
     * covered by the provider's idempotency key: the next attempt gets the same id back.
     */
    async deliver(email: OutboxEmail): Promise<DeliveryResult> {
      const key = email.idempotencyKey;
      const recipients = normalizeRecipients(email.recipients);
      if (!key) throw failure('email has no idempotency key', EMAIL_REJECTED, true, { kind: email.kind });
      if (recipients.length === 0) {
        throw failure(`email ${key} has no recipients`, EMAIL_REJECTED, true, { idempotencyKey: key });
      }
      const subject = sanitizeSubject(email.subject);

      await db
        .insert(emailOutbox)
        .values({ idempotencyKey: key, kind: email.kind, vaultId: email.vaultId, recipients, alertIds: email.alertIds ?? [], subject, html: email.html, textBody: email.text })
        .onConflictDoNothing({ target: emailOutbox.idempotencyKey });

      const outcome = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, key)).for('update');
        if (!row) throw new Error(`outbox row ${key} disappeared`);
        if (row.status === 'Sent') return { sent: true as const, row, alreadySent: true };

        const attempts = row.attempts + 1;
        try {
          // A retry re-sends exactly what the first attempt sent, even if the alert changed since.
          const { providerId } = await mailer.send({
            from, to: row.recipients, subject: row.subject, html: row.html ?? email.html, text: row.textBody ?? email.text, idempotencyKey: key,
          });
          const [sent] = await tx
            .update(emailOutbox)
            .set({ status: 'Sent', providerId, attempts, sentAt: new Date(), lastError: null })
            .where(eq(emailOutbox.id, row.id))
            .returning();
          return { sent: true as const, row: sent ?? row, alreadySent: false };
        } catch (error) {
          const classified =
            error instanceof MailerError
              ? error
              : new MailerError(error instanceof Error ? error.message : String(error), { retryable: true, cause: error });
          // Recorded in the same transaction, which commits: the error is returned, not thrown.
          await tx
            .update(emailOutbox)
            .set({ status: classified.retryable ? 'Pending' : 'Failed', attempts, lastError: truncate(classified.message) })
            .where(eq(emailOutbox.id, row.id));
          return { sent: false as const, row: { ...row, attempts }, error: classified };
        }
      });

      const { row } = outcome;
      const fields = { outboxId: row.id, idempotencyKey: key, kind: email.kind, vaultId: email.vaultId, attempts: row.attempts };
      if (outcome.sent) {
        if (!outcome.alreadySent) log?.info({ ...fields, providerId: row.providerId }, 'email sent');
        return {
          outboxId: row.id,
          idempotencyKey: key,
          status: 'Sent',
          providerId: row.providerId ?? '',
          attempts: row.attempts,
          sentAt: (row.sentAt ?? new Date()).toISOString(),
          alreadySent: outcome.alreadySent,
        };
      }
      const { error } = outcome;
      const details = { ...fields, status: error.status, code: error.code };
      log?.warn({ ...details, retryable: error.retryable, error: error.message }, 'email not sent');
      throw error.retryable
        ? failure(`email provider unavailable: ${error.message}`, EMAIL_PROVIDER_UNAVAILABLE, false, details)
        : failure(`email rejected: ${error.message}`, EMAIL_REJECTED, true, details);
    },
  };
}

export type EmailOutbox = ReturnType<typeof createEmailOutbox>;

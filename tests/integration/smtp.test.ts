// §8: an SMTP send whose outcome is unknown (the server took the message and never answered) is
// recorded as such and resent only under the same Message-ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, messageIdOf } from '../../channels/email-smtp';
import { createVault, EMAIL_FROM, eventually, startStack, type Stack } from '../support/stack';
import { startTinySmtp } from '../support/tiny-smtp';

let stack: Stack;
let smtp: Awaited<ReturnType<typeof startTinySmtp>>;
beforeAll(async () => {
  smtp = await startTinySmtp();
  stack = await startStack({ channels: { email: createSmtpChannel({ url: smtp.url, from: EMAIL_FROM, timeoutMs: 1_000 }) } });
});
afterAll(async () => {
  await stack?.close();
  await smtp?.stop();
});

describe('SMTP with an unknown outcome', () => {
  it('a timeout after the server accepted: Pending with "outcome unknown", then resent under the same Message-ID only', async () => {
    const vaultId = await createVault(stack);
    smtp.hang(1);
    const saved = await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], frequency: 'PerAlert' });
    expect(saved.status).toBe(200);
    const [row] = await eventually(async () => {
      const rows = await stack.sql`select id, status, last_error, in_flight_since from deliveries where vault_id = ${vaultId}`;
      return rows[0]?.last_error?.includes('outcome unknown') ? rows : null;
    }, 'the unknown outcome to be recorded');
    expect(row!.status).toBe('Pending');
    expect(row!.in_flight_since).not.toBeNull();

    await eventually(async () => (await stack.sql`select status from deliveries where id = ${row!.id}`)[0]!.status === 'Delivered', 'the resend');
    const mine = smtp.messages.filter((m) => m.raw.includes(vaultId));
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine[0]!.answered).toBe(false);
    expect(new Set(mine.map((m) => m.messageId))).toEqual(new Set([messageIdOf(row!.id)]));
    expect(mine[0]!.raw).toMatch(new RegExp(`^From: ${EMAIL_FROM.replace(/[<>]/g, '.')}`, 'm'));
    const [done] = await stack.sql`select attempts, in_flight_since, last_error from deliveries where id = ${row!.id}`;
    expect(done).toMatchObject({ in_flight_since: null, last_error: null });
    expect(done!.attempts).toBe(mine.length);
  }, 30_000);

  it('sends under the delivery id as Message-ID; a refused connection is a retry', async () => {
    const channel = createSmtpChannel({ url: smtp.url, from: EMAIL_FROM, timeoutMs: 1_000 });
    const outcome = await channel.send({ id: '00000000-0000-4000-8000-0000000000aa', channel: 'email', target: 'a@contoso.com', payload: { subject: 's', html: '<p>h</p>', text: 't' } });
    expect(outcome).toEqual({ outcome: 'delivered', providerId: '<00000000-0000-4000-8000-0000000000aa@backup-monitor>' });
    const refused = await createSmtpChannel({ url: 'smtp://127.0.0.1:1', from: EMAIL_FROM, timeoutMs: 1_000 })
      .send({ id: '00000000-0000-4000-8000-0000000000ab', channel: 'email', target: 'a@contoso.com', payload: { subject: 's', html: 'h', text: 't' } });
    expect(refused).toMatchObject({ outcome: 'retry' });
  });
});

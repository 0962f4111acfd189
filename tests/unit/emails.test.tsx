import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUBJECT_MAX_LENGTH, formatWindow, sanitizeSubject } from '../../emails/format';
import { SAMPLES, SAMPLE_PUBLIC_URL, sampleAlert, sampleDigestAlerts } from '../../emails/preview/samples';
import { renderEmail } from '../../emails/render';
import { EMAIL_KINDS } from '../../emails/types';

const publicUrl = 'https://monitor.example.com/';
const hostile = '<script>alert(1)</script>';
const vault = { id: 'prod', name: 'prod' };

describe('AlertEmail', () => {
  const alert = sampleAlert({ entityName: 'vm-01', errorCode: 'UserErrorSnapshotFailed', errorMessage: `Disk failed ${hostile} & more` });

  it('names severity, scenario, item and vault in the subject', async () => {
    const { subject } = await renderEmail('alert', { vault, alert }, { publicUrl });
    expect(subject).toBe('[Critical] BackupFailure on vm-01 in vault prod');
  });

  it('escapes untrusted text in the HTML', async () => {
    const { html } = await renderEmail('alert', { vault, alert }, { publicUrl });
    expect(html).not.toContain(hostile);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&amp; more');
    expect(html).not.toMatch(/<script/i);
  });

  it('links to the alert and shows its facts', async () => {
    const { html } = await renderEmail('alert', { vault, alert }, { publicUrl });
    const link = `https://monitor.example.com/console/vaults/prod/alerts/${alert.id}`;
    expect(html).toContain(`href="${link}"`);
    for (const fact of ['vm-01', 'AzureVM', alert.jobId, 'UserErrorSnapshotFailed', '2024-05-01 10:17:42 UTC']) {
      expect(html).toContain(fact);
    }
  });

  it('has a readable plain-text part with every field', async () => {
    const { text } = await renderEmail('alert', { vault, alert }, { publicUrl });
    expect(text).not.toMatch(/<\/?(table|td|div|p)\b/i);
    expect(text).toContain('Protected item: vm-01');
    expect(text).toContain('Vault:          prod');
    expect(text).toContain('Workload:       AzureVM');
    expect(text).toContain(`Job id:         ${alert.jobId}`);
    expect(text).toContain('Error code:     UserErrorSnapshotFailed');
    expect(text).toContain(`Disk failed ${hostile} & more`); // text/plain is not markup: shown verbatim
    expect(text).toContain('Raised at:      2024-05-01 10:17:42 UTC');
    expect(text).toContain(`View the alert: https://monitor.example.com/console/vaults/prod/alerts/${alert.id}`);
  });

  it('keeps CR/LF and other controls out of the subject, whatever the item name', async () => {
    const nasty = sampleAlert({ entityName: 'vm-01\r\nBcc: attacker@example.com\u0000\u2028x' });
    const { subject, text } = await renderEmail('alert', { vault, alert: nasty }, { publicUrl });
    expect(subject).not.toMatch(/[\r\n\u0000\u2028]/);
    expect(subject).toBe('[Critical] BackupFailure on vm-01 Bcc: attacker@example.com x in vault prod');
    expect(text).toContain('Protected item: vm-01 Bcc: attacker@example.com x\n');
  });

  it('caps a long subject', async () => {
    const long = sampleAlert({ entityName: 'x'.repeat(500) });
    const { subject } = await renderEmail('alert', { vault, alert: long }, { publicUrl });
    expect(Array.from(subject).length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(subject.endsWith('…')).toBe(true);
  });
});

describe('sanitizeSubject', () => {
  it('always yields one trimmed line of bounded length', () => {
    const hostileChar = fc.constantFrom('\r', '\n', '\t', '\u0000', '\u0085', '\u2028', '\u202E', '\uD800', '\uDC00', ' ');
    const unit = fc.oneof(hostileChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 400 }), (input) => {
        const subject = sanitizeSubject(input);
        expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
        expect(subject).not.toMatch(/\s{2,}/);
        expect(subject).toBe(subject.trim());
        expect(Array.from(subject).length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
        expect(subject).not.toMatch(/\p{Cs}/u); // no lone surrogate, even after truncation
      }),
    );
  });
});

describe('DigestEmail', () => {
  const window = { windowStart: '2024-05-01T10:00:00.000Z', windowEnd: '2024-05-01T11:00:00.000Z' };

  it('counts by severity, lists at most 50 rows and says how many more', async () => {
    const alerts = sampleDigestAlerts(57); // alternating 2 Critical, 2 Warning: 29 Critical, 28 Warning
    const { subject, html, text } = await renderEmail('digest', { vault, ...window, alerts }, { publicUrl });
    expect(subject).toBe('[Critical] Digest for vault prod: 57 alerts (29 Critical, 28 Warning), 2024-05-01 10:00–11:00 UTC');
    expect(html).toContain('+7 more');
    expect(text).toContain('+7 more: https://monitor.example.com/console/vaults/prod/alerts?status=Active&from=');
    expect(text).toContain('57 alerts: 29 Critical, 28 Warning, 0 Informational.');
    expect(html).toMatch(/data-severity-count="Critical"[^>]*>29</);
    expect(html).toMatch(/data-severity-count="Warning"[^>]*>28</);
    expect(html).toMatch(/data-severity-count="Informational"[^>]*>0</);
    expect(text.match(/^\d+\. \[/gm)).toHaveLength(50);
    expect(html.match(/>View<\/a>/g)).toHaveLength(50);
    // Critical first: every Critical alert fits under the cap, 21 Warnings do, 7 do not.
    expect(text.match(/^\d+\. \[Critical\]/gm)).toHaveLength(29);
  });

  it('has no "more" line when everything fits, and names the single alert', async () => {
    const alerts = [sampleAlert({ entityName: `db-01 ${hostile}` })];
    const { subject, html, text } = await renderEmail('digest', { vault, ...window, alerts }, { publicUrl });
    expect(subject).toBe(`[Critical] Digest for vault prod: BackupFailure on db-01 ${hostile}, 2024-05-01 10:00–11:00 UTC`);
    expect(html).not.toContain('more</a>');
    expect(text).not.toContain('more:');
    expect(html).not.toContain(hostile);
    expect(text).toContain(`1. [Critical] BackupFailure on db-01 ${hostile}`);
    expect(text).toContain(`https://monitor.example.com/console/vaults/prod/alerts/${alerts[0]!.id}`);
  });

  it('formats windows across midnight with both dates', () => {
    expect(formatWindow('2024-05-01T23:00:00Z', '2024-05-02T00:00:00Z')).toBe('2024-05-01 23:00 – 2024-05-02 00:00 UTC');
  });
});

describe('WelcomeEmail', () => {
  it('explains PerAlert and lists the scenarios', async () => {
    const props = { vault, recipient: 'ops@example.com', frequency: 'PerAlert' as const };
    const { subject, html, text } = await renderEmail('welcome', props, { publicUrl });
    expect(subject).toBe('You will now receive backup alerts for vault prod');
    expect(text).toContain('ops@example.com was added as a notification recipient of backup vault prod.');
    expect(text).toContain('one email for every new alert');
    for (const scenario of ['BackupFailure', 'RestoreFailure', 'DeleteBackupData']) expect(text).toContain(scenario);
    expect(html).toContain('a backup job failed');
  });

  it('explains the digest cadence', async () => {
    const props = { vault, recipient: 'ops@example.com', frequency: 'HourlyDigest' as const, digestIntervalMs: 1_800_000 };
    const { text } = await renderEmail('welcome', props, { publicUrl });
    expect(text).toContain('a digest every 30 minutes (HourlyDigest)');
    expect(text).toContain('If there are none, no email is sent.');
  });
});

describe('DestructiveNoticeEmail', () => {
  it('says what was deleted, where, and who receives the notice', async () => {
    const { subject, html, text } = await renderEmail('destructive', SAMPLES.destructive, { publicUrl });
    expect(subject).toBe('[Critical] DeleteBackupData on share-finance in vault Production vault: backup data deleted');
    expect(text).toContain('The backup data of share-finance in vault Production vault was deleted.');
    expect(text).toContain('owners, admins and co-admins of subscription 00000000-1111-2222-3333-444444444444');
    expect(html).toContain('owners, admins and co-admins');
  });

  it('describes StopProtectionDeleteData', async () => {
    const alert = { ...SAMPLES.destructive.alert, scenario: 'StopProtectionDeleteData' as const };
    const { subject, text } = await renderEmail('destructive', { vault: { id: 'v1' }, alert }, { publicUrl });
    expect(subject).toBe('[Critical] StopProtectionDeleteData on share-finance in vault v1: protection stopped and backup data deleted');
    expect(text).toContain("owners, admins and co-admins of the vault's subscription");
  });
});

describe('every template', () => {
  it.each(EMAIL_KINDS)('%s renders HTML, text and a one-line subject from its sample', async (kind) => {
    const email = await renderEmail(kind, SAMPLES[kind] as never, { publicUrl: SAMPLE_PUBLIC_URL });
    expect(email.html).toMatch(/^<!DOCTYPE html/);
    expect(email.text.length).toBeGreaterThan(100);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).not.toContain('<script>');
  });
});

describe('WeeklyReportEmail', () => {
  const report = SAMPLES.report.report;

  it('shows the same numbers as the JSON report, in HTML and text', async () => {
    const { subject, html, text } = await renderEmail('report', SAMPLES.report, { publicUrl });
    expect(subject).toBe('Backup report for vault Production vault, 2024-04-29 00:00 – 2024-05-06 00:00 UTC: 98.2 % backups succeeded, 13 alerts');
    const jobs = report.jobsByDay.reduce((sum, d) => sum + d.Completed + d.CompletedWithWarnings + d.Failed + d.Cancelled, 0);
    for (const part of [html, text]) {
      expect(part).toContain(`${jobs} (`);
      expect(part).toContain('13 (9 Critical, 4 Warning, 0 Informational)');
      expect(part).toContain('1 h 30 min');
      expect(part).toContain('41 healthy, 2 warning, 3 critical, 1 unknown');
      expect(part).toContain('sql-prod-01/SalesDb');
    }
    for (const day of report.jobsByDay) {
      const numbers = `${day.Completed} / ${day.CompletedWithWarnings} / ${day.Failed} / ${day.Cancelled}`;
      expect(text).toContain(`${day.day}  ${numbers}`);
      expect(html).toMatch(new RegExp(`data-day="${day.day}"[^>]*>${numbers}<`));
    }
  });

  it('draws its chart with table cells only: no image, nothing external', async () => {
    const { html } = await renderEmail('report', SAMPLES.report, { publicUrl });
    expect(html).toContain('data-chart="jobs-by-day"');
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('says so when no backup finished', async () => {
    const empty = { ...report, successRate: null, jobsByDay: [], topFailingItems: [], missedItems: [], meanTimeToResolveMs: null };
    const { subject, text } = await renderEmail('report', { ...SAMPLES.report, report: empty }, { publicUrl });
    expect(subject).toContain(': — backups succeeded');
    expect(text).toContain('Mean time to resolve: —');
    expect(text).not.toContain('Items failing most');
  });
});

describe('links in every email', () => {
  const urlsOf = (email: { html: string; text: string }) => [
    ...[...email.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')),
    ...(email.text.match(/https?:\/\/\S+/g) ?? []),
  ];

  it.each(EMAIL_KINDS)('%s links only to console pages under PUBLIC_URL, never the JSON API', async (kind) => {
    const email = await renderEmail(kind, SAMPLES[kind] as never, { publicUrl });
    const urls = urlsOf(email);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\/monitor\.example\.com\/console\/vaults\/prod(\/|$|\?)/);
      expect(url).not.toContain('/v1/');
    }
  });

  it('links items and vaults to their console pages', async () => {
    const { html, text } = await renderEmail('report', SAMPLES.report, { publicUrl });
    expect(html).toContain('href="https://monitor.example.com/console/vaults/prod/items/AzureWorkload/sql-prod-01%2FSalesDb"');
    expect(text).toContain('Open the vault: https://monitor.example.com/console/vaults/prod');
    expect(html).toContain('href="https://monitor.example.com/console/vaults/prod/report?from=2024-04-29T00%3A00%3A00.000Z&amp;to=2024-05-06T00%3A00%3A00.000Z"');
  });
});

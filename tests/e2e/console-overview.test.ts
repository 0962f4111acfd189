// The vault overview in headless Chromium at 1280×800: open alerts first, the 14-day chart with its
// text alternatives and data table (the same numbers as GET …/report), tables that fit without
// sideways scrolling, relative times, truncation, focus, dark mode and in-place refresh.
// `npm run console:screenshots` runs this file with CONSOLE_SCREENSHOTS=1 to refresh docs/console/.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, jobs } from '../../db/schema';
import { alertListUrl, alertUrl, reportUrl, vaultUrl } from '../../emails/format';
import { renderEmail } from '../../emails/render';
import { runJob } from '../support/jobs';
import { startStack, TEST_ADMIN_TOKEN, uniqueVaultId, type Stack } from '../support/stack';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SHOTS = fileURLToPath(new URL(process.env.CONSOLE_SCREENSHOTS ? '../../docs/console/' : '../.artifacts/screenshots/', import.meta.url));
const D = 86_400_000;
const LONG_NAME = `sql-prod-cluster-01.contoso.internal/${'VeryLongDatabaseName'.repeat(6)}`;

if (!hasChromium) console.warn(`console-overview.test.ts: ${CHROMIUM} is missing, the browser tests are skipped.`);

describe.skipIf(!hasChromium)('vault overview in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const vaultId = uniqueVaultId('overview');
  const base = `/console/vaults/${vaultId}`;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: 'Contoso production', subscriptionId: 'sub-overview' })).status).toBe(201);
    // Live traffic for the alerts (through the workflows), history for the chart (rows as the
    // workflows would have written them, spread over the last 14 days).
    await runJob(stack, vaultId, { entityName: 'vm-web-01', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'disk full' } });
    await runJob(stack, vaultId, { workloadType: 'MAB', entityName: 'srv-files-02', outcome: { status: 'CompletedWithWarnings' } });
    await runJob(stack, vaultId, { workloadType: 'AzureWorkload', trigger: 'User', entityName: LONG_NAME, outcome: { status: 'Failed', errorCode: 'UserErrorSqlLogFull', errorMessage: 'log full' } });
    const now = Date.now();
    const statuses = ['Completed', 'Completed', 'Completed', 'Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled'];
    const history = Array.from({ length: 14 * 12 }, (_, i) => ({
      vaultId, id: `hist-${i}`, workloadType: i % 3 === 0 ? 'AzureWorkload' : 'AzureVM', operation: 'Backup', trigger: 'Scheduled',
      entityName: i % 3 === 0 ? 'sql-01/db' : `vm-${i % 5}`, status: statuses[(i * 5) % statuses.length]!, listed: i % 3 !== 0,
      startedAt: new Date(now - Math.floor(i / 12) * D - (i % 12) * 3_600_000 - 60_000),
    }));
    await stack.db.insert(jobs).values(history);
    await stack.db.insert(items).values([
      { vaultId, workloadType: 'AzureVM', entityName: 'vm-web-01', lastBackupStatus: 'Failed', openCritical: 1 },
      { vaultId, workloadType: 'MAB', entityName: 'srv-files-02', lastBackupStatus: 'CompletedWithWarnings', openWarning: 1 },
      { vaultId, workloadType: 'AzureVM', entityName: 'vm-1', lastBackupStatus: 'Completed' },
      { vaultId, workloadType: 'AzureVM', entityName: 'vm-2', lastBackupStatus: null },
    ]).onConflictDoNothing(); // the items work may have recorded them from the jobs above already
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // One sign-in for the whole file: the session cookie carries the token from then on.
    await page.goto(`${stack.baseUrl}/console/sign-in`);
    await page.fill('#sign-in-form input[name=token]', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/sign-in')), page.click('#sign-in-form button')]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Every navigation goes through here: the sign-in step (auth) belongs in this one place. */
  async function open(path: string) {
    const response = await page.goto(`${stack.baseUrl}${path}`);
    return response?.status() ?? 0;
  }
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: !process.env.CONSOLE_SCREENSHOTS });
  const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  it('opens on the open alerts, worst first, above the 14-day chart', async () => {
    expect(await open(base)).toBe(200);
    const rows = page.locator('#open-alerts tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.locator('td:nth-child(2) .badge').allTextContents()).toEqual(['Critical', 'Critical', 'Warning']);
    expect(await page.locator('[data-testid=tile-Critical]').textContent()).toBe('2');
    const alertsTop = (await page.locator('#open-alerts').boundingBox())!.y;
    const chartTop = (await page.locator('svg[data-chart=jobs-by-day]').boundingBox())!.y;
    expect(alertsTop).toBeLessThan(chartTop);
    expect(alertsTop).toBeLessThan(800); // above the fold
    expect(await rows.first().locator('button:has-text("Inactivate")').count()).toBe(1);
    await shot('overview');
  });

  it('draws the chart with text alternatives and the report numbers in a table', async () => {
    await open(base);
    const svg = page.locator('svg[data-chart=jobs-by-day]');
    expect(await svg.getAttribute('role')).toBe('img');
    const labelled = (await svg.getAttribute('aria-labelledby'))!.split(' ');
    const [title, desc] = await Promise.all(labelled.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(title).toBe('Jobs by status per day, last 14 days');
    expect(desc).toMatch(/^\d+ jobs finished from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: \d+ completed, \d+ with warnings, \d+ failed, \d+ cancelled\. Backup success rate [\d.]+ %/);
    expect(await svg.locator('g[data-day]').count()).toBe(14);
    expect(await svg.locator('g[data-day] > title').first().textContent()).toMatch(/^\d{4}-\d\d-\d\d: \d+ completed/);
    expect(await svg.locator('polyline.rate').count()).toBeGreaterThan(0);

    const days = await page.locator('#jobs-chart-data tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.children, (c) => c.textContent ?? '')));
    const from = `${days[0]![0]}T00:00:00.000Z`;
    const report = (await stack.api('GET', `/v1/vaults/${vaultId}/report?from=${from}&to=${new Date().toISOString()}`)).body;
    expect(days.map((d) => d.slice(0, 5))).toEqual(report.jobsByDay.map((d: any) =>
      [d.day, String(d.Completed), String(d.CompletedWithWarnings), String(d.Failed), String(d.Cancelled)]));
    const rate = `${(Math.floor(report.successRate * 1000) / 10).toFixed(1)} %`;
    expect(await page.locator('[data-figure=successRate]').textContent()).toBe(rate);
    for (const health of ['Healthy', 'Warning', 'Critical', 'Unknown']) {
      expect(await page.locator(`[data-testid=health-${health}]`).textContent()).toBe(String(report.itemsByHealth[health]));
    }
    expect(report.itemsByHealth.Unknown).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#worst-items tbody tr').first().getAttribute('data-item')).toMatch(/^(AzureWorkload|AzureVM)\//);
  });

  it('shows compact relative times with the full UTC time on hover, and truncates long names', async () => {
    await open(base);
    const time = page.locator('#open-alerts time').first();
    expect(await time.textContent()).toMatch(/^(just now|\d+ min ago)$/);
    expect(await time.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const long = page.locator(`#open-alerts .trunc[title="${LONG_NAME}"]`);
    expect(await long.count()).toBe(1);
    expect(await long.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  });

  it.each([
    ['overview', () => base],
    ['alerts', () => `${base}/alerts?status=open`],
    ['jobs', () => `${base}/jobs`],
    ['vaults', () => '/console'],
  ])('fits the %s page into 1280 px without horizontal scroll', async (name, path) => {
    expect(await open(path())).toBe(200);
    expect(await noSideways()).toBe(true);
    if (name !== 'overview') await shot(name);
  });

  it('fits an alert page, the items pages and the maintenance windows page', async () => {
    await open(`${base}/alerts?status=open`);
    await Promise.all([page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/), page.locator('#alerts tbody tr a').first().click()]);
    expect(await noSideways()).toBe(true);
    await shot('alert');
    for (const [name, path] of [['item', `${base}/items/AzureVM/vm-web-01`], ['items', `${base}/items`], ['silences', `${base}/silences`]] as const) {
      expect(await open(path), name).toBe(200);
      expect(await noSideways(), name).toBe(true);
      await shot(name);
    }
  });

  it('shows the report of any period with the JSON report\'s numbers, and refuses a bad period', async () => {
    const from = new Date(Date.now() - 3 * D).toISOString();
    const to = new Date().toISOString();
    expect(await open(`${base}/report?from=${from}&to=${to}`)).toBe(200);
    const report = (await stack.api('GET', `/v1/vaults/${vaultId}/report?from=${from}&to=${to}`)).body;
    expect(await page.locator('#jobs-chart-data tbody tr').count()).toBe(report.jobsByDay.length);
    expect(await page.locator('[data-figure=jobs]').textContent()).toBe(String(report.jobsByDay.reduce((n: number, d: any) => n + d.Completed + d.CompletedWithWarnings + d.Failed + d.Cancelled, 0)));
    expect(await page.locator('#report-alerts tbody tr', { hasText: 'BackupFailure' }).locator('td.num').textContent()).toBe(String(report.alertsByScenario.BackupFailure));
    expect(await noSideways()).toBe(true);
    await shot('report');
    expect(await open(`${base}/report?from=${to}&to=${from}`)).toBe(400);
    expect(await page.locator('.errors').textContent()).toContain('after');
  });

  it('renders the periodic report email in a browser without loading anything', async () => {
    const report = (await stack.api('GET', `/v1/vaults/${vaultId}/report`)).body;
    const email = await renderEmail('report', { vault: { id: vaultId, name: 'Contoso production' }, report }, { publicUrl: stack.baseUrl });
    const mail = await browser.newPage({ viewport: { width: 800, height: 800 } });
    const requests: string[] = [];
    mail.on('request', (request) => requests.push(request.url()));
    await mail.setContent(email.html);
    expect(requests).toEqual([]);
    expect(await mail.locator('[data-chart=jobs-by-day] > tbody > tr').count()).toBe(report.jobsByDay.length);
    await mail.screenshot({ path: `${SHOTS}report-email.png`, fullPage: true });
    await mail.close();
  });

  it('opens every kind of email link on a console page', async () => {
    const alert = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?limit=1`)).body.items[0];
    const links = [
      alertUrl(stack.baseUrl, alert), vaultUrl(stack.baseUrl, vaultId), reportUrl(stack.baseUrl, vaultId, new Date(Date.now() - 7 * D).toISOString(), new Date().toISOString()),
      alertListUrl(stack.baseUrl, vaultId, { status: 'Active', from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }),
    ];
    for (const link of links) {
      expect(link.startsWith(`${stack.baseUrl}/console/`)).toBe(true);
      expect(await open(link.slice(stack.baseUrl.length))).toBe(200);
      expect(await page.locator('h1').count()).toBe(1);
    }
    // The digest's window link (the last one) lists the alerts of that window.
    expect(await page.locator('#alerts tbody tr[data-alert-id]').count()).toBeGreaterThanOrEqual(3);
  });

  it('is usable from the keyboard with a visible focus', async () => {
    await open(base);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('reads well in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await open(base);
    const [bg, bar] = await page.evaluate(() => [
      getComputedStyle(document.body).backgroundColor,
      getComputedStyle(document.querySelector('svg[data-chart] rect.Completed')!).fill,
    ]);
    expect(bg).toBe('rgb(15, 23, 32)');
    expect(bar).toBe('rgb(81, 207, 102)');
    await shot('overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('refreshes the alerts list in place too', async () => {
    await open(`${base}/alerts?status=open&refresh=2`);
    await page.evaluate(() => { (window as any).notReloaded = true; });
    const before = await page.locator('#alerts tbody tr[data-alert-id]').count();
    await runJob(stack, vaultId, { entityName: 'vm-late-01', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'full' } });
    await page.locator('#alerts tbody tr', { hasText: 'vm-late-01' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#alerts tbody tr[data-alert-id]').count()).toBe(before + 1);
    expect(await page.evaluate(() => (window as any).notReloaded)).toBe(true);
    // The refreshed list keeps its filters and links (no fragment parameter leaks into them).
    expect(await page.locator('#alert-filters select[name=status]').inputValue()).toBe('open');
    expect(await page.locator('#alerts a[href*="fragment"]').count()).toBe(0);
  });

  it('refreshes the open alerts in place, without reloading the page', async () => {
    await open(`${base}?refresh=2`);
    await page.evaluate(() => { (window as any).notReloaded = true; });
    const before = await page.locator('#open-alerts tbody tr').count();
    await runJob(stack, vaultId, { workloadType: 'AzureFiles', entityName: 'share-new-01', outcome: { status: 'Failed', errorCode: 'UserErrorShareLocked', errorMessage: 'locked' } });
    await page.locator('#open-alerts tbody tr', { hasText: 'share-new-01' }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as any).notReloaded)).toBe(true);
    expect(await page.locator('#open-alerts tbody tr').count()).toBe(before + 1);
    const critical = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?status=Active&severity=Critical`)).body.items.length;
    expect(await page.locator('[data-testid=tile-Critical]').textContent()).toBe(String(critical));
  });

  it('inactivates an open alert from the overview and comes back to it', async () => {
    await open(base);
    const before = await page.locator('#open-alerts tbody tr').count();
    const row = page.locator('#open-alerts tbody tr').first();
    const alertId = await row.getAttribute('data-alert-id');
    await Promise.all([page.waitForURL(/flash=inactivated/), row.locator('button:has-text("Inactivate")').click()]);
    expect(new URL(page.url()).pathname).toBe(base);
    expect(await page.locator('.flash').textContent()).toBe('The alert is now Inactive.');
    expect(await page.locator('#open-alerts tbody tr').count()).toBe(before - 1);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alertId}`)).body.status).toBe('Inactive');
  });
});


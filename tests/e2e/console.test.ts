// The vault console driven in a real headless Chromium against the real stack: every check that
// the console changed something is confirmed through the JSON API, which reads the same state.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../support/jobs';
import { startStack, TEST_ADMIN_TOKEN, uniqueVaultId, type Stack } from '../support/stack';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? 'web console in headless Chromium'
  : `web console in headless Chromium: SKIPPED, ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`;

if (!hasChromium) console.warn(`console.test.ts: ${CHROMIUM} is missing, the browser tests are skipped (apt-get install -y chromium).`);

const VAULT_NAME = 'Prod <b>vault</b> & co';

describe.skipIf(!hasChromium)(title, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const vaultId = uniqueVaultId('console');
  const jobs = { vm: '', share: '', ok: '', mab: '' };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack();
    const created = await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: VAULT_NAME, subscriptionId: 'sub-console' });
    expect(created.status).toBe(201);
    const failed = (errorCode: string) => ({ status: 'Failed', errorCode, errorMessage: `failed: ${errorCode}` });
    jobs.vm = await runJob(stack, vaultId, { entityName: 'vm-01', outcome: failed('UserErrorDiskFull') });
    jobs.share = await runJob(stack, vaultId, { workloadType: 'AzureFiles', entityName: 'share-01', outcome: failed('UserErrorShareLocked') });
    jobs.ok = await runJob(stack, vaultId, { entityName: 'vm-02', outcome: { status: 'Completed' } });
    jobs.mab = await runJob(stack, vaultId, { workloadType: 'MAB', entityName: 'server-01', outcome: { status: 'CompletedWithWarnings' } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, TEST_ADMIN_TOKEN);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const url = (path: string) => `${stack.baseUrl}${path}`;
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
  const rowsOf = (table: string) => page.locator(`${table} tbody tr[data-${table === '#jobs' ? 'job' : 'alert'}-id]`);
  const alertRow = (entityName: string) => page.locator('#alerts tbody tr', { hasText: entityName });
  /** Clicks something that navigates and waits until the new page has loaded. */
  async function navigate(click: () => Promise<void>, to: RegExp) {
    await Promise.all([page.waitForURL(to), click()]);
  }
  /** The sign-in page takes the token; the session cookie carries it from then on. */
  async function signIn(on: Page, token: string, to = '/console') {
    await on.goto(url(to));
    expect(on.url()).toContain('/console/sign-in');
    await on.fill('#sign-in-form input[name=token]', token);
    await Promise.all([on.waitForURL((u) => !u.pathname.endsWith('/sign-in')), on.click('#sign-in-form button')]);
  }
  const alertOf = async (jobId: string) =>
    (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?limit=500`)).body.items.find((a: any) => a.jobId === jobId);

  it('lists vaults, finds one by name and opens it with its Active alert tiles', async () => {
    await page.goto(url('/console'));
    await page.fill('#vault-search input[name=q]', 'prod <b>');
    await navigate(() => page.click('#vault-search button'), /q=/);
    expect(await page.locator('#vaults tbody tr[data-vault-id]').count()).toBe(1);
    expect(await text(`tr[data-vault-id="${vaultId}"] td:nth-child(2)`)).toBe(VAULT_NAME);
    await shot('01-vaults');

    await navigate(() => page.click(`tr[data-vault-id="${vaultId}"] a >> nth=0`), new RegExp(`/console/vaults/${vaultId}$`));
    // User text is escaped, never markup.
    expect(await text('h1')).toBe(VAULT_NAME);
    expect(await page.locator('h1 b').count()).toBe(0);
    expect(await text('[data-testid=tile-Critical]')).toBe('2');
    expect(await text('[data-testid=tile-Warning]')).toBe('1');
    expect(await text('[data-testid=tile-Informational]')).toBe('0');
    expect(await rowsOf('#jobs').count()).toBe(4);
    await shot('02-vault');
  });

  it('filters the jobs table and pages through it with the cursor', async () => {
    await page.goto(url(`/console/vaults/${vaultId}`));
    await page.selectOption('#job-filters select[name=jobStatus]', 'Failed');
    await navigate(() => page.click('#job-filters button'), /jobStatus=Failed/);
    expect(await rowsOf('#jobs').count()).toBe(2);
    expect(await page.locator('#jobs tbody tr .badge').allTextContents()).toEqual(['Failed', 'Failed']);

    await page.selectOption('#job-filters select[name=workloadType]', 'AzureFiles');
    await navigate(() => page.click('#job-filters button'), /workloadType=AzureFiles/);
    expect(await page.locator('#jobs tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')))).toEqual([jobs.share]);
    expect(await page.locator('#job-filters select[name=jobStatus]').inputValue()).toBe('Failed');
    await shot('03-jobs-filtered');

    await page.goto(url(`/console/vaults/${vaultId}?limit=3`));
    const first = await rowsOf('#jobs').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')));
    await navigate(() => page.click('#jobs-next'), /jobsCursor=/);
    const second = await rowsOf('#jobs').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')));
    expect(first).toHaveLength(3);
    expect(new Set([...first, ...second])).toEqual(new Set(Object.values(jobs)));
    expect(await page.locator('#jobs-next').count()).toBe(0);
  });

  it('opens an alert and inactivates it from its detail view', async () => {
    await page.goto(url(`/console/vaults/${vaultId}`));
    await navigate(() => alertRow('vm-01').locator('a').nth(1).click(), /\/alerts\/[0-9a-f-]{36}$/);
    expect(await text('dd[data-field="Status"]')).toBe('Active');
    expect(await text('dd[data-field="Error code"]')).toBe('UserErrorDiskFull');
    expect(await text('dd[data-field="Protected item"]')).toBe('vm-01');
    await shot('04-alert-detail');

    await navigate(() => page.click('main form button:has-text("Inactivate")'), /flash=inactivated/);
    expect(await text('.flash')).toBe('The alert is now Inactive.');
    expect(await text('dd[data-field="Status"]')).toBe('Inactive');
    expect(await page.locator('main form button:has-text("Inactivate")').count()).toBe(0);
    expect((await alertOf(jobs.vm)).status).toBe('Inactive');
    await shot('05-alert-inactivated');
  });

  it('inactivates an alert from the list row action and comes back to the same filtered page', async () => {
    await page.goto(url(`/console/vaults/${vaultId}?jobStatus=Failed`));
    expect(await alertRow('share-01').locator('.badge.Active').count()).toBe(1);
    await navigate(() => alertRow('share-01').locator('button:has-text("Inactivate")').click(), /flash=inactivated/);
    expect(page.url()).toContain('jobStatus=Failed');
    expect(await text('.flash')).toBe('The alert is now Inactive.');
    expect(await text(`#alerts tr:has-text("share-01") .badge.Inactive`)).toBe('Inactive');
    expect(await text('[data-testid=tile-Critical]')).toBe('0');
    expect((await alertOf(jobs.share)).status).toBe('Inactive');
    await shot('06-vault-after-row-inactivate');
  });

  it('refuses a cross-site form post (CSRF) and changes nothing', async () => {
    const mab = await alertOf(jobs.mab);
    const response = await fetch(url(`/console/vaults/${vaultId}/alerts/${mab.id}/inactivate`), {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: 'back=%2F',
    });
    expect(response.status).toBe(403);
    expect((await alertOf(jobs.mab)).status).toBe('Active');
  });

  it('refuses a same-site form post without the session CSRF token', async () => {
    const mab = await alertOf(jobs.mab);
    const cookie = (await page.context().cookies()).find((k) => k.name === 'bm_console')!;
    const response = await fetch(url(`/console/vaults/${vaultId}/alerts/${mab.id}/inactivate`), {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.baseUrl, cookie: `bm_console=${cookie.value}` },
      body: 'back=%2F&_csrf=forged',
    });
    expect(response.status).toBe(403);
    expect((await alertOf(jobs.mab)).status).toBe('Active');
  });

  it('keeps the session in an HttpOnly, SameSite=Strict cookie that /v1 ignores', async () => {
    const cookie = (await page.context().cookies()).find((k) => k.name === 'bm_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console', secure: false });
    expect(await page.evaluate(() => document.cookie)).not.toContain('bm_console');
    const viaCookie = await fetch(url('/v1/whoami'), { headers: { cookie: `bm_console=${cookie!.value}` } });
    expect(viaCookie.status).toBe(401);
    expect(await text('[data-testid=principal]')).toBe('admin');
  });

  it('shows a Reader no inactivate or save button, and refuses its forged post', async () => {
    const reader = (await stack.api('POST', '/v1/tokens', { name: 'rita-reader', role: 'Reader' })).body.token as string;
    const context = await browser.newContext();
    const readerPage = await context.newPage();
    try {
      await signIn(readerPage, reader, `/console/vaults/${vaultId}`);
      expect(readerPage.url()).toContain(`/console/vaults/${vaultId}`);
      expect(await readerPage.locator('[data-testid=role]').textContent()).toBe('Reader');
      expect(await readerPage.locator('#alerts tr:has-text("server-01") .badge.Active').count()).toBe(1);
      expect(await readerPage.locator('button:has-text("Inactivate")').count()).toBe(0);
      await readerPage.goto(url(`/console/vaults/${vaultId}/settings`));
      expect(await readerPage.locator('#settings-form button').count()).toBe(0);
      expect(await readerPage.locator('#read-only').count()).toBe(1);
      // A hand-made post with the Reader's own valid CSRF token is still refused by role.
      const csrf = await readerPage.locator('input[name=_csrf]').first().inputValue();
      const mab = await alertOf(jobs.mab);
      // (The page's CSP forbids scripts and fetch, so the post goes through the context's cookies.)
      const forged = await readerPage.request.post(url(`/console/vaults/${vaultId}/alerts/${mab.id}/inactivate`), {
        form: { _csrf: csrf, back: '/' }, headers: { origin: stack.baseUrl }, maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain('needs the Operator role');
      expect((await alertOf(jobs.mab)).status).toBe('Active');
      await readerPage.screenshot({ path: `${SCREENSHOTS}09-reader.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('refuses an invalid token at sign-in and signs out', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    try {
      await other.goto(url('/console/sign-in'));
      await other.fill('#sign-in-form input[name=token]', `bm_${'Z'.repeat(43)}`);
      await other.click('#sign-in-form button');
      await other.locator('#sign-in-error').waitFor();
      expect(await context.cookies()).toEqual([]);

      const token = (await stack.api('POST', '/v1/tokens', { name: 'sam-signout', role: 'Operator' })).body;
      await signIn(other, token.token);
      expect(await other.locator('[data-testid=principal]').textContent()).toBe('sam-signout');
      await Promise.all([other.waitForURL(/\/console\/sign-in$/), other.click('#sign-out')]);
      expect((await context.cookies()).filter((k) => k.name === 'bm_console')).toEqual([]);
      await other.goto(url('/console'));
      expect(other.url()).toContain('/console/sign-in?next=');

      // A revoked token's session ends with the next page.
      await signIn(other, token.token);
      expect((await stack.api('DELETE', `/v1/tokens/${token.id}`)).status).toBe(204);
      await other.goto(url('/console'));
      expect(other.url()).toContain('/console/sign-in');
    } finally {
      await context.close();
    }
  });

  it('saves notification settings through the same path as the API', async () => {
    await page.goto(url(`/console/vaults/${vaultId}`));
    await navigate(() => page.click('a:has-text("Notification settings")'), /\/settings$/);
    await page.check('#settings-form input[name=enabled]');
    await page.fill('#settings-form textarea', 'ops@contoso.com\n\nbackup-team@contoso.com\nOPS@contoso.com\n');
    await page.selectOption('#settings-form select[name=frequency]', 'HourlyDigest');
    await navigate(() => page.click('#settings-form button'), /flash=settings-saved/);
    expect(await text('.flash')).toBe('Notification settings saved.');
    expect(await page.inputValue('#settings-form textarea')).toBe('ops@contoso.com\nbackup-team@contoso.com');
    const saved = await stack.api('GET', `/v1/vaults/${vaultId}/notification-settings`);
    expect(saved.body).toMatchObject({ enabled: true, recipients: ['ops@contoso.com', 'backup-team@contoso.com'], frequency: 'HourlyDigest', minSeverity: 'Informational' });
    await shot('07-settings-saved');
  });

  it('shows invalid recipients inline and saves nothing', async () => {
    const typed = 'ops@contoso.com\nnot-an-address\nalerts@contoso';
    await page.fill('#settings-form textarea', typed);
    await page.uncheck('#settings-form input[name=enabled]');
    // The answer is re-rendered at the same URL (no redirect), so wait for the errors themselves.
    await page.click('#settings-form button');
    await page.locator('#settings-errors').waitFor();
    const errors = await page.locator('#settings-errors li').allTextContents();
    expect(errors).toEqual([
      'Line 2: "not-an-address" has no @',
      'Line 3: "alerts@contoso" needs a full domain after the @, such as contoso.com',
    ]);
    expect(await page.inputValue('#settings-form textarea')).toBe(typed);
    expect(await page.locator('.flash').count()).toBe(0);
    const unchanged = await stack.api('GET', `/v1/vaults/${vaultId}/notification-settings`);
    expect(unchanged.body).toMatchObject({ enabled: true, recipients: ['ops@contoso.com', 'backup-team@contoso.com'], frequency: 'HourlyDigest' });
    await shot('08-settings-invalid');
  });

  it('answers an unknown vault or alert with an HTML page, not JSON', async () => {
    const response = await page.goto(url('/console/vaults/no-such-vault/alerts/not-a-uuid'));
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).toContain('text/html');
    expect(await text('h1')).toBe('Not found');
  });
});

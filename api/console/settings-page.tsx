/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import { FREQUENCIES, type Frequency } from '../../domain/types';
import { saveSettings } from '../commands/settings';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { DEFAULT_SETTINGS, findSettings } from '../../readmodel/vaults';
import { requireVault } from '../routes/shared';
import { recipientAddress } from '../../domain/routing';
import { checkRecipients, flashText, oneOf, recipientLines, vaultPath } from './forms';
import { Layout } from './layout';
import { Allowed } from './session';

const FREQUENCY_LABELS: Record<Frequency, string> = {
  PerAlert: 'Per alert: an email for every new alert',
  HourlyDigest: 'Hourly digest: one email per window with the alerts still Active',
};

interface FormState {
  enabled: boolean;
  recipients: string;
  frequency: string;
}

function SettingsPage(props: { vaultId: string; form: FormState; errors?: string[]; flash?: string }) {
  const action = `${vaultPath(props.vaultId)}/settings`;
  return (
    <Layout
      title={`Notifications · ${props.vaultId}`}
      flash={props.flash}
      crumbs={[{ label: 'Vaults', href: '/console' }, { label: props.vaultId, href: vaultPath(props.vaultId) }, { label: 'Notifications' }]}
    >
      <h1>Notification settings</h1>
      <form class="settings" method="post" action={action} id="settings-form" novalidate>
        <label class="check">
          <input type="checkbox" name="enabled" value="on" checked={props.form.enabled} />
          Email notifications enabled
        </label>
        <label>
          Recipients (one address or distribution list per line)
          <textarea name="recipients" rows={6} aria-invalid={props.errors?.length ? 'true' : undefined}>{props.form.recipients}</textarea>
        </label>
        {props.errors && props.errors.length > 0 && (
          <div class="errors" role="alert" id="settings-errors">
            The settings were not saved:
            <ul>{props.errors.map((error) => <li>{error}</li>)}</ul>
          </div>
        )}
        <label>
          Frequency
          <select name="frequency">
            {FREQUENCIES.map((frequency) => <option value={frequency} selected={frequency === props.form.frequency}>{FREQUENCY_LABELS[frequency]}</option>)}
          </select>
        </label>
        <p class="muted">New recipients receive a welcome email describing what they will be sent.</p>
        <Allowed route="PUT /v1/vaults/{vaultId}/notification-settings" vaultId={props.vaultId} otherwise={<p class="muted" id="read-only">Only an Admin can change these settings.</p>}>
          <div><button type="submit">Save settings</button></div>
        </Allowed>
      </form>
    </Layout>
  );
}

export function registerSettingsPage(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/vaults/:vaultId/settings', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const settings = (await findSettings(deps.db, vault.id))?.settings ?? DEFAULT_SETTINGS;
    const form = { enabled: settings.enabled, recipients: settings.recipients.map(recipientAddress).join('\n'), frequency: settings.frequency };
    return c.html(<SettingsPage vaultId={vault.id} form={form} flash={flashText(c.req.query('flash'))} />);
  });

  app.post('/vaults/:vaultId/settings', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const body = await c.req.parseBody();
    const form: FormState = {
      enabled: body.enabled === 'on',
      recipients: typeof body.recipients === 'string' ? body.recipients : '',
      frequency: typeof body.frequency === 'string' ? body.frequency : '',
    };
    const lines = recipientLines(form.recipients);
    const frequency = oneOf(FREQUENCIES, form.frequency);
    const errors = checkRecipients(lines);
    if (!frequency) errors.push(`Frequency must be one of ${FREQUENCIES.join(', ')}.`);
    // Re-rendered, not redirected: the admin keeps what they typed next to what is wrong with it.
    if (errors.length > 0 || !frequency) return c.html(<SettingsPage vaultId={vault.id} form={form} errors={errors} />, 422);
    try {
      // The form edits addresses and frequency; floors and the other switches are kept as saved.
      const current = (await findSettings(deps.db, vault.id))?.settings ?? DEFAULT_SETTINGS;
      const floors = new Map(current.recipients.filter((r) => typeof r !== 'string').map((r) => [r.address.toLowerCase(), r]));
      const recipients = lines.map((l) => floors.get(l.address.toLowerCase()) ?? l.address);
      await saveSettings(deps, vault.id, { ...current, enabled: form.enabled, recipients, frequency }, actorName(c.get('principal')), c.get('requestId'));
    } catch (error) {
      // The API's own checks may be stricter than the console's one day; show them the same way.
      if (error instanceof ProblemError && error.status === 400) {
        return c.html(<SettingsPage vaultId={vault.id} form={form} errors={[error.detail]} />, 422);
      }
      throw error;
    }
    return c.redirect(`${vaultPath(vault.id)}/settings?flash=settings-saved`, 303);
  });
}

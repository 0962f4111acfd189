/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import { parseSilenceInput, upcomingOccurrences, type Occurrence } from '../../domain/silences';
import { SCENARIOS, SEVERITIES, WORKLOADS } from '../../domain/types';
import { listSilenceRows, silenceFromRow, type SilenceView } from '../../readmodel/silences';
import { createSilence, deleteSilence } from '../commands/silences';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { requireVault } from '../routes/shared';
import { SilenceBody, SilenceParams } from '../silence-schemas';
import { issuesOf } from '../validation';
import { Badge, Select, Time } from './components';
import { flashText, vaultPath } from './forms';
import { Allowed } from './session';
import { Layout } from './layout';

const FIELDS = ['entityName', 'workloadType', 'scenario', 'severity', 'comment', 'startsAt', 'endsAt', 'rrule', 'duration'] as const;
type Form = Partial<Record<(typeof FIELDS)[number], string>>;
const silencesPath = (vaultId: string) => `${vaultPath(vaultId)}/silences`;

/** `datetime-local` values carry no zone: the form says UTC, so they are read as UTC. */
const utc = (text: string | undefined) => (text ? `${text.length === 16 ? `${text}:00` : text}${/[zZ]|[+-]\d\d:\d\d$/.test(text) ? '' : 'Z'}` : undefined);

function bodyOf(form: Form) {
  const match = Object.fromEntries((['entityName', 'workloadType', 'scenario', 'severity'] as const).flatMap((k) => (form[k] ? [[k, form[k]]] : [])));
  return {
    match, comment: form.comment ?? '', startsAt: utc(form.startsAt), endsAt: utc(form.endsAt),
    ...(form.rrule ? { rrule: form.rrule } : {}), ...(form.duration ? { duration: form.duration } : {}),
  };
}

const Occurrences = (props: { list: Occurrence[] }) => props.list.length === 0
  ? <span class="muted">none ahead</span>
  : <ul class="occurrences">{props.list.map((o) => <li><Time iso={o.start.toISOString()} /> → <Time iso={o.end.toISOString()} /></li>)}</ul>;

function SilencesPage(props: { vaultId: string; silences: (SilenceView & { next: Occurrence[] })[]; form: Form; errors?: string[]; preview?: Occurrence[]; flash?: string }) {
  const { vaultId, form } = props;
  const action = silencesPath(vaultId);
  const text = (name: (typeof FIELDS)[number], label: string, extra: Record<string, string | number> = {}) =>
    <label>{label}<input type="text" name={name} value={form[name] ?? ''} {...extra} /></label>;
  return (
    <Layout title={`Maintenance windows · ${vaultId}`} flash={props.flash}
      crumbs={[{ label: 'Vaults', href: '/console' }, { label: vaultId, href: vaultPath(vaultId) }, { label: 'Maintenance windows' }]}>
      <h1>Maintenance windows</h1>
      <p class="muted">Matching alerts are still raised and recorded, but not notified; at the end of each window the ones still open are notified once. Destructive notices are never silenced. Times are UTC.</p>
      <table id="silences">
        <thead><tr><th>Status</th><th>Match</th><th>Comment</th><th>Window</th><th>Next occurrences</th><th>Created by</th><th></th></tr></thead>
        <tbody>
          {props.silences.length === 0 && <tr><td class="empty" colspan={7}>No maintenance windows.</td></tr>}
          {props.silences.map((s) => (
            <tr data-silence-id={s.id}>
              <td><Badge value={s.status} /></td>
              <td><code>{Object.keys(s.match).length === 0 ? 'the whole vault' : JSON.stringify(s.match)}</code></td>
              <td>{s.comment}</td>
              <td>{s.rrule ? <><code>{s.rrule}</code> for {s.duration}</> : <><Time iso={s.startsAt} /> → <Time iso={s.endsAt} /></>}</td>
              <td><Occurrences list={s.next} /></td>
              <td>{s.createdBy}</td>
              <td>{s.status !== 'Expired' && (
                <Allowed route="DELETE /v1/vaults/{vaultId}/silences/{silenceId}" vaultId={vaultId}>
                  <form class="inline" method="post" action={`${action}/${s.id}/delete`}><button type="submit" class="danger">Delete</button></form>
                </Allowed>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <Allowed route="POST /v1/vaults/{vaultId}/silences" vaultId={vaultId} otherwise={<p class="muted">Operators and Admins create maintenance windows.</p>}>
      <h2>New maintenance window</h2>
      <form class="settings" method="post" action={action} id="silence-form">
        {text('entityName', 'Protected item (empty: any)')}
        <Select name="workloadType" label="Workload type" options={WORKLOADS} value={form.workloadType} anyLabel="Any" />
        <Select name="scenario" label="Scenario" options={SCENARIOS} value={form.scenario} anyLabel="Any" />
        <Select name="severity" label="Severity" options={SEVERITIES} value={form.severity} anyLabel="Any" />
        {text('comment', 'Comment (required)', { maxlength: 1000 })}
        <label>Starts at (UTC, empty: now)<input type="datetime-local" step={1} name="startsAt" value={form.startsAt ?? ''} /></label>
        <label>Ends at (UTC; required for a one-off window)<input type="datetime-local" step={1} name="endsAt" value={form.endsAt ?? ''} /></label>
        {text('rrule', 'Recurrence (RRULE, optional), e.g. FREQ=WEEKLY;BYDAY=SA;BYHOUR=1;BYMINUTE=0;BYSECOND=0', { size: 60 })}
        {text('duration', 'Duration of each occurrence (with a recurrence), e.g. 2h')}
        {props.errors && props.errors.length > 0 && (
          <div class="errors" role="alert" id="silence-errors">The window was not created:<ul>{props.errors.map((e) => <li>{e}</li>)}</ul></div>
        )}
        {props.preview && <div id="silence-preview">Next occurrences: <Occurrences list={props.preview} /></div>}
        <div>
          <button type="submit" name="intent" value="preview" class="secondary">Preview</button>{' '}
          <button type="submit" name="intent" value="create">Create</button>
        </div>
      </form>
      </Allowed>
    </Layout>
  );
}

export function registerSilencePages(app: Hono<AppEnv>, deps: AppDeps) {
  const render = async (vaultId: string, form: Form, extra: { errors?: string[]; preview?: Occurrence[]; flash?: string } = {}) => {
    const now = deps.now?.() ?? new Date();
    const silences = (await listSilenceRows(deps.db, vaultId)).map((row) => ({ ...silenceFromRow(row, now), next: upcomingOccurrences(row, now, 3) }));
    return <SilencesPage vaultId={vaultId} silences={silences} form={form} {...extra} />;
  };

  app.get('/vaults/:vaultId/silences', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    return c.html(await render(vault.id, {}, { flash: flashText(c.req.query('flash')) }));
  });

  app.post('/vaults/:vaultId/silences', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const posted = await c.req.parseBody();
    const form: Form = Object.fromEntries(FIELDS.flatMap((k) => (typeof posted[k] === 'string' && posted[k] !== '' ? [[k, (posted[k] as string).trim()]] : [])));
    // The same schema and rules as the API; problems are shown next to the form, which keeps its values.
    const parsed = SilenceBody.safeParse(bodyOf(form));
    if (!parsed.success) return c.html(await render(vault.id, form, { errors: issuesOf(parsed.error, 'form').map((e) => `${e.path.replace(/^form\./, '')}: ${e.message}`) }), 422);
    if (posted.intent === 'preview') {
      const window = parseSilenceInput(parsed.data, deps.now?.() ?? new Date());
      if (!window.ok) return c.html(await render(vault.id, form, { errors: window.problems }), 422);
      return c.html(await render(vault.id, form, { preview: upcomingOccurrences(window.window, deps.now?.() ?? new Date(), 5) }));
    }
    try {
      await createSilence(deps, vault.id, parsed.data, { by: actorName(c.get('principal')), requestId: c.get('requestId') });
    } catch (error) {
      if (error instanceof ProblemError && error.status === 400) {
        return c.html(await render(vault.id, form, { errors: (error.extensions.errors as string[] | undefined) ?? [error.detail] }), 422);
      }
      throw error;
    }
    return c.redirect(`${silencesPath(vault.id)}?flash=silence-created`, 303);
  });

  app.post('/vaults/:vaultId/silences/:silenceId/delete', async (c) => {
    const parsed = SilenceParams.safeParse({ vaultId: c.req.param('vaultId'), silenceId: c.req.param('silenceId') });
    if (!parsed.success) throw new ProblemError(404, 'No such maintenance window.');
    const vault = await requireVault(deps, parsed.data.vaultId);
    await deleteSilence(deps, vault.id, parsed.data.silenceId, { by: actorName(c.get('principal')), requestId: c.get('requestId') });
    return c.redirect(`${silencesPath(vault.id)}?flash=silence-deleted`, 303);
  });
}

/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { CONSOLE_SCRIPT_PATH } from './assets';
import { SessionBadge } from './session';

// Inline on purpose: the console ships with the API, needs no build step and loads nothing remote.
// Colours are variables so that one block re-themes everything (charts included) in dark mode.
const CSS = `
:root{color-scheme:light dark;--bg:#f4f6f8;--panel:#fff;--text:#1f2933;--muted:#616e7c;--line:#d9e2ec;--soft:#f0f4f8;--stripe:#fafbfc;
--link:#0b5cad;--head:#14213d;--focus:#f0b429;--ok:#2f9e44;--warn:#e8a317;--bad:#d64545;--off:#9aa5b1;--info:#2680c2;--rate:#14213d}
@media (prefers-color-scheme:dark){:root{--bg:#0f1720;--panel:#17212b;--text:#e4e7eb;--muted:#9aa5b1;--line:#2d3a48;--soft:#1f2b37;--stripe:#1a2530;
--link:#7cb8f5;--head:#0b1320;--focus:#f7c948;--ok:#51cf66;--warn:#fcc419;--bad:#ff6b6b;--off:#7b8794;--info:#74c0fc;--rate:#e4e7eb}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:var(--bg)}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:3px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:var(--panel);padding:6px 10px;z-index:2}
header{background:var(--head);color:#fff;padding:10px 24px;display:flex;gap:16px;align-items:baseline}
header a{color:#fff;font-weight:600}header span{opacity:.7}
main{max-width:1232px;margin:0 auto;padding:16px 24px 48px}
nav.crumbs{color:var(--muted);margin-bottom:8px}
nav.tabs{display:flex;gap:4px;border-bottom:1px solid var(--line);margin:0 0 16px}
nav.tabs a{padding:6px 12px;border-radius:6px 6px 0 0;color:var(--muted)}nav.tabs a[aria-current=page]{background:var(--panel);color:var(--text);border:1px solid var(--line);border-bottom-color:var(--panel);margin-bottom:-1px}
h1{font-size:22px;margin:4px 0 12px}h2{font-size:17px;margin:24px 0 10px}h1,h2,p,dd,li{overflow-wrap:anywhere}
.flash{background:#e3f9e5;border:1px solid #57ae5b;color:#0e5814;padding:8px 12px;border-radius:6px;margin-bottom:16px}
.errors{background:#ffeeee;border:1px solid #e12d39;color:#8a041a;padding:8px 12px;border-radius:6px;margin:8px 0}
.errors ul{margin:4px 0 0;padding-left:20px}
.tiles{display:flex;gap:12px;flex-wrap:wrap}
.tile{display:block;min-width:150px;padding:10px 14px;border-radius:8px;background:var(--panel);border:1px solid var(--line);border-left:6px solid var(--off);color:inherit}
.tile .count{font-size:26px;font-weight:700}.tile .label{color:var(--muted)}
.tile.Critical{border-left-color:var(--bad)}.tile.Warning{border-left-color:var(--warn)}.tile.Informational{border-left-color:var(--info)}
.tile.Healthy{border-left-color:var(--ok)}.tile.Unknown{border-left-color:var(--off)}
.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px}.grid>section{min-width:0}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
table{width:100%;border-collapse:collapse;background:var(--panel);border:1px solid var(--line);table-layout:fixed}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:middle;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
th{background:var(--soft);font-weight:600;color:var(--muted);white-space:normal}tbody tr:nth-child(even){background:var(--stripe)}
td.empty{color:var(--muted);text-align:center;padding:16px;white-space:normal}td.num,th.num{text-align:right}
.w-time{width:112px}.w-sev{width:100px}.w-status{width:200px}.w-num{width:100px}.w-occ{width:120px}.w-act{width:108px}.w-wl{width:126px}.w-op{width:170px}.w-trig{width:92px}
.trunc{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
dl{display:grid;grid-template-columns:180px 1fr;gap:6px 16px;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:16px;margin:0 0 16px}
dt{color:var(--muted)}dd{margin:0;word-break:break-word}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e4e7eb;color:#1f2933}
.badge.Critical,.badge.Failed{background:#ffe3e3;color:#a61b1b}.badge.Warning,.badge.CompletedWithWarnings{background:#fff3c4;color:#8d6708}
.badge.Informational,.badge.InProgress{background:#dceefb;color:#0b4f8a}.badge.Active{background:#ffe8d9;color:#9c3d00}
.badge.Completed,.badge.Healthy{background:#e3f9e5;color:#0e5814}.badge.Acknowledged{background:#eae2f8;color:#44337a}
form.filters{display:flex;gap:10px;align-items:end;flex-wrap:wrap;margin-bottom:10px}form.filters>a{padding:6px 0}
label{display:flex;flex-direction:column;gap:3px;color:var(--muted);font-size:13px}label.check{flex-direction:row;align-items:center;gap:6px}
select,input,textarea{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:5px;background:var(--panel);color:var(--text)}
textarea{width:100%;max-width:520px;min-height:120px;font-family:ui-monospace,Menlo,Consolas,monospace}
button{font:inherit;padding:5px 12px;border-radius:5px;border:1px solid var(--link);background:var(--link);color:var(--panel);cursor:pointer}
button.secondary{background:var(--panel);color:var(--link)}button.danger{border-color:var(--bad);background:var(--panel);color:var(--bad)}
form.inline{display:inline;margin:0}td button{padding:1px 8px;font-size:12px}
.pager{margin-top:8px;display:flex;gap:16px}
.settings{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:16px;display:flex;flex-direction:column;gap:14px;max-width:600px}
.muted{color:var(--muted)}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.chart svg{display:block;width:100%;height:auto}.chart .axis{stroke:var(--line)}.chart text{fill:var(--muted);font-size:11px}
.chart .Completed{fill:var(--ok)}.chart .CompletedWithWarnings{fill:var(--warn)}.chart .Failed{fill:var(--bad)}.chart .Cancelled{fill:var(--off)}
.chart .rate{fill:none;stroke:var(--rate);stroke-width:2}.chart .dot{fill:var(--rate)}
.legend{display:flex;gap:14px;flex-wrap:wrap;color:var(--muted);font-size:12px;margin:6px 0}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.legend .Completed{background:var(--ok)}.legend .CompletedWithWarnings{background:var(--warn)}.legend .Failed{background:var(--bad)}.legend .Cancelled{background:var(--off)}.legend .rate{background:var(--rate);height:3px}
details summary{cursor:pointer;color:var(--link);margin:6px 0}
.figures{display:flex;gap:24px;flex-wrap:wrap;margin:4px 0 8px}.figures div{display:flex;flex-direction:column}.figures b{font-size:20px}
header .session{margin-left:auto;opacity:1}header .session button{margin-left:10px;padding:2px 10px}
.actions{display:flex;gap:16px;flex-wrap:wrap;margin:0 0 16px}form.action{display:flex;gap:8px;align-items:end}
.badge.Acknowledged{background:#e8e1fb;color:#4c2a9c}.badge.Pending{background:#dceefb;color:#0b4f8a}.badge.Expired{background:#e4e7eb;color:var(--muted)}
ul.occurrences{margin:0;padding-left:16px}
ol.timeline{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px 12px 36px;margin:0 0 16px}
ol.timeline li{margin:4px 0}ol.timeline .comment{color:var(--muted);margin-left:4px}
`;

export interface Crumb {
  label: string;
  href?: string;
}

export function Layout(props: { title: string; crumbs?: Crumb[]; flash?: string; children?: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Backup Monitor`}</title>
          {/* A constant, never user data: text children would escape the quotes and > in selectors. */}
          <style dangerouslySetInnerHTML={{ __html: CSS }} />
          {/* Progressive: without it every page still works; with it, lists refresh and times stay relative. */}
          <script src={CONSOLE_SCRIPT_PATH} defer />
        </head>
        <body>
          <a class="skip" href="#main">Skip to content</a>
          <header>
            <a href="/console">Backup Monitor</a>
            <span>vault console</span>
            <SessionBadge />
          </header>
          <main id="main" tabindex={-1}>
            {props.crumbs && props.crumbs.length > 0 && (
              <nav class="crumbs" aria-label="Breadcrumb">
                {props.crumbs.map((crumb, index) => (
                  <>
                    {index > 0 && ' / '}
                    {crumb.href ? <a href={crumb.href}>{crumb.label}</a> : <span>{crumb.label}</span>}
                  </>
                ))}
              </nav>
            )}
            {props.flash && <div class="flash" role="status">{props.flash}</div>}
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/** The vault's page tabs; other pages (items, silences, deliveries) add an entry here. */
export const VAULT_TABS = [
  { key: 'overview', label: 'Overview', path: '' },
  { key: 'alerts', label: 'Alerts', path: '/alerts' },
  { key: 'jobs', label: 'Jobs', path: '/jobs' },
  { key: 'report', label: 'Report', path: '/report' },
  { key: 'settings', label: 'Notifications', path: '/settings' },
] as const;

export function VaultTabs(props: { base: string; current: string }) {
  return (
    <nav class="tabs" aria-label="Vault pages">
      {VAULT_TABS.map((tab) => (
        <a href={`${props.base}${tab.path}`} aria-current={tab.key === props.current ? 'page' : undefined}>{tab.label}</a>
      ))}
    </nav>
  );
}

export function ErrorPage(props: { status: number; detail: string }) {
  return (
    <Layout title={`Error ${props.status}`} crumbs={[{ label: 'Vaults', href: '/console' }]}>
      <h1>{props.status === 404 ? 'Not found' : `Error ${props.status}`}</h1>
      <p>{props.detail}</p>
    </Layout>
  );
}

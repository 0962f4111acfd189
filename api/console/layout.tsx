/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

// Inline on purpose: the console ships with the API, needs no build step and loads nothing remote.
const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f4f6f8}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
header{background:#14213d;color:#fff;padding:10px 24px;display:flex;gap:16px;align-items:baseline}
header a{color:#fff;font-weight:600}header span{opacity:.7}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
nav.crumbs{color:#52606d;margin-bottom:8px}
h1{font-size:22px;margin:4px 0 16px}h2{font-size:17px;margin:28px 0 10px}
.flash{background:#e3f9e5;border:1px solid #57ae5b;color:#0e5814;padding:8px 12px;border-radius:6px;margin-bottom:16px}
.errors{background:#ffeeee;border:1px solid #e12d39;color:#8a041a;padding:8px 12px;border-radius:6px;margin:8px 0}
.errors ul{margin:4px 0 0;padding-left:20px}
.tiles{display:flex;gap:12px;flex-wrap:wrap}
.tile{display:block;min-width:160px;padding:12px 16px;border-radius:8px;background:#fff;border:1px solid #d9e2ec;border-left:6px solid #9aa5b1;color:inherit}
.tile .count{font-size:28px;font-weight:700}.tile .label{color:#52606d}
.tile.Critical{border-left-color:#d64545}.tile.Warning{border-left-color:#f0b429}.tile.Informational{border-left-color:#2680c2}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d9e2ec}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e7eb;vertical-align:middle}
th{background:#f0f4f8;font-weight:600;color:#3e4c59}tbody tr:nth-child(even){background:#fafbfc}
td.empty{color:#7b8794;text-align:center;padding:16px}
dl{display:grid;grid-template-columns:180px 1fr;gap:6px 16px;background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:16px;margin:0 0 16px}
dt{color:#52606d}dd{margin:0;word-break:break-word}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e4e7eb}
.badge.Critical,.badge.Failed{background:#ffe3e3;color:#a61b1b}.badge.Warning,.badge.CompletedWithWarnings{background:#fff3c4;color:#8d6708}
.badge.Informational,.badge.InProgress{background:#dceefb;color:#0b4f8a}.badge.Active{background:#ffe8d9;color:#9c3d00}
.badge.Completed{background:#e3f9e5;color:#0e5814}
form.filters{display:flex;gap:10px;align-items:end;flex-wrap:wrap;margin-bottom:10px}form.filters>a{padding:6px 0}
label{display:flex;flex-direction:column;gap:3px;color:#3e4c59;font-size:13px}label.check{flex-direction:row;align-items:center;gap:6px}
select,input,textarea{font:inherit;padding:5px 8px;border:1px solid #bcccdc;border-radius:5px;background:#fff}
textarea{width:100%;max-width:520px;min-height:120px;font-family:ui-monospace,Menlo,Consolas,monospace}
button{font:inherit;padding:5px 12px;border-radius:5px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}button.danger{border-color:#c0392b;background:#fff;color:#c0392b}
form.inline{display:inline;margin:0}td button{padding:2px 10px;font-size:13px}
.pager{margin-top:8px;display:flex;gap:16px}
.settings{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:16px;display:flex;flex-direction:column;gap:14px;max-width:600px}
.muted{color:#7b8794}
.actions{display:flex;gap:16px;flex-wrap:wrap;margin:0 0 16px}form.action{display:flex;gap:8px;align-items:end}
.badge.Acknowledged{background:#e8e1fb;color:#4c2a9c}.badge.Pending{background:#dceefb;color:#0b4f8a}.badge.Expired{background:#e4e7eb;color:#52606d}
ul.occurrences{margin:0;padding-left:16px}
ol.timeline{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:12px 16px 12px 36px;margin:0 0 16px}
ol.timeline li{margin:4px 0}ol.timeline .comment{color:#52606d;margin-left:4px}
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
        </head>
        <body>
          <header>
            <a href="/console">Backup Monitor</a>
            <span>vault console</span>
          </header>
          <main>
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

export function ErrorPage(props: { status: number; detail: string }) {
  return (
    <Layout title={`Error ${props.status}`} crumbs={[{ label: 'Vaults', href: '/console' }]}>
      <h1>{props.status === 404 ? 'Not found' : `Error ${props.status}`}</h1>
      <p>{props.detail}</p>
    </Layout>
  );
}

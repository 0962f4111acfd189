// Renders every email template with its sample props to .data/email-preview/ and serves them
// with an index. react-email's own preview server was not used: it installs a Next.js app
// on first run, which is heavy and needs the network. `npm run email:preview` runs this under
// `tsx watch`, so saving a template re-renders. `--once` writes the files and exits.
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLES, SAMPLE_PUBLIC_URL } from '../emails/preview/samples';
import { renderEmail } from '../emails/render';
import { EMAIL_KINDS, type EmailKind, type RenderedEmail } from '../emails/types';

const OUT_DIR = fileURLToPath(new URL('../.data/email-preview/', import.meta.url));
const port = Number(process.env.EMAIL_PREVIEW_PORT ?? 3030);
const publicUrl = process.env.PUBLIC_URL ?? SAMPLE_PUBLIC_URL;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

async function renderAll(): Promise<Map<EmailKind, RenderedEmail>> {
  await mkdir(OUT_DIR, { recursive: true });
  const rendered = new Map<EmailKind, RenderedEmail>();
  for (const kind of EMAIL_KINDS) {
    const email = await renderEmail(kind, SAMPLES[kind] as never, { publicUrl });
    rendered.set(kind, email);
    await writeFile(join(OUT_DIR, `${kind}.html`), email.html);
    await writeFile(join(OUT_DIR, `${kind}.txt`), `Subject: ${email.subject}\n\n${email.text}`);
  }
  return rendered;
}

function index(rendered: Map<EmailKind, RenderedEmail>): string {
  const rows = [...rendered].map(
    ([kind, email]) =>
      `<li><strong>${kind}</strong>: <a href="/${kind}.html">HTML</a> · <a href="/${kind}.txt">text</a><br><code>${escapeHtml(email.subject)}</code></li>`,
  );
  return `<!doctype html><meta charset="utf-8"><title>Email previews</title>
<body style="font-family:system-ui;max-width:760px;margin:40px auto;line-height:1.6">
<h1>Email previews</h1><p>Rendered from <code>emails/preview/samples.ts</code> into <code>${escapeHtml(OUT_DIR)}</code>.</p>
<ul>${rows.join('')}</ul></body>`;
}

const rendered = await renderAll();
console.log(`rendered ${rendered.size} emails into ${OUT_DIR}`);

if (!process.argv.includes('--once')) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = /^\/([a-z]+)\.(html|txt)$/.exec(path);
    const email = match ? rendered.get(match[1] as EmailKind) : undefined;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(index(rendered));
    } else if (email && match) {
      const [type, body] =
        match[2] === 'html' ? ['text/html', email.html] : ['text/plain', `Subject: ${email.subject}\n\n${email.text}`];
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  server.listen(port, '127.0.0.1', () => console.log(`email previews at http://127.0.0.1:${port}/`));
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// The console's one script, served from the API itself (CSP `script-src 'self'`): it keeps relative
// times current and refreshes live sections in place. Every page works without it.
export const CONSOLE_SCRIPT_PATH = '/console/assets/console.js';

/** The same wording as `relativeTime` in components.tsx, so a refresh never changes a label's style. */
export const CONSOLE_SCRIPT = `(() => {
  const rel = (at) => {
    const s = Math.round((Date.now() - at) / 1000), a = Math.abs(s), f = (n, u) => s >= 0 ? n + ' ' + u + ' ago' : 'in ' + n + ' ' + u;
    if (a < 45) return s >= 0 ? 'just now' : 'in a moment';
    if (a < 3600) return f(Math.max(1, Math.round(a / 60)), 'min');
    if (a < 86400) return f(Math.round(a / 3600), 'h');
    if (a < 7 * 86400) return f(Math.round(a / 86400), 'd');
    return new Date(at).toISOString().slice(0, 10);
  };
  const times = (root) => root.querySelectorAll('time[data-rel]').forEach((t) => { t.textContent = rel(Date.parse(t.dateTime)); });
  const live = (el) => {
    const every = Math.max(2, Number(el.dataset.every) || 15) * 1000;
    let last = '';
    setInterval(async () => {
      // Never pull the rug from under the keyboard or a hidden tab.
      if (document.hidden || el.contains(document.activeElement)) return;
      try {
        const res = await fetch(el.dataset.live, { credentials: 'same-origin', headers: { accept: 'text/html' } });
        // A signed-out session answers with the sign-in page: never paste that into a section.
        if (!res.ok || res.redirected || res.headers.get('x-console-fragment') !== '1') return;
        const html = await res.text();
        // Swap only on a real change (relative times aside), so screen readers hear news, not churn.
        const key = html.replace(/(<time[^>]*>)[^<]*/g, '$1');
        if (key === last) return;
        last = key;
        el.innerHTML = html;
        times(el);
        el.dataset.refreshedAt = String(Date.now());
      } catch { /* offline for a moment: the next tick tries again */ }
    }, every);
  };
  const start = () => { times(document); setInterval(() => times(document), 30000); document.querySelectorAll('[data-live]').forEach(live); };
  document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', start) : start();
})();
`;

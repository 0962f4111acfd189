// A signed-in console session without a browser: the sign-in cookie on every request and this
// session's CSRF token added to every form post, as the console's own forms would send it.
import { TEST_ADMIN_TOKEN, type Stack } from './stack';

export interface ConsolePage {
  status: number;
  location: string | null;
  html: string;
}

export async function consoleSession(stack: Pick<Stack, 'baseUrl'>, token = TEST_ADMIN_TOKEN) {
  const signIn = await fetch(`${stack.baseUrl}/console/sign-in`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ token, next: '/console' }),
    headers: { origin: stack.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const cookie = signIn.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`console sign-in answered ${signIn.status} without a session cookie`);
  let csrf: string | undefined;

  async function page(path: string, init: RequestInit = {}): Promise<ConsolePage> {
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie!);
    let body = init.body;
    if (body instanceof URLSearchParams && !body.has('_csrf')) {
      csrf ??= await csrfToken();
      body = new URLSearchParams(body);
      body.set('_csrf', csrf);
    }
    const response = await fetch(`${stack.baseUrl}${path}`, { redirect: 'manual', ...init, headers, body });
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  }

  /** Read off a page's form, where the console inserts it. */
  async function csrfToken(): Promise<string> {
    const html = (await page('/console')).html;
    const found = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!found) throw new Error('no CSRF token on the console home page');
    return found;
  }

  return { cookie, page };
}

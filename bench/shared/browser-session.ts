/**
 * Just enough of a browser for benchmark setup over real HTTP: keeps the cookies a server sets,
 * does not follow redirects, reads the CSRF token from a page, signs in through the login form.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  /** The Cookie header this session sends. */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', this.cookieHeader);
    const res = await fetch(this.origin + path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }

  /** GET a page that must answer 200, as text. */
  async page(path: string): Promise<string> {
    const res = await this.request(path);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    return text;
  }

  async csrfToken(path: string): Promise<string> {
    const match = /name="_csrf" value="([^"]+)"/.exec(await this.page(path));
    if (!match) throw new Error(`no CSRF token on ${path}`);
    return match[1];
  }

  /** Signs in through the login form; the session cookie is kept. */
  async signIn(username: string, password: string): Promise<void> {
    const _csrf = await this.csrfToken('/login');
    const res = await this.request('/login', { method: 'POST', body: new URLSearchParams({ username, password, _csrf }) });
    await res.arrayBuffer();
    if (res.status !== 302 || (res.headers.get('location') ?? '').includes('/login')) throw new Error(`sign-in as ${username} failed (${res.status})`);
  }
}

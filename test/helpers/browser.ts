import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Express } from 'express';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's chromium, headless, as CI installs it (.ci/run). `popupBlocking`: keep Chromium's
 * popup blocker, which Playwright turns off by default, as learners' browsers have it.
 */
export async function launchBrowser(options: { popupBlocking?: boolean } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    ignoreDefaultArgs: options.popupBlocking ? ['--disable-popup-blocking'] : [],
  });
}

/** Serves an app on a random loopback port. */
export async function serve(app: Express | http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export async function signInPage(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  const attempt = async () => {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    // Done when the browser leaves the login form, or is sent back to it with ?next= (no session).
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login') || u.searchParams.has('next')), page.click('button[type=submit].primary')]);
    return !new URL(page.url()).pathname.endsWith('/login');
  };
  if (await attempt()) return;
  // Seen once on a loaded 2-core CI machine: the first page after sign-in came back to the login
  // form. Say so loudly with what the browser held, then try once more; a second failure is real.
  const cookies = (await page.context().cookies()).map((c) => `${c.name}@${c.domain} expires ${c.expires}`);
  console.warn(`      [browser] sign-in as ${username} landed on ${page.url()}; cookies: ${cookies.join(', ') || 'none'}; retrying once`);
  if (!(await attempt())) throw new Error(`sign-in as ${username} failed twice: still on ${page.url()}`);
}

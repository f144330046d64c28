// `npm run screenshots [-- --only employee,hr]`: the standalone server on a fresh demo bank, each
// role's main pages in zh-CN and en, desktop (1366×768) and phone (390×844), as full-page PNGs in
// data/screenshots/, so people can look at the product before an issue is called done.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/config.js';
import { LOCALE_COOKIE } from '../../server/http/locals.js';
import { launchBrowser, signInPage } from '../helpers/browser.js';
import { freePort } from '../crash/crash-server.js';

const PASSWORD = 'screens-demo-password-1';
const OUT = path.join(PROJECT_ROOT, 'data', 'screenshots');
const VIEWPORTS = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const LOCALES = ['zh-CN', 'en'] as const;

/** A page: a fixed path, or the first link on another page whose href matches. */
type Target = string | { from: string; link: RegExp };
const PAGES: Record<string, Record<string, Target>> = {
  anonymous: { login: '/login', 'password-forgot': '/password/forgot' },
  employee: {
    home: '/me', player: { from: '/me', link: /^\/learn\/[^/?#]+$/ }, certificates: '/me/certificates',
  },
  trainer: {
    courses: '/trainer', course: { from: '/trainer', link: /^\/trainer\/courses\/[^/]+$/ },
    learners: { from: '/trainer', link: /^\/trainer\/courses\/[^/]+$/ }, banks: '/trainer/question-banks',
    bank: { from: '/trainer/question-banks', link: /^\/trainer\/question-banks\/(?!template)[^/.]+$/ }, assignments: '/assignments',
  },
  hr: { dashboard: '/hr', branch: { from: '/hr', link: /^\/hr\/branches\/[^/]+$/ }, roster: '/hr/roster', person: { from: '/hr', link: /^\/hr\/employees\/[^/]+$/ } },
  admin: { admin: '/admin', users: '/admin/users', branches: '/admin/branches', audit: '/admin/audit', certificates: '/admin/certificates', invitations: '/admin/invitations' },
};

async function startServer(dataDir: string): Promise<{ origin: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
    cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), LMS_DATA_DIR: dataDir, LMS_DEMO: '1', LMS_DEMO_PASSWORD: PASSWORD, LMS_LOG_LEVEL: 'warn', LMS_CONTENT_PORT: String(await freePort()) },
  });
  const origin = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); Date.now() - started < 300_000;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${origin}/healthz`).then((r) => r.ok, () => false)) return { origin, stop: () => child.kill() };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill();
  throw new Error('server did not answer /healthz within 5 minutes');
}

async function resolve(page: Page, origin: string, target: Target): Promise<string | null> {
  if (typeof target === 'string') return target;
  await page.goto(origin + target.from);
  const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.find((href) => target.link.test(href.split('?')[0])) ?? null;
}

async function main(): Promise<void> {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : Object.keys(PAGES);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-screens-'));
  fs.mkdirSync(OUT, { recursive: true });
  const server = await startServer(dataDir);
  const browser = await launchBrowser();
  const missing: string[] = [];
  try {
    for (const role of only) {
      for (const locale of LOCALES) {
        for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
          const context = await browser.newContext({ viewport });
          await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: server.origin }]);
          const page = await context.newPage();
          if (role !== 'anonymous') await signInPage(page, server.origin, role, PASSWORD);
          for (const [name, target] of Object.entries(PAGES[role])) {
            const url = await resolve(page, server.origin, target);
            const response = url ? await page.goto(server.origin + url) : null;
            if (!response || response.status() >= 400) {
              missing.push(`${role} ${name} (${url ?? 'no link found'}: ${response?.status() ?? '-'})`);
              continue;
            }
            await page.waitForLoadState('networkidle').catch(() => undefined);
            await page.screenshot({ path: path.join(OUT, `${role}-${name}-${locale}-${viewportName}.png`), fullPage: true });
          }
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`screenshots in ${path.relative(PROJECT_ROOT, OUT)}/`);
  if (missing.length > 0) console.log(`not reached:\n  ${[...new Set(missing)].join('\n  ')}`);
}

await main();

// A real LMS on loopback ports for browser tests: same-origin (content under /content on the LMS
// origin) or cross-origin (content on its own origin, a different host name so that no cookie is
// shared), an employee signed in through the login form, and readers for what the database holds.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { buildTestApp, createBranch, createUser, TEST_PASSWORD, type TestContext } from '../../helpers/test-app.js';
import { publishCourse } from '../../helpers/launch.js';
import { launchBrowser, signInPage } from '../../helpers/browser.js';
import { writeZip, type ZipEntrySpec } from '../../helpers/zip-builder.js';
import type { LmsOptions } from '../../../server/config.js';

export type ContentMode = 'same-origin' | 'cross-origin';
export const CONTENT_MODES: readonly ContentMode[] = (process.env.LMS_TEST_CONTENT_MODES?.split(',') as ContentMode[] | undefined) ?? ['same-origin', 'cross-origin'];

export interface LmsUnderTest {
  ctx: TestContext;
  mode: ContentMode;
  /** Where the learner browses: http://localhost:<port>. */
  lmsUrl: string;
  /** Where package content is served: the LMS itself, or http://127.0.0.1:<port2>. */
  contentUrl: string;
  publish(code: string, zipPath: string): Promise<number>;
  close(): Promise<void>;
}

interface Listening { server: http.Server; port: number; setHandler(handler: http.RequestListener): void }

/** A server on a loopback port whose handler is set later (the app needs to know both URLs first). */
async function listenLater(): Promise<Listening> {
  let handler: http.RequestListener = (_req, res) => { res.statusCode = 503; res.end(); };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, setHandler: (h) => { handler = h; } };
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
}

/**
 * Starts the LMS with a trainer ("tr") and an employee ("emp"). In cross-origin mode the content
 * app listens on a second port and the LMS is told its origin, as the standalone server does.
 */
export async function startLms(mode: ContentMode, options: Partial<LmsOptions> = {}): Promise<LmsUnderTest> {
  const lms = await listenLater();
  const content = mode === 'cross-origin' ? await listenLater() : null;
  const lmsUrl = `http://localhost:${lms.port}`;
  const contentUrl = content ? `http://127.0.0.1:${content.port}` : lmsUrl;
  const ctx = buildTestApp(content ? { contentOrigin: contentUrl, ...options } : options);
  lms.setHandler(ctx.app);
  if (content) content.setHandler(ctx.app.lms.contentApp);
  await createBranch(ctx.app, 'HO', null);
  await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
  await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO', name: '王小明' });
  return {
    ctx, mode, lmsUrl, contentUrl,
    publish: (code, zipPath) => publishCourse(ctx.app, 'tr', code, zipPath),
    close: async () => {
      await closeServer(lms.server);
      if (content) await closeServer(content.server);
      ctx.close();
    },
  };
}

/** A fresh browser context signed in as the employee (the session cookie lives in the context). */
export async function signInLearner(browser: Browser, lms: LmsUnderTest): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await signInPage(page, lms.lmsUrl, 'emp', TEST_PASSWORD);
  await page.close();
  return context;
}

export interface PlayerTab { page: Page; errors: string[] }

/**
 * A new tab on /learn/<code>: confirm() dialogs (golf's "resume where you left off?") are
 * accepted, page errors collected.
 */
export async function openCourse(context: BrowserContext, lms: LmsUnderTest, code: string, sco?: string): Promise<PlayerTab> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => { void dialog.accept().catch(() => undefined); });
  await page.goto(`${lms.lmsUrl}/learn/${code}${sco ? `?sco=${encodeURIComponent(sco)}` : ''}`);
  return { page, errors };
}

/**
 * Every uncaught error and console error of every page (and frame) in a context, from now on:
 * "pageerror <page url>: message" or "console <source url>: text".
 */
export function collectPageProblems(context: BrowserContext): string[] {
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`pageerror ${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console ${message.location().url}: ${message.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
}

/** Closes the tab the way a person does: beforeunload, pagehide and unload all run. */
export async function closeTab(page: Page): Promise<void> {
  await page.close({ runBeforeUnload: true });
}

/** Waits for the frame whose URL path ends with `pathEnd` (the SCO, or a page inside it). */
export async function frameEndingWith(page: Page, pathEnd: string, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => {
      try { return new URL(f.url()).pathname.endsWith(pathEnd); } catch { return false; }
    });
    if (frame) {
      try {
        await frame.waitForLoadState('load', { timeout: Math.max(1, deadline - Date.now()) });
        return frame;
      } catch { /* replaced while loading: look again */ }
    }
    if (Date.now() > deadline) throw new Error(`no frame ending with ${pathEnd}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await page.waitForTimeout(100);
  }
}

/** Polls `read` until `isDone` holds (commits from the browser arrive asynchronously). */
export async function eventually<T>(read: () => T | Promise<T>, isDone: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!isDone(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

export interface ScoStateRecord {
  identifier: string; completion_status: string; success_status: string; score_raw: number | null; score_scaled: number | null;
  location: string | null; exit: string | null; total_seconds: number; cmi: Record<string, string>;
}
export interface AttemptRecord { id: number; number: number; completion_status: string; success_status: string; score_scaled: number | null; finished_at: string | null }
export interface InteractionRow { identifier: string; idx: number; interaction_id: string; type: string | null; response: string | null; correct_response: string | null; result: string | null }
export interface LaunchRecord { id: number; identifier: string; last_seq: number; terminated_at: string | null }

/** What the database holds for the employee in one course (latest attempt unless said otherwise). */
export function records(lms: LmsUnderTest, courseCode: string) {
  const db = lms.ctx.app.lms.db;
  const attemptIds = `SELECT a.id FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id JOIN courses c ON c.id = e.course_id
    JOIN users u ON u.id = e.user_id WHERE c.code = @code AND u.username = 'emp'`;
  const latest = `(SELECT MAX(id) FROM attempts WHERE id IN (${attemptIds}))`;
  const statesQuery = db.prepare(`SELECT s.identifier, st.* FROM sco_states st JOIN scos s ON s.id = st.sco_id WHERE st.attempt_id = ${latest}`);
  return {
    attempts: () => db.prepare(`SELECT id, number, completion_status, success_status, score_scaled, finished_at FROM attempts
      WHERE id IN (${attemptIds}) ORDER BY number`).all({ code: courseCode }) as AttemptRecord[],
    /** SCO states of the latest attempt, keyed by SCO identifier. */
    states: (): Map<string, ScoStateRecord> => {
      const rows = statesQuery.all({ code: courseCode }) as Array<ScoStateRecord & { cmi_json: string }>;
      return new Map(rows.map((r) => [r.identifier, { ...r, cmi: JSON.parse(r.cmi_json) as Record<string, string> }]));
    },
    interactions: () => db.prepare(`SELECT s.identifier, i.idx, i.interaction_id, i.type, i.response, i.correct_response, i.result FROM interactions i
      JOIN scos s ON s.id = i.sco_id WHERE i.attempt_id = ${latest} ORDER BY s.position, i.idx`).all({ code: courseCode }) as InteractionRow[],
    launches: () => db.prepare(`SELECT l.id, s.identifier, l.last_seq, l.terminated_at FROM launch_sessions l JOIN scos s ON s.id = l.sco_id
      WHERE l.attempt_id IN (${attemptIds}) ORDER BY l.id`).all({ code: courseCode }) as LaunchRecord[],
  };
}

/** A browser, an LMS with hand-made packages published (code → zip entries) and a signed-in learner. */
export interface PackagesWorld { browser: Browser; lms: LmsUnderTest; context: BrowserContext; close(): Promise<void> }

export async function startPackagesWorld(mode: ContentMode, packages: Record<string, readonly ZipEntrySpec[]>): Promise<PackagesWorld> {
  const browser = await launchBrowser();
  const lms = await startLms(mode);
  const zipDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-packages-'));
  for (const [code, entries] of Object.entries(packages)) {
    const zipPath = path.join(zipDir, `${code}.zip`);
    await writeZip(zipPath, entries);
    await lms.publish(code, zipPath);
  }
  const context = await signInLearner(browser, lms);
  return {
    browser, lms, context,
    close: async () => {
      await context.close();
      await lms.close();
      await browser.close();
      fs.rmSync(zipDir, { recursive: true, force: true });
    },
  };
}

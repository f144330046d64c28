// Shared pieces for the shipped-course browser tests: headless Chromium, unpacked packages, a
// recording fake SCORM API, and helpers that drive the content the way a learner would.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { Lesson } from '../../../courses/packaging/course-source.js';
import { readZipEntries } from './read-zip.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Fails (never skips) when the browser is missing, saying what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}; the shipped-course browser tests need it (apt-get install chromium).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function unzipTo(zipPath: string, dir: string): Promise<void> {
  for (const [name, content] of await readZipEntries(zipPath)) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export interface FakeScormState {
  store: Record<string, string>;
  calls: string[][];
}

/**
 * Page script for a SCORM 1.2 or 2004 API that accepts everything and records every call in
 * window.__fakeScorm. Kept as plain JavaScript text: the TypeScript loader rewrites functions
 * (adding helpers) in ways that break when a function is serialised into the page.
 */
export function fakeScormApiScript(version: '1.2' | '2004', preset: Record<string, string> = {}): string {
  return `(() => {
  const store = Object.assign({ 'cmi.interactions._count': '0' }, ${JSON.stringify(preset)});
  const calls = [];
  const get = (key) => { calls.push(['GetValue', key]); return store[key] ?? ''; };
  const set = (key, value) => {
    calls.push(['SetValue', key, String(value)]);
    store[key] = String(value);
    const index = /^cmi\\.interactions\\.(\\d+)\\.id$/.exec(key);
    if (index && Number(index[1]) + 1 > Number(store['cmi.interactions._count'])) {
      store['cmi.interactions._count'] = String(Number(index[1]) + 1);
    }
    return 'true';
  };
  const simple = (name) => () => { calls.push([name]); return 'true'; };
  const api = ${JSON.stringify(version)} === '1.2'
    ? { LMSInitialize: simple('Initialize'), LMSGetValue: get, LMSSetValue: set, LMSCommit: simple('Commit'), LMSFinish: simple('Terminate'), LMSGetLastError: () => '0', LMSGetErrorString: () => '', LMSGetDiagnostic: () => '' }
    : { Initialize: simple('Initialize'), GetValue: get, SetValue: set, Commit: simple('Commit'), Terminate: simple('Terminate'), GetLastError: () => '0', GetErrorString: () => '', GetDiagnostic: () => '' };
  window[${JSON.stringify(version)} === '1.2' ? 'API' : 'API_1484_11'] = api;
  window.__fakeScorm = { store, calls };
})();`;
}

export async function readFakeScorm(page: Page): Promise<FakeScormState> {
  return page.evaluate(() => (window as unknown as { __fakeScorm: FakeScormState }).__fakeScorm);
}

/** Values set for one element, in order. */
export function valuesSet(state: FakeScormState, element: string): string[] {
  return state.calls.filter((call) => call[0] === 'SetValue' && call[1] === element).map((call) => call[2]);
}

export type UiLanguage = 'zh' | 'en';

/** The page itself, or the frame the content runs in under an LMS-like harness. */
export type ContentSurface = Pick<Frame, 'locator' | 'getByRole' | 'getByLabel'>;

const LABELS = {
  zh: { next: '下一页', check: '确认选择', nextLesson: '进入下一课', finish: '完成并退出' },
  en: { next: 'Next', check: 'Check my choice', nextLesson: 'Next lesson', finish: 'Finish and exit' },
} as const;

export function labels(language: UiLanguage) {
  return LABELS[language];
}

/** Goes from the current screen to the last one, choosing the best option at each decision. */
export async function walkLesson(page: ContentSurface, lesson: Lesson, language: UiLanguage, startScreen = 0): Promise<void> {
  for (let index = startScreen; index < lesson.screens.length; index += 1) {
    const screen = lesson.screens[index];
    await page.locator('#screen-heading', { hasText: screen.heading[language] }).waitFor();
    if (screen.kind === 'decision') {
      const best = screen.options.find((option) => option.isBest);
      if (!best) throw new Error(`${lesson.id}: decision without a best option`);
      await page.getByLabel(best.text[language], { exact: true }).check();
      await page.getByRole('button', { name: labels(language).check }).click();
    }
    if (index < lesson.screens.length - 1) await page.getByRole('button', { name: labels(language).next, exact: true }).click();
  }
}

// The shipped content against the real runtime the LMS player uses: scorm-again's API in a
// parent page, the package in a same-origin iframe (served over local HTTP), every refused
// call recorded. scorm-again validates each value strictly, so this catches data-model mistakes
// a permissive fake API would let through.
import { expect } from 'chai';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { buildAllCourses } from '../../../courses/build.js';
import { shippedCourses } from '../../../courses/catalog.js';
import type { CourseSource } from '../../../courses/packaging/course-source.js';
import { labels, launchChromium, unzipTo, walkLesson } from './browser-support.js';

const SCORM_AGAIN_DIST = new URL('../../../node_modules/scorm-again/dist/', import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xml': 'application/xml',
};

interface HarnessResult {
  refused: string[][];
  cmi: Record<string, unknown>;
}

/** Parent page: builds the scorm-again API with preloaded values, wraps it to record refusals. */
function harnessHtml(version: '1.2' | '2004', launch: string, preload: Record<string, unknown>): string {
  const is12 = version === '1.2';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head><body>
<script src="/scorm-again/${is12 ? 'scorm12.js' : 'scorm2004.js'}"></script>
<script>
  window.refused = [];
  const api = new ${is12 ? 'Scorm12API' : 'Scorm2004API'}({ autocommit: false });
  api.loadFromJSON(${JSON.stringify(preload)}, '');
  const lastError = () => String(api.${is12 ? 'LMSGetLastError' : 'GetLastError'}());
  for (const name of ${JSON.stringify(is12 ? ['LMSInitialize', 'LMSSetValue', 'LMSCommit', 'LMSFinish'] : ['Initialize', 'SetValue', 'Commit', 'Terminate'])}) {
    const original = api[name].bind(api);
    api[name] = (...args) => {
      const result = original(...args);
      if (String(result) !== 'true') window.refused.push([name, ...args.map(String), lastError()]);
      return result;
    };
  }
  window.${is12 ? 'API' : 'API_1484_11'} = api;
  window.harnessApi = api;
</script>
<iframe id="sco" title="course" src="${launch}" style="width:375px;height:700px"></iframe>
</body></html>`;
}

describe('shipped content under scorm-again (HTTP, real LMS runtime)', function () {
  this.timeout(90000);
  let browser: Browser;
  let workDir: string;
  let server: http.Server;
  let baseUrl: string;
  let page: Page;
  let harness = '';

  const multiSco = shippedCourses.find((course) => course.scormVersion === '2004') as CourseSource;
  const singleSco = shippedCourses.find((course) => course.scormVersion === '1.2') as CourseSource;

  async function openInHarness(version: '1.2' | '2004', launch: string, preload: Record<string, unknown>): Promise<Frame> {
    harness = harnessHtml(version, launch, preload);
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/`);
    const frame = page.frame({ url: (url) => url.pathname === launch.split('?')[0] });
    if (!frame) throw new Error(`the content frame ${launch} did not load`);
    await frame.locator('#screen-heading').waitFor();
    expect(errors, 'page errors').to.deep.equal([]);
    return frame;
  }

  /** Removes the content (its pagehide finishes the session), then reads what the API holds. */
  async function closeContentAndRead(): Promise<HarnessResult> {
    await page.evaluate(() => document.getElementById('sco')?.remove());
    return page.evaluate(() => {
      const win = window as unknown as { refused: string[][]; harnessApi: { cmi: unknown } };
      return { refused: win.refused, cmi: JSON.parse(JSON.stringify(win.harnessApi.cmi)) as Record<string, unknown> };
    });
  }

  before(async () => {
    browser = await launchChromium();
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-shipped-scorm-again-'));
    for (const course of await buildAllCourses(path.join(workDir, 'zips'))) {
      await unzipTo(course.zipPath, path.join(workDir, 'pkg', course.code));
    }
    server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const send = (status: number, type: string, body: string | Buffer) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      };
      if (url.pathname === '/') return send(200, CONTENT_TYPES['.html'], harness);
      const file = url.pathname.startsWith('/scorm-again/')
        ? new URL(path.posix.basename(url.pathname), SCORM_AGAIN_DIST)
        : new URL(`.${url.pathname}`, `file://${workDir}/`);
      readFile(file).then(
        (content) => send(200, CONTENT_TYPES[path.extname(url.pathname)] ?? 'application/octet-stream', content),
        () => send(404, 'text/plain', 'not found'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await page?.close();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await rm(workDir, { recursive: true, force: true });
  });

  it('SCORM 2004 lesson: every value accepted, completed with exit normal', async () => {
    const frame = await openInHarness('2004', `/pkg/${multiSco.code}/lesson-1.html`, {});
    await walkLesson(frame, multiSco.lessons[0], 'zh');
    const { refused, cmi } = await closeContentAndRead();
    expect(refused).to.deep.equal([]);
    expect(cmi.completion_status).to.equal('completed');
    expect(cmi.exit).to.equal('normal');
    expect(cmi.location).to.equal(`S${multiSco.lessons[0].screens.length - 1}`);
    expect(cmi.session_time).to.match(/^PT/);
  });

  it('SCORM 1.2 single SCO: every lesson, completed and never passed (the exam is the LMS\'s) — every value accepted', async () => {
    const frame = await openInHarness('1.2', `/pkg/${singleSco.code}/index.html`, { student_data: { mastery_score: '80' } });
    for (const [index, lesson] of singleSco.lessons.entries()) {
      await walkLesson(frame, lesson, 'zh');
      if (index < singleSco.lessons.length - 1) await frame.getByRole('button', { name: labels('zh').nextLesson }).click();
    }
    const { refused, cmi } = await closeContentAndRead();
    expect(refused).to.deep.equal([]);
    const core = cmi.core as Record<string, unknown>;
    expect(core.lesson_status).to.equal('completed');
    expect((core.score as Record<string, unknown>).raw ?? '').to.equal('');
    expect(core.exit).to.equal('');
    expect(core.session_time, 'the session was finished').to.match(/^\d{2,4}:\d{2}:\d{2}/);
    expect(Object.keys(cmi.interactions as object)).to.have.length(0);
  });
});

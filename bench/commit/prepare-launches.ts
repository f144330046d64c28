/**
 * Setup for the real side of bench:commit, over HTTP as browsers would do it: a trainer uploads a
 * real SCORM 2004 package through POST /api/courses and publishes it; each learner signs in
 * through the login form and opens /learn/<code>, whose player page embeds the launch
 * configuration (commit URL with its per-launch token, and the state scorm-again preloads).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BrowserSession } from '../shared/browser-session.js';

export interface RealServerInfo { port: number; password: string; trainer: string; learners: string[] }

export interface Launch { learner: string; commitPath: string; cookie: string; launchState: object }

interface LaunchConfig { version: string; commitUrl: string; state: object }

async function publishCourse(origin: string, info: RealServerInfo, code: string, zipFile: string): Promise<void> {
  const trainer = new BrowserSession(origin);
  await trainer.signIn(info.trainer, info.password);
  const csrf = await trainer.csrfToken('/trainer');
  const form = new FormData();
  form.set('code', code);
  form.set('package', new Blob([fs.readFileSync(zipFile)], { type: 'application/zip' }), path.basename(zipFile));
  const upload = await trainer.request('/api/courses', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, body: form });
  if (upload.status !== 201) throw new Error(`upload of ${path.basename(zipFile)} answered ${upload.status}: ${await upload.text()}`);
  await upload.arrayBuffer().catch(() => undefined);
  const publish = await trainer.request(`/api/courses/${code}/publish`, {
    method: 'POST', headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: '{}',
  });
  if (publish.status !== 200) throw new Error(`publishing ${code} answered ${publish.status}: ${await publish.text()}`);
}

async function openPlayer(origin: string, info: RealServerInfo, learner: string, code: string): Promise<Launch> {
  const browser = new BrowserSession(origin);
  await browser.signIn(learner, info.password);
  const page = await browser.page(`/learn/${code}`);
  const json = /<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(page)?.[1];
  if (!json) throw new Error(`/learn/${code} for ${learner} has no launch configuration`);
  const config = JSON.parse(json) as LaunchConfig;
  if (config.version !== '2004') throw new Error(`expected a SCORM 2004 launch, got ${config.version}`);
  return { learner, commitPath: new URL(config.commitUrl, origin).pathname, cookie: browser.cookieHeader, launchState: config.state };
}

export async function prepareLaunches(info: RealServerInfo, code: string, zipFile: string): Promise<Launch[]> {
  const origin = `http://127.0.0.1:${info.port}`;
  await publishCourse(origin, info, code, zipFile);
  const launches: Launch[] = [];
  for (const learner of info.learners) launches.push(await openPlayer(origin, info, learner, code));
  return launches;
}

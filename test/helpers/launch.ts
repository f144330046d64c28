import path from 'node:path';
import type supertest from 'supertest';
import type { LmsApp } from '../../server/app.js';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from './test-app.js';
import { SAMPLES_DIR } from './samples.js';

type Agent = ReturnType<typeof supertest.agent>;

/** Uploads and publishes a package as the given trainer; returns its version id. */
export async function publishCourse(app: LmsApp, trainerUsername: string, code: string, zipPath: string): Promise<number> {
  const { agent } = await signIn(app, trainerUsername);
  const token = csrfFrom((await agent.get('/trainer')).text);
  const res = await agent.post('/api/courses').set('X-CSRF-Token', token).field('code', code).attach('package', zipPath).expect(201);
  await agent.post(`/api/courses/${code}/publish`).set('X-CSRF-Token', token).send({}).expect(200);
  return res.body.version.id as number;
}

export const sample = (name: string) => path.join(SAMPLES_DIR, name);

export interface PlayerLaunch { commitUrl: string; contentUrl: string; version: string; state: { cmi: Record<string, unknown> } }

/** Opens /learn/<code> like the browser does and reads the player's launch configuration. */
export async function openPlayer(agent: Agent, code: string, sco?: string): Promise<PlayerLaunch> {
  const res = await agent.get(`/learn/${code}${sco ? `?sco=${encodeURIComponent(sco)}` : ''}`).expect(200);
  const json = /<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(res.text)![1];
  return JSON.parse(json) as PlayerLaunch;
}

export const GOLF_12 = 'golf-RuntimeBasicCalls-SCORM12.zip';
export const GOLF_2004 = 'golf-RuntimeBasicCalls-SCORM2004-3rd.zip';

/** A fresh app with branch HO, trainer `tr`, the given employees, and each sample published under its code. */
export async function appWithCourses(courses: Record<string, string>, employees: string[] = ['emp']): Promise<TestContext> {
  const ctx = buildTestApp();
  await createBranch(ctx.app, 'HO', null);
  await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
  for (const username of employees) await createUser(ctx.app, { username, roles: ['employee'], branch: 'HO' });
  for (const [code, zipName] of Object.entries(courses)) await publishCourse(ctx.app, 'tr', code, sample(zipName));
  return ctx;
}

/** A fresh app with branch HO, trainer `tr`, employee `emp`, and the golf SCORM 2004 runtime sample published as G04. */
export const appWithG04 = (): Promise<TestContext> => appWithCourses({ G04: GOLF_2004 });

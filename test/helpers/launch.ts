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

/** A fresh app with branch HO, trainer `tr`, employee `emp`, and the golf SCORM 2004 runtime sample published as G04. */
export async function appWithG04(): Promise<TestContext> {
  const ctx = buildTestApp();
  await createBranch(ctx.app, 'HO', null);
  await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
  await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
  await publishCourse(ctx.app, 'tr', 'G04', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
  return ctx;
}

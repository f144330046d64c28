import path from 'node:path';
import type supertest from 'supertest';
import type { LmsApp } from '../../server/app.js';
import { csrfFrom, signIn } from './test-app.js';
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

import { expect } from 'chai';
import { signIn, type TestContext } from '../helpers/test-app.js';
import { appWithCourses, GOLF_12, openPlayer } from '../helpers/launch.js';
import { watchStalls } from '../helpers/stall-monitor.js';
import { checkResponse12, unpadSeparators } from '../../server/scorm/cmi/response-patterns.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];

describe('SCORM commit hardening', () => {
  let ctx: TestContext;
  let learner: Agent;

  beforeEach(async () => {
    ctx = await appWithCourses({ G12: GOLF_12 });
    learner = (await signIn(ctx.app, 'emp')).agent;
  });
  afterEach(() => ctx.close());

  const pathOf = (url: string) => new URL(url, 'http://x').pathname;
  const stored = () => ctx.app.lms.db.prepare('SELECT cmi_json, commit_seq FROM sco_states').get() as { cmi_json: string; commit_seq: number } | undefined;
  const lastSeq = () => (ctx.app.lms.db.prepare('SELECT last_seq FROM launch_sessions ORDER BY id DESC LIMIT 1').get() as { last_seq: number }).last_seq;
  const interaction = (response: string) => ({ interactions: { 0: { id: 'q1', type: 'choice', student_response: response } } });

  describe('padded responses (the quadratic padding pattern froze the server for 20-30 s)', () => {
    it('unpads separators in one pass, as the old pattern did', () => {
      expect(unpadSeparators('a , b . {c} x  y')).to.equal('a,b.{c}x  y');
      expect(unpadSeparators('  ,  ')).to.equal(',');
      expect(checkResponse12('choice', ` a${' '.repeat(15_000)}, b `)).to.deep.equal({ ok: true, value: 'a,b' });
      expect(checkResponse12('fill-in', ' a , b ')).to.deep.equal({ ok: true, value: 'a , b' });
    });

    it('unpads a million spaces in linear time (the old pattern would take hours)', async () => {
      const { result, report } = await watchStalls(async () => unpadSeparators(`a${' '.repeat(1_000_000)},b`));
      expect(result).to.equal('a,b');
      expect(report.stalls, JSON.stringify(report)).to.deep.equal([]);
    });

    it('stores 15,000 spaces of padding trimmed without holding the event loop 50 ms', async () => {
      const url = pathOf((await openPlayer(learner, 'G12')).commitUrl);
      const body = { cmi: { core: { lesson_location: 'p1' }, ...interaction(`a${' '.repeat(15_000)},b`) }, seq: 1 };
      const { result, report } = await watchStalls(() => learner.post(url).send(body));
      expect(result.status).to.equal(200);
      expect(result.body).to.deep.equal({ result: true, errorCode: 0 });
      expect(report.stalls, JSON.stringify(report)).to.deep.equal([]);
      expect(JSON.parse(stored()!.cmi_json)['cmi.interactions.0.student_response']).to.equal('a,b');
    });

    it('refuses "a" + 200,000 spaces + "b" at once, keeps the stored state and the loop free', async () => {
      const url = pathOf((await openPlayer(learner, 'G12')).commitUrl);
      await learner.post(url).send({ cmi: { core: { lesson_location: 'p1' } }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
      const before = stored()!.cmi_json;
      const body = { cmi: interaction(`a${' '.repeat(200_000)}b`), seq: 2 };
      const { result, report } = await watchStalls(() => learner.post(url).send(body));
      expect(result.status).to.equal(200);
      expect(result.body).to.include({ result: false, errorCode: 405 });
      expect(report.stalls, JSON.stringify(report)).to.deep.equal([]);
      // The rest of the commit is kept (one refused element never loses the others), the response is not.
      const after = JSON.parse(stored()!.cmi_json);
      expect(after).to.include({ 'cmi.core.lesson_location': 'p1', 'cmi.interactions.0.id': 'q1' });
      expect(after).not.to.have.property('cmi.interactions.0.student_response');
      expect(before).not.to.include('student_response');
    });
  });

  describe('sequence numbers (2^53 - 1 made later commits answer success without being stored)', () => {
    it('refuses absurd seq values with 422 COMMIT_SEQ_INVALID and stores nothing', async () => {
      const url = pathOf((await openPlayer(learner, 'G12')).commitUrl);
      for (const seq of [2 ** 53 - 1, 2 ** 31, 1.5, 0, -3, '7', true, { n: 1 }]) {
        const res = await learner.post(url).set('Accept', 'application/json').send({ cmi: { core: { lesson_location: 'bad' } }, seq });
        expect(res.status, String(seq)).to.equal(422);
        expect(res.body.error.code, String(seq)).to.equal('COMMIT_SEQ_INVALID');
      }
      expect(stored()).to.equal(undefined);
      expect(lastSeq()).to.equal(0);
    });

    it('stores every later commit without seq after the largest seq allowed', async () => {
      const url = pathOf((await openPlayer(learner, 'G12')).commitUrl);
      await learner.post(url).send({ cmi: { core: { lesson_location: 'p1' } }, seq: 2 ** 31 - 1 }).expect(200, { result: true, errorCode: 0 });
      for (const page of ['p2', 'p3']) {
        await learner.post(url).send({ cmi: { core: { lesson_location: page } } }).expect(200, { result: true, errorCode: 0 });
        expect(JSON.parse(stored()!.cmi_json)['cmi.core.lesson_location']).to.equal(page);
      }
      expect(lastSeq()).to.equal(2 ** 31 + 1);
    });

    it('never answers success for a commit without seq that was not stored (a launch already at 2^53)', async () => {
      const url = pathOf((await openPlayer(learner, 'G12')).commitUrl);
      await learner.post(url).send({ cmi: { core: { lesson_location: 'p1' } }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
      // As left by the old code, which accepted any safe integer.
      ctx.app.lms.db.prepare('UPDATE launch_sessions SET last_seq = ?').run(2 ** 53);
      const res = await learner.post(url).send({ cmi: { core: { lesson_location: 'p2' } } }).expect(200);
      expect(res.body).to.deep.equal({ result: false, errorCode: 101 });
      expect(JSON.parse(stored()!.cmi_json)['cmi.core.lesson_location']).to.equal('p1');
    });

    it('still answers a resent numbered commit as stored (it was, the first time)', async () => {
      const url = pathOf((await openPlayer(learner, 'G12')).commitUrl);
      const body = { cmi: { core: { lesson_location: 'p1' } }, seq: 1 };
      await learner.post(url).send(body).expect(200, { result: true, errorCode: 0 });
      await learner.post(url).send(body).expect(200, { result: true, errorCode: 0 });
      expect(stored()!.commit_seq).to.equal(1);
    });
  });
});

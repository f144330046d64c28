import { expect } from 'chai';
import supertest from 'supertest';
import { csrfFrom, decodeHtml, signIn } from '../helpers/test-app.js';
import { HOLDER_NAME, certificateWorld, type CertificateWorld } from './certificate-fixture.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];

describe('certificates: admin revocation', () => {
  let world: CertificateWorld;
  beforeEach(async () => { world = await certificateWorld(); });
  afterEach(() => world.ctx.close());

  const as = async (username: string) => (await signIn(world.ctx.app, username)).agent;
  const stored = () => world.ctx.app.lms.db.prepare('SELECT revoked_at, revoked_reason FROM certificates WHERE serial = ?').get(world.serial) as { revoked_at: string | null; revoked_reason: string | null };
  const revokeAudits = () => world.ctx.app.lms.db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'certificate.revoke'").get() as { n: number };
  const tokenOf = async (agent: Agent) => csrfFrom((await agent.get('/me').expect(200)).text);
  const rowOf = (html: string, serial: string) => new RegExp(`<tr data-serial="${serial}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? null;

  describe('the page', () => {
    it('finds a certificate by serial and by the holder\'s employee number, with its status', async () => {
      const admin = await as('admin');
      for (const q of [world.serial, world.serial.toLowerCase(), world.holderEmployeeNo]) {
        const html = (await admin.get(`/admin/certificates?q=${encodeURIComponent(q)}`).expect(200)).text;
        const row = rowOf(html, world.serial);
        expect(row, q).to.not.equal(null);
        expect(row).to.include(HOLDER_NAME);
        expect(row).to.include('data-status="valid"');
      }
      const none = (await admin.get('/admin/certificates?q=E999999').expect(200)).text;
      expect(rowOf(none, world.serial)).to.equal(null);
      expect(none).to.include('没有找到证书');
    });

    it('names the course in English for an English reader when the course has an English title', async () => {
      const admin = await as('admin');
      const adminId = (await world.ctx.app.lms.repositories.users.findByUsername('admin'))!.id;
      await world.ctx.app.lms.repositories.courses.setEnglishText(world.courseId, { titleEn: 'Consumer rights basics', descriptionEn: 'Required.' }, { actorId: adminId });
      world.ctx.app.lms.services.englishTitles.clear();
      const page = await admin.get('/me').expect(200);
      await admin.post('/language').type('form').send({ _csrf: csrfFrom(page.text), locale: 'en', next: '/me' }).expect(302);
      const english = rowOf((await admin.get(`/admin/certificates?q=${world.serial}`).expect(200)).text, world.serial);
      expect(english).to.include('Consumer rights basics');
      await admin.post('/language').type('form').send({ _csrf: csrfFrom(page.text), locale: 'zh-CN', next: '/me' }).expect(302);
      const chinese = rowOf((await admin.get(`/admin/certificates?q=${world.serial}`).expect(200)).text, world.serial);
      expect(chinese).not.to.include('Consumer rights basics');
    });

    it('is for admin only', async () => {
      for (const username of ['tr', 'hrho', 'holder']) {
        await (await as(username)).get('/admin/certificates').expect(403);
      }
      const anonymous = await supertest(world.ctx.app).get('/admin/certificates').expect(302);
      expect(anonymous.headers.location).to.match(/\/login/);
    });
  });

  describe('POST /admin/certificates/:serial/revoke', () => {
    it('revokes with a reason, audited, and the list then shows it revoked', async () => {
      const admin = await as('admin');
      const page = await admin.get(`/admin/certificates?q=${world.serial}`).expect(200);
      const res = await admin.post(`/admin/certificates/${world.serial}/revoke`).type('form')
        .send({ reason: ' 身份信息有误 ', confirm: '1', _csrf: csrfFrom(page.text) }).expect(302);
      expect(decodeHtml(res.headers.location as string)).to.include(`/admin/certificates?q=${world.serial}`);
      expect(stored().revoked_reason).to.equal('身份信息有误');
      expect(stored().revoked_at).to.equal(world.ctx.clock.now().toISOString());
      expect(revokeAudits().n).to.equal(1);

      const after = (await admin.get(res.headers.location as string).expect(200)).text;
      expect(rowOf(after, world.serial)).to.include('data-status="revoked"');
      expect(rowOf(after, world.serial)).to.include('身份信息有误');
      expect(rowOf(after, world.serial)).not.to.include('name="reason"');
    });

    it('asks for confirmation: without the ticked box nothing is revoked and the box is marked', async () => {
      const admin = await as('admin');
      const page = await admin.get(`/admin/certificates?q=${world.serial}`).expect(200);
      expect(rowOf(page.text, world.serial)).to.match(/type="checkbox"[^>]*name="confirm"[^>]*required/);
      const res = await admin.post(`/admin/certificates/${world.serial}/revoke`).type('form').send({ reason: '身份信息有误', _csrf: csrfFrom(page.text) }).expect(422);
      const row = rowOf(res.text, world.serial)!;
      expect(row).to.include('请勾选确认：证书吊销后无法撤销。');
      expect(row).to.include('value="身份信息有误"');
      expect(stored().revoked_at).to.equal(null);
      expect(revokeAudits().n).to.equal(0);
    });

    it('refuses a blank reason and shows the error beside that certificate\'s field', async () => {
      const admin = await as('admin');
      const token = await tokenOf(admin);
      const res = await admin.post(`/admin/certificates/${world.serial}/revoke`).type('form').send({ reason: '   ', _csrf: token }).expect(422);
      const row = rowOf(res.text, world.serial)!;
      expect(row).to.match(/aria-invalid="true"/);
      expect(row).to.include('请填写原因（不超过 500 字）');
      expect(stored().revoked_at).to.equal(null);
      expect(revokeAudits().n).to.equal(0);
    });

    it('needs the CSRF token', async () => {
      const admin = await as('admin');
      await admin.post(`/admin/certificates/${world.serial}/revoke`).type('form').send({ reason: 'no token' }).expect(403);
      expect(stored().revoked_at).to.equal(null);
    });

    it('needs admin', async () => {
      for (const username of ['tr', 'hrgz', 'holder']) {
        const agent = await as(username);
        await agent.post(`/admin/certificates/${world.serial}/revoke`).type('form').send({ reason: 'not mine to revoke', confirm: '1', _csrf: await tokenOf(agent) }).expect(403);
      }
      expect(stored().revoked_at).to.equal(null);
      expect(revokeAudits().n).to.equal(0);
    });

    it('says so when already revoked (409), and 404 for an unknown serial', async () => {
      const admin = await as('admin');
      const token = await tokenOf(admin);
      await admin.post(`/admin/certificates/${world.serial}/revoke`).type('form').send({ reason: 'first', confirm: '1', _csrf: token }).expect(302);
      const again = await admin.post(`/admin/certificates/${world.serial}/revoke`).type('form').send({ reason: 'second', confirm: '1', _csrf: token }).expect(409);
      expect(again.text).to.include('该证书已被撤销');
      expect(stored().revoked_reason).to.equal('first');
      expect(revokeAudits().n).to.equal(1);
      await admin.post('/admin/certificates/ZZZZ-ZZZZ-ZZZZ/revoke').type('form').send({ reason: 'x', confirm: '1', _csrf: token }).expect(404);
    });
  });

  describe('POST /api/certificates/:serial/revoke', () => {
    it('revokes for an admin session with X-CSRF-Token and answers JSON', async () => {
      const admin = await as('admin');
      const res = await admin.post(`/api/certificates/${world.serial}/revoke`).set('X-CSRF-Token', await tokenOf(admin)).send({ reason: 'duplicate record' }).expect(200);
      expect(res.body.certificate).to.deep.include({ serial: world.serial, status: 'revoked', reason: 'duplicate record' });
      expect(stored().revoked_reason).to.equal('duplicate record');
      expect(revokeAudits().n).to.equal(1);
      const again = await admin.post(`/api/certificates/${world.serial}/revoke`).set('X-CSRF-Token', await tokenOf(admin)).send({ reason: 'again' }).expect(409);
      expect(again.body.error.code).to.equal('ALREADY_REVOKED');
    });

    it('answers JSON errors: missing reason 422, no CSRF 403, not admin 403, unknown 404, signed out 403', async () => {
      const admin = await as('admin');
      const token = await tokenOf(admin);
      const blank = await admin.post(`/api/certificates/${world.serial}/revoke`).set('X-CSRF-Token', token).send({}).expect(422);
      expect(blank.body.error.code).to.equal('VALIDATION_FAILED');
      expect(blank.body.error.problems.map((p: { path: string }) => p.path)).to.include('reason');
      await admin.post(`/api/certificates/${world.serial}/revoke`).send({ reason: 'no token' }).expect(403);
      await admin.post('/api/certificates/ZZZZ-ZZZZ-ZZZZ/revoke').set('X-CSRF-Token', token).send({ reason: 'x' }).expect(404);
      const hr = await as('hrho');
      const forbidden = await hr.post(`/api/certificates/${world.serial}/revoke`).set('X-CSRF-Token', await tokenOf(hr)).send({ reason: 'x' }).expect(403);
      expect(forbidden.body.error.code).to.equal('FORBIDDEN');
      // Signed out, a cookie-less POST has no CSRF token either: refused before any route runs.
      const anonymous = await supertest(world.ctx.app).post(`/api/certificates/${world.serial}/revoke`).send({ reason: 'x' }).expect(403);
      expect(anonymous.body.error.code).to.equal('CSRF_INVALID');
      expect(stored().revoked_at).to.equal(null);
    });

    it('accepts an admin\'s API token without CSRF', async () => {
      const admin = (await world.ctx.app.lms.repositories.users.findByUsername('admin'))!;
      const { token } = await world.ctx.app.lms.repositories.apiTokens.create(admin.id, 'integration', { actorId: null });
      await supertest(world.ctx.app).post(`/api/certificates/${world.serial}/revoke`).set('Authorization', `Bearer ${token}`).send({ reason: 'via integration' }).expect(200);
      expect(stored().revoked_reason).to.equal('via integration');
    });
  });
});

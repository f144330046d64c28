import { expect } from 'chai';
import supertest from 'supertest';
import { csrfFrom, signIn } from '../helpers/test-app.js';
import { COURSE_TITLE, HOLDER_NAME, certificateWorld, type CertificateWorld } from './certificate-fixture.js';

const statusIn = (html: string) => /data-status="([a-z_]+)"/.exec(html)?.[1] ?? null;

describe('GET /verify/<serial>: the public verification page', () => {
  let world: CertificateWorld;
  beforeEach(async () => { world = await certificateWorld(); });
  afterEach(() => world.ctx.close());

  const visit = (path: string) => supertest(world.ctx.app).get(path);

  it('needs no sign-in and says valid, with the holder, the course and the expiry date only', async () => {
    const res = await visit(`/verify/${world.serial}`).expect(200);
    expect(statusIn(res.text)).to.equal('valid');
    expect(res.text).to.include('证书有效');
    expect(res.text).to.include(HOLDER_NAME);
    expect(res.text).to.include(COURSE_TITLE);
    expect(res.text).to.include(world.expiresAt);
    // Nothing else about the holder, no session-bound content.
    expect(res.text).not.to.include(world.holderEmployeeNo);
    expect(res.text).not.to.include('广州分行');
    expect(res.text).not.to.include(String(world.score));
    expect(res.text).not.to.include('_csrf');
    expect(res.headers['set-cookie']).to.equal(undefined);
    expect(res.headers['cache-control']).to.match(/max-age=\d+/);
  });

  it('shows nothing more to a signed-in admin', async () => {
    const { agent } = await signIn(world.ctx.app, 'admin');
    const res = await agent.get(`/verify/${world.serial}`).expect(200);
    expect(statusIn(res.text)).to.equal('valid');
    expect(res.text).not.to.include(world.holderEmployeeNo);
    expect(res.text).not.to.include('广州分行');
  });

  it('stays valid through the end of the local expiry day, then says expired without a date', async () => {
    // Expiry 2027-05-31 in Shanghai (UTC+8) ends at 2027-05-31T15:59:59.999Z.
    world.ctx.clock.set('2027-05-31T15:59:59.999Z');
    expect(statusIn((await visit(`/verify/${world.serial}`).expect(200)).text)).to.equal('valid');
    world.ctx.clock.set('2027-05-31T16:00:00.000Z');
    const res = await visit(`/verify/${world.serial}`).expect(200);
    expect(statusIn(res.text)).to.equal('expired');
    expect(res.text).to.include('证书已过期');
    expect(res.text).to.include(HOLDER_NAME);
    expect(res.text).to.include(COURSE_TITLE);
    expect(res.text).not.to.include(world.expiresAt);
  });

  it('says revoked after an admin revokes it, and the revocation is audited', async () => {
    const { agent } = await signIn(world.ctx.app, 'admin');
    const page = await agent.get(`/admin/certificates?q=${world.serial}`).expect(200);
    await agent.post(`/admin/certificates/${world.serial}/revoke`).type('form')
      .send({ reason: '考试作弊，证书作废', confirm: '1', _csrf: csrfFrom(page.text) }).expect(302);

    const res = await visit(`/verify/${world.serial}`).expect(200);
    expect(statusIn(res.text)).to.equal('revoked');
    expect(res.text).to.include('证书已撤销');
    expect(res.text).not.to.include(world.expiresAt);
    expect(res.text).not.to.include('考试作弊');
    const audit = world.ctx.app.lms.db.prepare("SELECT actor_id, details_json FROM audit_events WHERE action = 'certificate.revoke' AND subject = ?")
      .all(`certificate:${world.serial}`) as Array<{ actor_id: number; details_json: string }>;
    const admin = (await world.ctx.app.lms.repositories.users.findByUsername('admin'))!;
    expect(audit).to.have.length(1);
    expect(audit[0].actor_id).to.equal(admin.id);
    expect(JSON.parse(audit[0].details_json)).to.deep.include({ reason: '考试作弊，证书作废' });
  });

  it('revoked wins over expired', async () => {
    const admin = (await world.ctx.app.lms.repositories.users.findByUsername('admin'))!;
    await world.ctx.app.lms.repositories.certification.revokeCertificate(world.serial, 'wrong person', admin.id);
    world.ctx.clock.set('2028-01-01T00:00:00Z');
    expect(statusIn((await visit(`/verify/${world.serial}`).expect(200)).text)).to.equal('revoked');
  });

  it('answers not found (404) for an unknown serial and for anything that is not a serial', async () => {
    for (const path of ['/verify/ZZZZ-ZZZZ-ZZZZ', '/verify/hello', '/verify/%E8%AF%81%E4%B9%A6', `/verify/${'A'.repeat(500)}`, '/verify/UUUU-UUUU-UUUU', '/verify/ABCD/EFGH/JKMN']) {
      const res = await visit(path).expect(404);
      expect(statusIn(res.text), path).to.equal('not_found');
      expect(res.text).to.include('未找到该证书');
      expect(res.text).not.to.include(HOLDER_NAME);
    }
  });

  it('reads a serial typed from paper: lower case, no dashes, O for 0 and I or L for 1', async () => {
    const typed = world.serial.toLowerCase().replace(/-/g, '').replace(/0/g, 'o').replace(/1/g, 'l');
    const res = await visit(`/verify/${encodeURIComponent(typed)}`).expect(200);
    expect(statusIn(res.text)).to.equal('valid');
  });

  it('speaks English with ?lang=en', async () => {
    const res = await visit(`/verify/${world.serial}?lang=en`).expect(200);
    expect(res.text).to.include('Valid certificate');
    expect(res.text).to.include('Valid until');
    expect(res.text).to.match(/<html lang="en">/);
    const missing = await visit('/verify/ZZZZ-ZZZZ-ZZZZ?lang=en').expect(404);
    expect(missing.text).to.include('Certificate not found');
  });

  it('slows down a client that looks up too many serials in a minute', async () => {
    let last = 0;
    for (let i = 0; i < 61; i++) last = (await visit('/verify/ZZZZ-ZZZZ-ZZZZ')).status;
    expect(last).to.equal(429);
    const res = await visit(`/verify/${world.serial}`).expect(429);
    expect(Number(res.headers['retry-after'])).to.be.greaterThan(0);
    expect(res.text).not.to.include(HOLDER_NAME);
  });
});

import { expect } from 'chai';
import supertest, { type Response } from 'supertest';
import { signIn } from '../helpers/test-app.js';
import { COURSE_TITLE, HOLDER_NAME, PUBLIC_URL, certificateWorld, pdfImages, pdfText, qrEncodes, type CertificateWorld } from './certificate-fixture.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];

const download = (agent: Agent, path: string) => agent.get(path).responseType('blob');
const bodyOf = (res: Response) => res.body as Buffer;

describe('certificates: the PDF', () => {
  let world: CertificateWorld;
  beforeEach(async () => { world = await certificateWorld(); });
  afterEach(() => world.ctx.close());

  const as = async (username: string) => (await signIn(world.ctx.app, username)).agent;
  const pdfPath = () => `/certificates/${world.serial}.pdf`;

  it('is a real PDF whose text carries the Chinese name, number, branch, course, score, dates and serial', async () => {
    const res = await download(await as('holder'), pdfPath()).expect(200);
    expect(res.headers['content-type']).to.match(/^application\/pdf/);
    expect(bodyOf(res).subarray(0, 5).toString('latin1')).to.equal('%PDF-');

    const text = pdfText(bodyOf(res));
    expect(text).to.include(HOLDER_NAME);
    expect(text).to.include(world.holderEmployeeNo);
    expect(text).to.include('广州分行');
    expect(text).to.include(COURSE_TITLE);
    expect(text).to.include(world.serial);
    expect(text).to.include(String(world.score));
    // Issued 2026-06-01T02:00Z = 10:00 that day in Shanghai; the expiry is stored as a local date.
    expect(text).to.include('2026-06-01');
    expect(text).to.include(world.expiresAt);
    expect(text).to.include('培训合格证书');
    expect(text).to.include(`${PUBLIC_URL}/verify/${world.serial}`);
  });

  it('shows local dates: an issue late in the UTC evening is the next day in Shanghai', async () => {
    world.ctx.close();
    world = await certificateWorld({});
    const { ctx } = world;
    const course = (await ctx.app.lms.repositories.courses.findByCode('CP12'))!;
    const serial = 'ABCD-EFGH-JKMN';
    await ctx.app.lms.repositories.certification.issueCertificate({
      serial, userId: world.holderId, courseId: course.id, attemptId: null, score: null, issuedAt: '2026-06-01T17:30:00.000Z', expiresAt: '2027-06-01',
    });
    const text = pdfText(bodyOf(await download(await as('holder'), `/certificates/${serial}.pdf`).expect(200)));
    expect(text).to.include('2026-06-02');
    expect(text).not.to.include('2026-06-01');
  });

  it('carries a QR code that encodes the absolute verification URL', async () => {
    const pdf = bodyOf(await download(await as('holder'), pdfPath()).expect(200));
    const images = pdfImages(pdf);
    expect(images).to.have.length.greaterThan(0);
    const url = `${PUBLIC_URL}/verify/${world.serial}`;
    expect(images.some((image) => qrEncodes(image, url))).to.equal(true);
    // The comparison can fail: the same image does not encode another serial.
    expect(images.some((image) => qrEncodes(image, `${PUBLIC_URL}/verify/ZZZZ-ZZZZ-ZZZZ`))).to.equal(false);
  });

  it('takes the request origin and mount path for the QR code when no publicUrl is configured', async () => {
    world.ctx.close();
    world = await certificateWorld({ publicUrl: undefined });
    const res = await download(await as('holder'), pdfPath()).set('Host', 'lms.bank.local:8080').expect(200);
    const url = `http://lms.bank.local:8080/verify/${world.serial}`;
    expect(pdfText(bodyOf(res))).to.include(url);
    expect(pdfImages(bodyOf(res)).some((image) => qrEncodes(image, url))).to.equal(true);
  });

  it('comes in English with ?lang=en, the Chinese name still intact', async () => {
    const text = pdfText(bodyOf(await download(await as('holder'), `${pdfPath()}?lang=en`).expect(200)));
    expect(text).to.include('Certificate of Training');
    expect(text).to.include('Employee No.');
    expect(text).to.include('Valid until');
    expect(text).not.to.include('培训合格证书');
    expect(text).to.include(HOLDER_NAME);
    expect(text).to.include(COURSE_TITLE);
  });

  it('follows the reader\'s language without ?lang', async () => {
    const agent = await as('holder');
    const page = await agent.get('/me').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await agent.post('/language').type('form').send({ locale: 'en', next: '/me', _csrf: csrf }).expect(302);
    const text = pdfText(bodyOf(await download(agent, pdfPath()).expect(200)));
    expect(text).to.include('Certificate of Training');
  });

  it('downloads as an attachment whose name keeps the Chinese (RFC 5987) with an ASCII fallback', async () => {
    const res = await download(await as('holder'), pdfPath()).expect(200);
    const disposition = res.headers['content-disposition'] as string;
    expect(disposition).to.match(/^attachment;/);
    expect(disposition).to.include(`filename="certificate-${world.serial}.pdf"`);
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1];
    const name = decodeURIComponent(encoded);
    expect(name).to.include(HOLDER_NAME);
    expect(name).to.include(world.serial);
    expect(name).to.match(/\.pdf$/);
  });

  describe('who may download it', () => {
    for (const username of ['holder', 'tr', 'admin', 'hrgz', 'hrho']) {
      it(`${username} may`, async () => {
        await download(await as(username), pdfPath()).expect(200);
      });
    }
    for (const username of ['colleague', 'hrsz']) {
      it(`${username} is told it does not exist`, async () => {
        await download(await as(username), pdfPath()).expect(404);
      });
    }

    it('signed out: sent to sign in', async () => {
      const anonymous = await supertest(world.ctx.app).get(pdfPath()).expect(302);
      expect(anonymous.headers.location).to.match(/\/login\?next=/);
    });

    it('nobody gets a revoked certificate, nor an unknown or malformed serial', async () => {
      const admin = (await world.ctx.app.lms.repositories.users.findByUsername('admin'))!;
      await world.ctx.app.lms.repositories.certification.revokeCertificate(world.serial, 'issued in error', admin.id);
      await download(await as('holder'), pdfPath()).expect(404);
      await download(await as('admin'), '/certificates/ZZZZ-ZZZZ-ZZZZ.pdf').expect(404);
      await download(await as('admin'), '/certificates/not-a-serial.pdf').expect(404);
    });
  });
});

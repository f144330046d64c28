import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfToken, signIn, type TestContext } from '../helpers/test-app.js';

/** Bodies busboy cannot read; each gave a 500 before multipart errors were answered in one place. */
const MALFORMED: Array<[string, string, string]> = [
  ['JSON under a multipart type', 'multipart/form-data; boundary=zz', '{"code":"x"}'],
  ['no boundary parameter', 'multipart/form-data', '--zz\r\nContent-Disposition: form-data; name="code"\r\n\r\nx\r\n--zz--\r\n'],
  ['a part cut off before its end', 'multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="code"\r\n\r\nx'],
  ['a part header without a blank line', 'multipart/form-data; boundary=zz', `--zz\r\nContent-Disposition: form-data; name="package"; filename="a.zip"${'x'.repeat(20_000)}`],
];

describe('Malformed multipart bodies answer 400 MULTIPART_INVALID on every upload route', () => {
  let ctx: TestContext;
  let agent: Awaited<ReturnType<typeof signIn>>['agent'];
  let token: string;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'boss', roles: ['trainer', 'admin'], branch: 'HO' });
    ({ agent } = await signIn(ctx.app, 'boss'));
    token = await csrfToken(agent, '/trainer');
  });
  afterEach(() => ctx.close());

  const leftovers = () => ['uploads', 'roster-uploads'].flatMap((dir) => {
    const full = path.join(ctx.dataDir, dir);
    return fs.existsSync(full) ? fs.readdirSync(full).map((f) => `${dir}/${f}`) : [];
  });

  for (const [name, type, body] of MALFORMED) {
    it(`POST /api/courses, ${name}: 400 JSON with the code, no course, no file left`, async () => {
      const res = await agent.post(`/api/courses?_csrf=${encodeURIComponent(token)}`).set('X-CSRF-Token', token).set('Content-Type', type).send(body);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('MULTIPART_INVALID');
      expect(res.body.error.message).to.match(/multipart\/form-data/);
      expect((ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM courses').get() as { n: number }).n).to.equal(0);
      expect(leftovers()).to.deep.equal([]);
    });

    it(`POST /hr/roster/preview, ${name}: 400 page with the translated message`, async () => {
      const res = await agent.post(`/hr/roster/preview?_csrf=${encodeURIComponent(token)}`).set('X-CSRF-Token', token).set('Content-Type', type).send(body);
      expect(res.status).to.equal(400);
      expect(res.text).to.include('无法读取上传内容');
      expect(leftovers()).to.deep.equal([]);
    });
  }
});

import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { writeZip } from '../helpers/zip-builder.js';
import { watchStalls } from '../helpers/stall-monitor.js';
import { measureXmlShape } from '../../server/courses/manifest/xml-shape.js';

const HEAD = '<?xml version="1.0"?><manifest identifier="BIG" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">'
  + '<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>';

/** A 1.2 manifest with `count` SCOs, each its own item and resource. */
function manyScos(count: number): string {
  const items = Array.from({ length: count }, (_, i) => `<item identifier="I${i}" identifierref="R${i}"><title>第${i}课</title></item>`).join('');
  const resources = Array.from({ length: count }, (_, i) => `<resource identifier="R${i}" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource>`).join('');
  return `${HEAD}<organizations default="O"><organization identifier="O"><title>大课程</title>${items}</organization></organizations><resources>${resources}</resources></manifest>`;
}

describe('Manifest size and shape limits', () => {
  describe('measureXmlShape', () => {
    const limits = { maxDepth: 3, maxElements: 5 };
    it('counts start tags and depth, skipping comments, CDATA, instructions and ">" inside quoted values', () => {
      expect(measureXmlShape('<?xml version="1.0"?><a x="1>2"><!-- <b><c><d> --><b/><![CDATA[<e><f>]]><c y=\'>\'>t</c></a>', limits))
        .to.deep.equal({ ok: true, elements: 3, depth: 2 });
    });
    it('stops at the first level or element beyond the limit', () => {
      expect(measureXmlShape('<a><b><c><d/></c></b></a>', limits)).to.deep.equal({ ok: true, elements: 4, depth: 3 });
      expect(measureXmlShape('<a><b><c><d></d></c></b></a>', limits)).to.deep.equal({ ok: false, reason: 'too-deep', limit: 3 });
      expect(measureXmlShape(`<a>${'<b/>'.repeat(5)}</a>`, limits)).to.deep.equal({ ok: false, reason: 'too-many-elements', limit: 5 });
    });
  });

  describe('over HTTP', () => {
    let ctx: TestContext;
    let upload: (zip: string) => ReturnType<Awaited<ReturnType<typeof signIn>>['agent']['post']>;

    beforeEach(async () => {
      ctx = buildTestApp();
      await createBranch(ctx.app, 'HO', null);
      await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
      const { agent } = await signIn(ctx.app, 'tr');
      const token = csrfFrom((await agent.get('/trainer')).text);
      upload = (zip) => agent.post('/api/courses').set('X-CSRF-Token', token).attach('package', zip);
    });
    afterEach(() => ctx.close());

    const zipWith = async (manifest: string) => {
      const zip = path.join(ctx.dataDir, 'upload.zip');
      await writeZip(zip, [{ name: 'imsmanifest.xml', data: manifest }, { name: 'index.html', data: '<p>hi</p>' }]);
      return zip;
    };
    const versions = () => (ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM course_versions').get() as { n: number }).n;

    it('refuses 100,000 nested elements with 422 MANIFEST_TOO_DEEP (was a stack overflow, 500)', async () => {
      const zip = await zipWith(`${HEAD}${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</manifest>`);
      const { result: res, report } = await watchStalls(async () => upload(zip));
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('MANIFEST_TOO_DEEP');
      expect(res.body.error.message).to.match(/more than 100 levels/);
      expect(report.stalls, JSON.stringify(report)).to.deep.equal([]);
      expect(versions()).to.equal(0);
      expect(fs.readdirSync(path.join(ctx.dataDir, 'packages')).filter((f) => f !== '.incoming')).to.deep.equal([]);
    });

    it('refuses more than 50,000 elements with 422 MANIFEST_TOO_MANY_ELEMENTS', async () => {
      const zip = await zipWith(`${HEAD}<metadata>${'<x/>'.repeat(60_000)}</metadata></manifest>`);
      const res = await upload(zip);
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('MANIFEST_TOO_MANY_ELEMENTS');
      expect(versions()).to.equal(0);
    });

    it('judges 200 entries in 500-deep folders without holding the event loop 50 ms (prefix checks were quadratic in depth)', async () => {
      const zip = path.join(ctx.dataDir, 'deep.zip');
      const deep = 'd/'.repeat(500);
      await writeZip(zip, [{ name: 'imsmanifest.xml', data: manyScos(1) }, { name: 'index.html', data: 'x' },
        ...Array.from({ length: 200 }, (_, i) => ({ name: `${deep}f${i}.txt`, data: 'x' })), { name: `${deep}f0.txt/clash`, data: 'x' }]);
      const { result: res, report } = await watchStalls(async () => upload(zip));
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('ZIP_PATH_CONFLICT');
      expect(report.stalls, JSON.stringify(report)).to.deep.equal([]);
      expect(versions()).to.equal(0);
    });

    it('ingests a large real-shaped manifest (400 SCOs, parsed in the worker) without holding the event loop 50 ms', async () => {
      const zip = await zipWith(manyScos(400));
      const { result: res, report } = await watchStalls(async () => upload(zip));
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(201);
      expect(res.body.version.scos).to.have.length(400);
      expect(report.stalls, JSON.stringify(report)).to.deep.equal([]);
    });
  });
});

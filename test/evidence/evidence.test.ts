import { expect } from 'chai';
import yauzl from 'yauzl';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';
import { pdfText } from '../certification/certificate-fixture.js';
import { verifyAuditChain } from '../../server/audit/audit.repository.js';

const pathOf = (url: string) => new URL(url, 'http://x').pathname;

/** Collects a binary body (supertest leaves unknown types unparsed otherwise). */
function binary(res: import('supertest').Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Entry name → contents of a zip buffer, read back with yauzl. */
function readZip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('evidence files for auditors', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createBranch(ctx.app, 'GD', 'HO', '广东分行');
    await createBranch(ctx.app, 'GZ', 'GD', '广州天河支行');
    await createBranch(ctx.app, 'SH', 'HO', '上海分行');
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'admin', roles: ['admin'], branch: 'HO' });
    await createUser(ctx.app, { username: 'hrgd', roles: [{ role: 'hr', scope: 'GD' }], branch: 'GD' });
    await createUser(ctx.app, { username: 'hrsh', roles: [{ role: 'hr', scope: 'SH' }], branch: 'SH' });
    await createUser(ctx.app, { username: 'zhang', roles: ['employee'], branch: 'GZ', name: '张三', position: '柜员' });
    await createUser(ctx.app, { username: 'li', roles: ['employee'], branch: 'GD', name: '李四', position: '柜员' });
    await createUser(ctx.app, { username: 'wang', roles: ['employee'], branch: 'SH', name: '王五', position: '柜员' });
    await publishCourse(ctx.app, 'tr', 'CP106', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    const trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer')).text);
    await trainer.patch('/api/courses/CP106').set('X-CSRF-Token', token).send({ passMark: 80, attemptsLimit: 3, validityMonths: 12 }).expect(200);
    const admin = (await signIn(ctx.app, 'admin')).agent;
    const adminToken = csrfFrom((await admin.get('/assignments').expect(200)).text);
    await admin.post('/api/assignments').set('X-CSRF-Token', adminToken).send({ course: 'CP106', branch: 'HO', includeSubBranches: true, positions: ['柜员'], dueDays: 30 }).expect(201);
    // 张三 fails inside the package, then passes on its own retake, in one attempt of three launches.
    const zhang = (await signIn(ctx.app, 'zhang')).agent;
    let url = pathOf((await openPlayer(zhang, 'CP106')).commitUrl);
    await zhang.post(url).send({ cmi: { core: { lesson_status: 'failed', score: { raw: '40', min: '0', max: '100' } }, interactions: { 0: { id: 'q1', type: 'choice', student_response: 'a', result: 'wrong' } } }, seq: 1 }).expect(200);
    ctx.clock.advance(60_000);
    await zhang.post(`${url}/heartbeat`).expect(200);
    ctx.clock.advance(20_000);
    url = pathOf((await openPlayer(zhang, 'CP106')).commitUrl);
    ctx.clock.advance(40_000);
    await zhang.post(url).send({ cmi: { core: { lesson_status: 'passed', score: { raw: '100', min: '0', max: '100' }, exit: '', session_time: '00:00:02' }, interactions: { 0: { id: 'q1', type: 'choice', student_response: 'b', result: 'correct' } } }, seq: 1, terminate: true }).expect(200);
    // 李四 has only opened the course.
    await openPlayer((await signIn(ctx.app, 'li')).agent, 'CP106');
  });
  afterEach(() => ctx.close());

  it('gives one employee\'s record as JSON: assignment, attempt with every try, both learning times, certificate, exam section, audit positions', async () => {
    const hr = (await signIn(ctx.app, 'hrgd')).agent;
    const employeeNo = (ctx.app.lms.db.prepare("SELECT employee_no FROM users WHERE username = 'zhang'").pluck().get() as string);
    const res = await hr.get(`/hr/evidence/${employeeNo}/CP106.json`).expect(200).expect('Content-Type', /json/);
    const record = res.body;
    expect(record.format).to.equal('compliance-lms/evidence@1');
    expect(record.employee).to.include({ employeeNo, name: '张三', branchCode: 'GZ' });
    expect(record.course).to.include({ code: 'CP106', attemptsLimit: 3 });
    expect(record.status).to.include({ status: 'certified' });
    expect(record.assignment).to.include({ source: 'assignment' });
    expect(record.assignment.audit[0]).to.include({ action: 'assignment.create' });
    expect(record.attempts).to.have.length(1);
    const [attempt] = record.attempts;
    expect(attempt).to.include({ number: 1, successStatus: 'passed', score: 100, triesCount: 2 });
    expect(attempt.learningTime).to.deep.equal({ scormSeconds: 2, measuredSeconds: 120, launches: 2, idleCutSeconds: 300 });
    expect(attempt.tries.map((t: { tryNumber: number; score: number; successStatus: string }) => [t.tryNumber, t.successStatus, t.score])).to.deep.equal([[1, 'failed', 40], [2, 'passed', 100]]);
    expect(attempt.tries[0].interactions[0]).to.include({ id: 'q1', response: 'a', result: 'wrong' });
    expect(attempt.tries[1].recordedAt).to.equal('2026-06-01T02:02:00.000Z');
    expect(attempt.audit.map((a: { action: string }) => a.action)).to.include.members(['attempt.start', 'attempt.result']);
    expect(record.certificates).to.have.length(1);
    expect(record.certificates[0].audit[0]).to.include({ action: 'certificate.issue' });
    expect(record.exam).to.deep.equal({ attempts: [] });
    expect(record.learningTime).to.include({ scormSeconds: 2, measuredSeconds: 120 });

    // Every audit position cited is the real row: id and hash as stored, and the chain verifies.
    const cited = [...record.assignment.audit, ...attempt.audit, ...attempt.tries.flatMap((t: { audit: unknown[] }) => t.audit), ...record.certificates[0].audit] as Array<{ id: number; hash: string }>;
    expect(cited.length).to.be.greaterThan(5);
    for (const position of cited) {
      expect(ctx.app.lms.db.prepare('SELECT hash FROM audit_events WHERE id = ?').pluck().get(position.id)).to.equal(position.hash);
    }
    expect(verifyAuditChain(ctx.app.lms.db).ok).to.equal(true);
    const exported = ctx.app.lms.db.prepare("SELECT subject, details_json FROM audit_events WHERE action = 'evidence.export'").all() as Array<{ subject: string; details_json: string }>;
    const zhangId = ctx.app.lms.db.prepare("SELECT id FROM users WHERE username = 'zhang'").pluck().get() as number;
    expect(exported).to.deep.equal([{ subject: `user:${zhangId}`, details_json: JSON.stringify({ employeeNo, course: 'CP106', format: 'json' }) }]);
    // The hr page of the employee links both files.
    const page = await hr.get(`/hr/employees/${employeeNo}`).expect(200);
    expect(page.text).to.include(`/hr/evidence/${employeeNo}/CP106.pdf`).and.include(`/hr/evidence/${employeeNo}/CP106.json`);
  });

  it('prints the same record as a PDF, in Chinese and English', async () => {
    const admin = (await signIn(ctx.app, 'admin')).agent;
    const employeeNo = (ctx.app.lms.db.prepare("SELECT employee_no FROM users WHERE username = 'zhang'").pluck().get() as string);
    const zh = await admin.get(`/hr/evidence/${employeeNo}/CP106.pdf`).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
    const text = pdfText(zh.body as Buffer);
    expect(text).to.include('培训合规证据档案').and.include('张三').and.include(employeeNo).and.include('CP106');
    // Both tries with their local times (Shanghai) and scores, and both learning-time figures.
    expect(text).to.include('2026-06-01 10:00:00').and.include('2026-06-01 10:02:00');
    expect(text).to.match(/作答 1[\s\S]*failed[\s\S]*40/).and.match(/作答 2[\s\S]*passed[\s\S]*100/);
    expect(text).to.include('0:02:00').and.include('0:00:02');
    const en = await admin.get(`/hr/evidence/${employeeNo}/CP106.pdf?lang=en`).buffer(true).parse(binary).expect(200);
    expect(pdfText(en.body as Buffer)).to.include('Training compliance evidence file').and.include('measured by the LMS');
  });

  it('keeps hr inside their branch subtree: another branch\'s employee or branch is 404, employees 403', async () => {
    const wangNo = ctx.app.lms.db.prepare("SELECT employee_no FROM users WHERE username = 'wang'").pluck().get() as string;
    const zhangNo = ctx.app.lms.db.prepare("SELECT employee_no FROM users WHERE username = 'zhang'").pluck().get() as string;
    const hrgd = (await signIn(ctx.app, 'hrgd')).agent;
    await hrgd.get(`/hr/evidence/${wangNo}/CP106.json`).expect(404);
    await hrgd.get(`/hr/evidence/${wangNo}/CP106.pdf`).expect(404);
    await hrgd.get('/hr/evidence/branches/SH.zip?course=CP106').expect(404);
    await hrgd.get(`/hr/evidence/${zhangNo}/NOPE.json`).expect(404);
    const hrsh = (await signIn(ctx.app, 'hrsh')).agent;
    await hrsh.get(`/hr/evidence/${zhangNo}/CP106.json`).expect(404);
    await hrsh.get('/hr/evidence/branches/GD.zip?course=CP106').expect(404);
    const employee = (await signIn(ctx.app, 'zhang')).agent;
    await employee.get(`/hr/evidence/${zhangNo}/CP106.json`).expect(403);
    await hrgd.get('/hr/evidence/branches/GD.zip').expect(422);
    expect(ctx.app.lms.db.prepare("SELECT COUNT(*) FROM audit_events WHERE action = 'evidence.export'").pluck().get()).to.equal(0);
  });

  it('streams a sub-branch as a zip: a JSON and a PDF per person enrolled, nobody from outside the subtree', async () => {
    const hr = (await signIn(ctx.app, 'hrgd')).agent;
    const res = await hr.get('/hr/evidence/branches/GD.zip?course=CP106').buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/zip');
    expect(res.headers['transfer-encoding']).to.equal('chunked'); // streamed: no length known up front
    const entries = await readZip(res.body as Buffer);
    const names = [...entries.keys()].sort();
    expect(names).to.have.length(4);
    expect(names.filter((n) => n.startsWith('GD/'))).to.have.length(2);
    expect(names.filter((n) => n.startsWith('GZ/'))).to.have.length(2);
    const zhang = JSON.parse(entries.get(names.find((n) => n.startsWith('GZ/') && n.endsWith('.json'))!)!.toString('utf8'));
    expect(zhang.employee.name).to.equal('张三');
    expect(zhang.attempts[0].tries).to.have.length(2);
    const li = JSON.parse(entries.get(names.find((n) => n.startsWith('GD/') && n.endsWith('.json'))!)!.toString('utf8'));
    expect(li.employee.name).to.equal('李四');
    expect(pdfText(entries.get(names.find((n) => n.startsWith('GZ/') && n.endsWith('.pdf'))!)!)).to.include('张三');
    // The zip's audit event is written once the body has ended (it says whether the zip was complete): wait for it.
    const exportEvent = () => ctx.app.lms.db.prepare("SELECT subject, details_json FROM audit_events WHERE action = 'evidence.export'").get() as { subject: string; details_json: string } | undefined;
    for (let waited = 0; !exportEvent() && waited < 2_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const audit = exportEvent()!;
    expect(audit.subject).to.equal('branch:GD');
    expect(JSON.parse(audit.details_json)).to.include({ course: 'CP106', format: 'zip', people: 2, complete: true });
  });
});

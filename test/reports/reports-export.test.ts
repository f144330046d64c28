import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { BRANCH_COLUMNS, CERTIFICATION_COLUMNS } from '../../server/reports/export-columns.js';
import { csrfFrom, signIn } from '../helpers/test-app.js';
import { loadWorkbook } from './output-helpers.js';
import { exportAudits } from './report-fixtures.js';
import { buildReportScenario, FORMULA_NAME, type ReportScenario } from './report-scenario.js';

type Row = Record<string, string>;

/** Collects a binary body (supertest buffers only text and JSON by itself). */
function binary(res: supertest.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

function readCsv(body: Buffer): Row[] {
  return parse(body, { bom: true, columns: true, skip_empty_lines: true }) as Row[];
}

describe('report exports over HTTP', () => {
  let s: ReportScenario;

  beforeEach(async () => {
    s = await buildReportScenario();
  });
  afterEach(() => s.ctx.close());

  async function download(username: string, path: string) {
    const { agent } = await signIn(s.ctx.app, username);
    return agent.get(path).buffer(true).parse(binary);
  }

  it('streams the certification CSV with a BOM, the exact columns, Chinese intact and formulas neutralised', async () => {
    const res = await download('admin', '/api/reports/certifications?branch=HO&subBranches=true&format=csv&headers=codes');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const header = body.toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(header.split(',')).to.deep.equal([...CERTIFICATION_COLUMNS]);

    const rows = readCsv(body);
    const statusOf = (employeeNo: string, course: string) => rows.find((r) => r.employee_no === employeeNo && r.course_code === course)?.status;
    expect(statusOf(s.people.formula.employeeNo, 'C1')).to.equal('certified');
    expect(statusOf(s.people.formula.employeeNo, 'C2')).to.equal('overdue');
    expect(statusOf(s.people.zhang.employeeNo, 'C1')).to.equal('expiring');
    expect(statusOf(s.people.zhang.employeeNo, 'C2')).to.equal('failed');
    expect(statusOf(s.people.li.employeeNo, 'C1')).to.equal('expired');
    expect(statusOf(s.people.li.employeeNo, 'C2')).to.equal('in_progress');
    expect(statusOf(s.people.mover.employeeNo, 'C1')).to.equal('not_started');
    // The leaver and the self-enrolled course are no part of the report.
    expect(rows.some((r) => r.employee_no === s.people.leaver.employeeNo)).to.equal(false);
    expect(rows.some((r) => r.course_code === 'C3')).to.equal(false);
    expect(rows).to.have.length(8);

    const zhang = rows.find((r) => r.employee_no === s.people.zhang.employeeNo && r.course_code === 'C1')!;
    expect(zhang).to.include({ employee_name: '张三', branch_code: 'GD-GZ', branch_name: '广州天河支行', course_title: '消费者权益保护', certificate_serial: 'CERT-0002', expires_at: '2026-06-20' });
    const formula = rows.find((r) => r.employee_no === s.people.formula.employeeNo && r.course_code === 'C1')!;
    expect(formula.employee_name).to.equal(`'${FORMULA_NAME}`);
  });

  it('speaks the reader\'s language by default (headers, statuses, English titles); ?headers=codes and JSON keep the machine set', async () => {
    const { agent } = await signIn(s.ctx.app, 'admin');
    const csv = (path: string) => agent.get(path).buffer(true).parse(binary).expect(200).then((res) => (res.body as Buffer).toString('utf8').replace(/^\uFEFF/, ''));
    const zh = await csv('/api/reports/certifications?branch=HO&subBranches=true&format=csv');
    expect(zh.split('\r\n')[0].split(',').slice(0, 8)).to.deep.equal(['机构代码', '机构名称', '员工编号', '员工姓名', '岗位', '课程代码', '课程名称', '认证状态']);
    expect(zh).to.contain(',已认证,').and.contain(',已逾期,').and.not.match(/,(certified|overdue|in_progress|not_started),/);
    expect((await csv('/api/reports/branches?root=HO&format=csv')).split('\r\n')[0]).to.match(/^机构代码,机构名称,上级机构代码,在职人数/);
    const codes = await csv('/api/reports/certifications?branch=HO&subBranches=true&format=csv&headers=codes');
    expect(codes.split('\r\n')[0]).to.equal(CERTIFICATION_COLUMNS.join(','));
    expect(codes).to.contain(',certified,');

    // An English reader: English headers, statuses and the course's English title; JSON unchanged.
    const token = csrfFrom((await agent.get('/admin').expect(200)).text);
    await agent.put('/api/courses/C1/english').set('X-CSRF-Token', token).send({ titleEn: 'Consumer rights protection', descriptionEn: '' }).expect(200);
    await agent.post('/language').type('form').send({ _csrf: token, locale: 'en', next: '' }).expect(302);
    const en = await csv('/api/reports/certifications?branch=HO&subBranches=true&format=csv');
    expect(en.split('\r\n')[0].split(',').slice(6, 8)).to.deep.equal(['Course title', 'Status']);
    expect(en).to.contain('Consumer rights protection,Certified').and.not.contain('消费者权益保护');
    const workbook = await loadWorkbook((await agent.get('/api/reports/certifications?branch=HO&format=xlsx').buffer(true).parse(binary).expect(200)).body as Buffer);
    expect(workbook.worksheets[0].getRow(1).getCell(8).value).to.equal('Status');
    expect(JSON.stringify(workbook.worksheets[0].getSheetValues())).to.contain('Expiring').and.not.contain('"expiring"');
    const json = (await agent.get('/api/reports/certifications?branch=HO&format=json').expect(200)).body as Row[];
    expect(Object.keys(json[0])).to.deep.equal([...CERTIFICATION_COLUMNS]);
    expect(json.map((r) => r.status)).to.include('certified');
    expect(json.find((r) => r.course_code === 'C1')?.course_title).to.equal('消费者权益保护');
  });

  it('names the download after the branch and date, in UTF-8 per RFC 5987', async () => {
    const res = await download('admin', '/api/reports/certifications?branch=GD-GZ&asOf=2026-05-31&format=csv&headers=codes');
    expect(res.status).to.equal(200);
    const disposition = res.headers['content-disposition'] as string;
    expect(disposition).to.match(/^attachment; filename="GD-GZ-certifications-2026-05-31\.csv"; filename\*=UTF-8''/);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1];
    expect(decodeURIComponent(encoded)).to.equal('GD-GZ-广州天河支行-认证明细-2026-05-31.csv');
  });

  it('writes XLSX with a detail and a summary sheet, text cells as text and Chinese intact', async () => {
    const res = await download('admin', '/api/reports/certifications?branch=GD&subBranches=true&format=xlsx&headers=codes');
    expect(res.status).to.equal(200);
    const workbook = await loadWorkbook(res.body as Buffer);
    expect(workbook.worksheets).to.have.length(2);
    const [detail, summary] = workbook.worksheets;
    expect(detail.getRow(1).values).to.deep.equal([undefined, ...CERTIFICATION_COLUMNS]);
    const noColumn = CERTIFICATION_COLUMNS.indexOf('employee_no') + 1;
    const rows = detail.getSheetValues().slice(2) as unknown[][];
    const qian = detail.getRows(2, rows.length)!.find((row) => row.getCell(noColumn).value === '000123')!;
    expect(qian.getCell(noColumn).type).to.equal(ExcelJS.ValueType.String);
    expect(qian.getCell(CERTIFICATION_COLUMNS.indexOf('employee_name') + 1).value).to.equal('钱七');
    const names = rows.map((r) => r[CERTIFICATION_COLUMNS.indexOf('employee_name') + 1]);
    expect(names).to.include('张三');
    expect(names).to.not.include('李四'); // ZJ is outside GD
    expect(names).to.include(FORMULA_NAME); // a plain text cell, never a formula
    const formulaCell = detail.getRows(2, rows.length)!.find((row) => row.getCell(CERTIFICATION_COLUMNS.indexOf('employee_name') + 1).value === FORMULA_NAME)!;
    expect(formulaCell.getCell(CERTIFICATION_COLUMNS.indexOf('employee_name') + 1).type).to.equal(ExcelJS.ValueType.String);
    const summaryText = JSON.stringify(summary.getSheetValues());
    expect(summaryText).to.contain('广东省分行');
  });

  it('writes JSON keyed by exactly the column names', async () => {
    const { agent } = await signIn(s.ctx.app, 'admin');
    const res = await agent.get('/api/reports/certifications?branch=ZJ&format=json').expect(200);
    const body = res.body as Array<Record<string, unknown>>;
    expect(body).to.have.length(2);
    for (const row of body) expect(Object.keys(row)).to.deep.equal([...CERTIFICATION_COLUMNS]);
    expect(body.map((r) => r.status).sort()).to.deep.equal(['expired', 'in_progress']);
    expect(body[0].employee_name).to.equal('李四');
  });

  it('filters by course and status', async () => {
    const { agent } = await signIn(s.ctx.app, 'admin');
    const byCourse = (await agent.get('/api/reports/certifications?branch=HO&course=C2&format=json').expect(200)).body as Row[];
    expect(byCourse.map((r) => r.course_code)).to.deep.equal(['C2', 'C2', 'C2']);
    const overdue = (await agent.get('/api/reports/certifications?branch=HO&status=overdue&format=json').expect(200)).body as Row[];
    expect(overdue.map((r) => r.employee_no)).to.deep.equal([s.people.formula.employeeNo]);
    await agent.get('/api/reports/certifications?branch=HO&course=NOPE').expect(422);
  });

  it('leaves sub-branches out unless asked', async () => {
    const { agent } = await signIn(s.ctx.app, 'admin');
    const own = (await agent.get('/api/reports/certifications?branch=GD&subBranches=false&format=json').expect(200)).body as Row[];
    expect(new Set(own.map((r) => r.branch_code))).to.deep.equal(new Set(['GD']));
    const all = (await agent.get('/api/reports/certifications?branch=GD&subBranches=true&format=json').expect(200)).body as Row[];
    expect(new Set(all.map((r) => r.branch_code))).to.deep.equal(new Set(['GD', 'GD-GZ']));
  });

  it('rolls the branch report up the tree, failed counted as in progress', async () => {
    const res = await download('admin', '/api/reports/branches?root=HO&format=csv&headers=codes');
    expect(res.status).to.equal(200);
    const rows = readCsv(res.body as Buffer);
    expect(Object.keys(rows[0])).to.deep.equal([...BRANCH_COLUMNS]);
    const byCode = Object.fromEntries(rows.map((r) => [r.branch_code, r]));
    expect(rows.map((r) => r.branch_code)).to.deep.equal(['HO', 'GD', 'GD-GZ', 'ZJ']);
    expect(byCode['GD-GZ']).to.include({ parent_code: 'GD', headcount: '2', assigned: '4', certified: '1', expiring: '1', expired: '0', overdue: '1', in_progress: '1', not_started: '0', compliance_rate: '0.5' });
    expect(byCode.GD).to.include({ headcount: '4', assigned: '6', not_started: '2' });
    expect(Number(byCode.GD.compliance_rate)).to.be.closeTo(2 / 6, 1e-9);
    expect(byCode.ZJ).to.include({ headcount: '1', assigned: '2', expired: '1', in_progress: '1', compliance_rate: '0' });
    expect(byCode.HO).to.include({ headcount: '5', assigned: '8', compliance_rate: '0.25' });
  });

  it('places people where they were on the as-of date, and counts a leaver before they left', async () => {
    const { agent } = await signIn(s.ctx.app, 'admin');
    const before = (await agent.get('/api/reports/certifications?branch=HO&asOf=2026-05-10&format=json').expect(200)).body as Row[];
    expect(before.filter((r) => r.employee_no === s.people.mover.employeeNo).map((r) => r.branch_code)).to.deep.equal(['ZJ']);
    expect(before.some((r) => r.employee_no === s.people.leaver.employeeNo)).to.equal(true);
    // As of 2026-05-10 Zhang had not tried C2 yet.
    expect(before.find((r) => r.employee_no === s.people.zhang.employeeNo && r.course_code === 'C2')!.status).to.equal('not_started');
    const now = (await agent.get('/api/reports/certifications?branch=HO&format=json').expect(200)).body as Row[];
    expect(now.filter((r) => r.employee_no === s.people.mover.employeeNo).map((r) => r.branch_code)).to.deep.equal(['GD']);
    const zjBefore = readCsv((await download('admin', '/api/reports/branches?root=ZJ&asOf=2026-05-10&headers=codes')).body as Buffer);
    expect(zjBefore[0]).to.include({ branch_code: 'ZJ', headcount: '2' });
  });

  it('keeps hr inside their subtree in every export, and answers 404 outside it', async () => {
    const { agent } = await signIn(s.ctx.app, 'hrgd');
    const rows = (await agent.get('/api/reports/certifications?branch=GD&format=json').expect(200)).body as Row[];
    expect(new Set(rows.map((r) => r.branch_code))).to.deep.equal(new Set(['GD', 'GD-GZ']));
    const branches = readCsv((await agent.get('/api/reports/branches?root=GD&headers=codes').buffer(true).parse(binary).expect(200)).body as Buffer);
    expect(branches.map((r) => r.branch_code)).to.deep.equal(['GD', 'GD-GZ']);
    for (const path of ['/api/reports/certifications?branch=ZJ', '/api/reports/certifications?branch=HO', '/api/reports/branches?root=HO',
      '/api/reports/branches?root=ZJ', '/api/reports/certifications?branch=NOWHERE']) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(404);
    }
  });

  it('refuses employees and trainers, and serves Bearer tokens with the owner\'s scope', async () => {
    for (const username of ['emp', 'trainer1']) {
      const { agent } = await signIn(s.ctx.app, username);
      await agent.get('/api/reports/certifications?branch=GD').expect(403);
      await agent.get('/api/reports/branches?root=GD').expect(403);
    }
    const { token } = await s.ctx.app.lms.repositories.apiTokens.create(s.accounts.hrGd.id, 'auditor', { actorId: null });
    const ok = await supertest(s.ctx.app).get('/api/reports/certifications?branch=GD-GZ&format=json').set('Authorization', `Bearer ${token}`).expect(200);
    expect((ok.body as Row[]).length).to.equal(4);
    await supertest(s.ctx.app).get('/api/reports/certifications?branch=ZJ').set('Authorization', `Bearer ${token}`).expect(404);
  });

  it('rejects a bad format or date with 422', async () => {
    const { agent } = await signIn(s.ctx.app, 'admin');
    await agent.get('/api/reports/certifications?branch=HO&format=pdf').expect(422);
    await agent.get('/api/reports/certifications?branch=HO&asOf=2026-02-30').expect(422);
    await agent.get('/api/reports/branches?asOf=2026-01-01').expect(422);
  });

  it('audits every export with who, what scope and how many rows', async () => {
    await download('admin', '/api/reports/certifications?branch=HO&format=csv');
    const { agent } = await signIn(s.ctx.app, 'hrgd');
    await agent.get('/api/reports/branches?root=GD&format=json').expect(200);
    await agent.get('/api/reports/certifications?branch=ZJ').expect(404);
    const audits = exportAudits(s.ctx.app);
    expect(audits).to.have.length(2);
    expect(audits[0]).to.deep.include({ actor_id: s.accounts.admin.id, subject: 'branch:HO' });
    expect(audits[0].details).to.include({ report: 'certifications', format: 'csv', branch: 'HO', includeSubBranches: true, rows: 8, complete: true });
    expect(audits[1]).to.deep.include({ actor_id: s.accounts.hrGd.id, subject: 'branch:GD' });
    expect(audits[1].details).to.include({ report: 'branches', format: 'json', rows: 2, complete: true });
  });
});

import { expect } from 'chai';
import { createUser, decodeHtml, signIn } from '../helpers/test-app.js';
import { buildReportScenario, type ReportScenario } from './report-scenario.js';

/** The JSON the page hands to dashboard.js. */
function dashboardData(html: string): { byBranch: { labels: string[]; rates: Array<number | null> }; byCourse: { labels: string[]; series: Array<{ status: string; data: number[] }> } } {
  const match = /<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no dashboard data on the page');
  return JSON.parse(match[1]);
}

describe('hr dashboard', () => {
  let s: ReportScenario;

  beforeEach(async () => {
    s = await buildReportScenario();
  });
  afterEach(() => s.ctx.close());

  it('opens hr on their scope: figures, one level of children, charts data and no inline script', async () => {
    const { agent } = await signIn(s.ctx.app, 'hrgd');
    const res = await agent.get('/hr').expect(200);
    expect(res.text).to.contain('广东省分行');
    expect(res.text).to.contain('广州天河支行');
    expect(res.text).to.not.contain('浙江省分行');
    expect(res.text).to.not.contain('瑞和银行总行');
    expect(res.text).to.not.contain('href="/hr/branches/HO'); // no way up out of the scope
    // GD: 6 assigned, certified + expiring = 2 → 33.3 %; GD-GZ 2 of 4 → 50.0 %.
    expect(res.text).to.contain('33.3%');
    expect(res.text).to.contain('50.0%');
    for (const tag of res.text.match(/<script[^>]*>/g) ?? []) expect(tag).to.match(/ src="|type="application\/json"/);
    const data = dashboardData(res.text);
    expect(data.byBranch.labels).to.deep.equal(['广州天河支行']);
    expect(data.byBranch.rates).to.deep.equal([50]);
    expect(data.byCourse.labels).to.deep.equal(['消费者权益保护', '反洗钱基础']);
    const series = Object.fromEntries(data.byCourse.series.map((x) => [x.status, x.data]));
    expect(series.not_started).to.deep.equal([2, 0]);
    expect(series.failed).to.deep.equal([0, 1]);
    expect(decodeHtml(res.text)).to.match(/href="\/api\/reports\/certifications\?[^"]*branch=GD(&|")/);
  });

  it('serves Chart.js and the dashboard script locally', async () => {
    const { agent } = await signIn(s.ctx.app, 'hrgd');
    const chart = await agent.get('/assets/vendor/chart.js/chart.umd.js').expect(200);
    expect(chart.headers['content-type']).to.match(/javascript/);
    await agent.get('/assets/dashboard.js').expect(200);
  });

  it('lists a branch\'s people page by page and its children as JSON for the lazy tree', async () => {
    const { agent } = await signIn(s.ctx.app, 'admin');
    const page = await agent.get('/hr/branches/GD-GZ').expect(200);
    expect(page.text).to.contain('href="/hr/branches/GD"'); // up to the parent
    expect(page.text).to.contain('张三');
    expect(page.text).to.not.contain('王五'); // left
    const children = await agent.get('/hr/branches/HO/children').set('Accept', 'application/json').expect(200);
    const byCode = Object.fromEntries((children.body.children as Array<{ code: string; headcount: number; rateText: string; hasChildren: boolean }>).map((c) => [c.code, c]));
    expect(Object.keys(byCode)).to.deep.equal(['GD', 'ZJ']);
    expect(byCode.GD).to.include({ headcount: 4, hasChildren: true, rateText: '33.3%' });
    expect(byCode.ZJ).to.include({ headcount: 1, hasChildren: false, rateText: '0.0%' });
  });

  it('pages people 50 at a time', async () => {
    for (let i = 0; i < 51; i++) await createUser(s.ctx.app, { roles: ['employee'], branch: 'ZJ', name: `员工${i}` });
    const { agent } = await signIn(s.ctx.app, 'admin');
    const first = await agent.get('/hr/branches/ZJ').expect(200);
    const next = /href="([^"]*after=[^"]+)"/.exec(decodeHtml(first.text));
    expect(next).to.not.equal(null);
    const second = await agent.get(next![1]).expect(200);
    const count = (html: string) => (html.match(/href="\/hr\/employees\//g) ?? []).length;
    expect(count(first.text)).to.equal(50);
    expect(count(second.text)).to.equal(52 - 50);
  });

  it('shows one employee\'s record: statuses, attempts and certificates', async () => {
    const { agent } = await signIn(s.ctx.app, 'hrgd');
    const res = await agent.get(`/hr/employees/${s.people.zhang.employeeNo}`).expect(200);
    expect(res.text).to.contain('张三');
    expect(res.text).to.match(/data-status="expiring"/);
    expect(res.text).to.match(/data-status="failed"/);
    expect(res.text).to.contain('CERT-0002');
    expect(res.text).to.contain('<td>45</td>'); // the failed attempt's score, 0.45 scaled
    expect(res.text).to.not.contain('选修：沟通技巧'); // self-enrolled: optional learning, not a compliance record
  });

  it('answers 404 for branches and employees outside the hr scope, 403 for employees', async () => {
    const { agent } = await signIn(s.ctx.app, 'hrgd');
    await agent.get('/hr/branches/ZJ').expect(404);
    await agent.get('/hr/branches/HO').expect(404);
    await agent.get('/hr/branches/ZJ/children').set('Accept', 'application/json').expect(404);
    await agent.get(`/hr/employees/${s.people.li.employeeNo}`).expect(404);
    const employee = await signIn(s.ctx.app, 'emp');
    await employee.agent.get('/hr').expect(403);
    await employee.agent.get('/hr/branches/GD').expect(403);
  });

  it('speaks English on request', async () => {
    const { agent } = await signIn(s.ctx.app, 'hrgd');
    const home = await agent.get('/hr');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    await agent.post('/language').type('form').send({ locale: 'en', _csrf: csrf, next: '/hr' });
    const res = await agent.get('/hr').expect(200);
    expect(res.text).to.contain('Compliance rate');
    expect(res.text).to.contain('广东省分行'); // data stays as entered
  });
});

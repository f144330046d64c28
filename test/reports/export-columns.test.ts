import { expect } from 'chai';
import { CERTIFICATION_STATUSES } from '../../server/certification/status-rules.js';
import { BRANCH_COLUMNS, CERTIFICATION_COLUMNS, columnSpecs, REPORT_COLUMNS, STATUS_LABELS } from '../../server/reports/export-columns.js';

// The lists as issue 7 states them (issue 13 appended tries and learning time): integrations rely on names and order.
const ISSUE_CERTIFICATIONS = 'branch_code, branch_name, employee_no, employee_name, position, course_code, course_title, status, score, completed_at, expires_at, due_at, certificate_serial, attempts, tries, learning_seconds_measured, learning_seconds_scorm';
const ISSUE_BRANCHES = 'branch_code, branch_name, parent_code, headcount, assigned, certified, expiring, expired, overdue, in_progress, not_started, compliance_rate';

describe('export columns', () => {
  it('lists the certification columns exactly as the issue does', () => {
    expect([...CERTIFICATION_COLUMNS]).to.deep.equal(ISSUE_CERTIFICATIONS.split(', '));
    expect(REPORT_COLUMNS.certifications).to.equal(CERTIFICATION_COLUMNS);
  });

  it('lists the branch columns exactly as the issue does', () => {
    expect([...BRANCH_COLUMNS]).to.deep.equal(ISSUE_BRANCHES.split(', '));
    expect(REPORT_COLUMNS.branches).to.equal(BRANCH_COLUMNS);
  });

  it('describes every column in both languages, in column order', () => {
    for (const kind of ['certifications', 'branches'] as const) {
      const specs = columnSpecs(kind);
      expect(specs.map((spec) => spec.key)).to.deep.equal([...REPORT_COLUMNS[kind]]);
      for (const spec of specs) {
        expect(spec.labels['zh-CN'], spec.key).to.match(/\p{Script=Han}/u);
        expect(spec.labels.en, spec.key).to.match(/^[A-Z]/);
        expect(spec.width, spec.key).to.be.greaterThan(0);
      }
    }
  });

  it('types identifiers as text so leading zeros survive', () => {
    const kinds = Object.fromEntries(columnSpecs('certifications').map((spec) => [spec.key, spec.kind]));
    expect(kinds.employee_no).to.equal('text');
    expect(kinds.branch_code).to.equal('text');
    expect(kinds.certificate_serial).to.equal('text');
    expect(kinds.score).to.equal('number');
  });

  it('labels every certification status in both languages', () => {
    for (const status of CERTIFICATION_STATUSES) {
      expect(STATUS_LABELS['zh-CN'][status], status).to.be.a('string').with.length.greaterThan(0);
      expect(STATUS_LABELS.en[status], status).to.be.a('string').with.length.greaterThan(0);
    }
  });
});

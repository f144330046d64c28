import { expect } from 'chai';
import {
  computeCertificationStatus,
  DEFAULT_CERTIFICATION_POLICY,
  expiringWindowStart,
  renewalWindowStart,
  type AttemptFacts,
  type CertificateFacts,
  type CertificationStatus,
  type StatusInput,
} from '../../server/certification/status-rules.js';

/** A wall-clock time in Shanghai (UTC+8, no DST). */
const sh = (local: string) => new Date(`${local}+08:00`);

interface Certificate extends CertificateFacts { serial: string }
interface Attempt extends AttemptFacts { number: number }

function certificate(serial: string, issued: string, expires: string | null, revoked: string | null = null): Certificate {
  return { serial, issuedAt: sh(issued), expiresAt: expires === null ? null : sh(expires), revokedAt: revoked === null ? null : sh(revoked) };
}

function attempt(number: number, started: string, finished: string | null, success: string, completion = 'completed'): Attempt {
  return {
    number,
    startedAt: sh(started),
    finishedAt: finished === null ? null : sh(finished),
    completionStatus: completion,
    successStatus: success,
    score: success === 'passed' ? 90 : 40,
  };
}

function input(parts: Partial<StatusInput<Certificate, Attempt>> & { due?: Date | string | null } = {}): StatusInput<Certificate, Attempt> {
  return {
    enrollment: { assignedAt: sh('2025-01-02T09:00:00'), dueAt: parts.due ?? null },
    certificates: parts.certificates ?? [],
    attempts: parts.attempts ?? [],
    userStatus: parts.userStatus ?? 'active',
    exam: parts.exam,
  };
}

function exam(started: string, submitted: string | null, passed: boolean | null) {
  return { startedAt: sh(started), submittedAt: submitted === null ? null : sh(submitted), passed };
}

const statusOf = (facts: StatusInput<Certificate, Attempt>, asOf: Date) => computeCertificationStatus(facts, asOf).status;

// Certificate valid through local 2026-03-31 (issued a year before at 10:00).
const expiresMarch31 = certificate('C-2025', '2025-03-31T10:00:00', '2026-03-31T10:00:00');

describe('certification status rules', () => {
  describe('due date cut-off at the end of the local day', () => {
    // The same due date, stored several ways: any instant in the local day, or the bare date.
    const dueForms: Array<[string, Date | string]> = [
      ['local midnight as a Date', sh('2026-03-31T00:00:00')],
      ['local noon as a Date', sh('2026-03-31T12:00:00')],
      ['bare local date', '2026-03-31'],
      ['ISO instant with Z', '2026-03-31T15:59:59.999Z'],
      ['SQLite UTC text without zone', '2026-03-30 16:00:00'],
    ];
    for (const [label, due] of dueForms) {
      it(`is due through 2026-03-31T15:59:59.999Z and overdue 1 ms later (${label})`, () => {
        const facts = input({ due });
        expect(statusOf(facts, new Date('2026-03-31T15:59:59.999Z'))).to.equal('not_started');
        expect(statusOf(facts, new Date('2026-03-31T16:00:00.000Z'))).to.equal('overdue');
      });
    }

    it('reports the cut-off and the days left, negative once passed', () => {
      const facts = input({ due: '2026-03-31' });
      const before = computeCertificationStatus(facts, sh('2026-03-29T08:00:00'));
      expect(before.dueDate).to.equal('2026-03-31');
      expect(before.dueAt?.toISOString()).to.equal('2026-03-31T15:59:59.999Z');
      expect(before.daysLeft).to.equal(2);
      expect(computeCertificationStatus(facts, sh('2026-03-31T23:59:59.999')).daysLeft).to.equal(0);
      expect(computeCertificationStatus(facts, sh('2026-04-03T00:00:00')).daysLeft).to.equal(-3);
    });

    it('never becomes overdue without a due date', () => {
      expect(statusOf(input(), sh('2030-01-01T00:00:00'))).to.equal('not_started');
    });

    it('cuts off at midnight of the configured zone', () => {
      const utc = { ...DEFAULT_CERTIFICATION_POLICY, timeZone: 'UTC' };
      const facts = input({ due: '2026-03-31' });
      expect(computeCertificationStatus(facts, new Date('2026-03-31T23:59:59.999Z'), utc).status).to.equal('not_started');
      expect(computeCertificationStatus(facts, new Date('2026-04-01T00:00:00.000Z'), utc).status).to.equal('overdue');
    });
  });

  describe('certificate validity through the local expiry date', () => {
    const facts = input({ certificates: [expiresMarch31] });

    it('is valid until the last millisecond of the expiry date, expired from local midnight', () => {
      const lastDay = computeCertificationStatus(facts, sh('2026-03-31T23:59:59.999'));
      expect(lastDay.status).to.equal('expiring');
      expect(lastDay.daysLeft).to.equal(0);
      expect(lastDay.expiresAt?.toISOString()).to.equal('2026-03-31T15:59:59.999Z');
      const next = computeCertificationStatus(facts, sh('2026-04-01T00:00:00.000'));
      expect(next.status).to.equal('expired');
      expect(next.certificate?.serial).to.equal('C-2025');
      expect(next.expiryDate).to.equal('2026-03-31');
    });

    it('turns expiring when 30 local days are left, not one millisecond earlier', () => {
      expect(expiringWindowStart('2026-03-31')).to.deep.equal(sh('2026-03-01T00:00:00'));
      const before = computeCertificationStatus(facts, sh('2026-02-28T23:59:59.999'));
      expect(before.status).to.equal('certified');
      expect(before.daysLeft).to.equal(31);
      const inside = computeCertificationStatus(facts, sh('2026-03-01T00:00:00.000'));
      expect(inside.status).to.equal('expiring');
      expect(inside.daysLeft).to.equal(30);
    });

    it('opens renewal when 60 local days are left, not one millisecond earlier', () => {
      expect(renewalWindowStart('2026-03-31')).to.deep.equal(sh('2026-01-30T00:00:00'));
      const before = computeCertificationStatus(facts, sh('2026-01-29T23:59:59.999'));
      expect(before.renewalOpen).to.equal(false);
      expect(before.status).to.equal('certified');
      const inside = computeCertificationStatus(facts, sh('2026-01-30T00:00:00.000'));
      expect(inside.renewalOpen).to.equal(true);
      expect(inside.status).to.equal('certified');
      expect(computeCertificationStatus(facts, sh('2026-04-01T00:00:00')).renewalOpen).to.equal(true);
    });

    it('follows the policy windows', () => {
      const policy = { timeZone: 'Asia/Shanghai', expiringWindowDays: 7, renewalWindowDays: 14 };
      const at = (local: string) => computeCertificationStatus(facts, sh(local), policy);
      expect(at('2026-03-23T23:59:59.999').status).to.equal('certified');
      expect(at('2026-03-24T00:00:00.000').status).to.equal('expiring');
      expect(at('2026-03-16T23:59:59.999').renewalOpen).to.equal(false);
      expect(at('2026-03-17T00:00:00.000').renewalOpen).to.equal(true);
    });

    it('counts a certificate only from its issue instant', () => {
      expect(statusOf(facts, sh('2025-03-31T09:59:59.999'))).to.equal('not_started');
      expect(statusOf(facts, sh('2025-03-31T10:00:00.000'))).to.equal('certified');
    });

    it('treats a certificate without expiry as valid for good', () => {
      const forever = input({ certificates: [certificate('C-0', '2020-01-01T10:00:00', null)] });
      const result = computeCertificationStatus(forever, sh('2099-12-31T23:00:00'));
      expect(result.status).to.equal('certified');
      expect(result.daysLeft).to.equal(null);
      expect(result.expiresAt).to.equal(null);
      expect(result.renewalOpen).to.equal(false);
    });

    it('accepts stored ISO text and a bare expiry date', () => {
      const stored = input({
        certificates: [{ serial: 'C-txt', issuedAt: '2025-03-31 02:00:00', expiresAt: '2026-03-31', revokedAt: null }],
      });
      expect(statusOf(stored, sh('2026-03-31T23:59:59.999'))).to.equal('expiring');
      expect(statusOf(stored, sh('2026-04-01T00:00:00.000'))).to.equal('expired');
    });
  });

  describe('revocation', () => {
    const revoked = certificate('C-R', '2025-06-01T10:00:00', '2026-06-01T10:00:00', '2025-09-01T10:00:00');
    const passedBefore = attempt(1, '2025-06-01T09:00:00', '2025-06-01T10:00:00', 'passed');

    it('stops counting at the revocation instant', () => {
      const facts = input({ certificates: [revoked], attempts: [passedBefore] });
      expect(statusOf(facts, sh('2025-09-01T09:59:59.999'))).to.equal('certified');
      const after = computeCertificationStatus(facts, sh('2025-09-01T10:00:00.000'));
      expect(after.status).to.equal('not_started');
      expect(after.certificate).to.equal(null);
      expect(after.renewalOpen).to.equal(false);
    });

    it('needs a fresh attempt: only attempts after the revocation count', () => {
      const retake = attempt(2, '2025-09-02T09:00:00', null, 'unknown', 'incomplete');
      expect(statusOf(input({ certificates: [revoked], attempts: [passedBefore, retake] }), sh('2025-09-03T09:00:00'))).to.equal('in_progress');
    });

    it('makes the employee overdue when the due date has passed', () => {
      const facts = input({ certificates: [revoked], attempts: [passedBefore], due: '2025-06-30' });
      expect(statusOf(facts, sh('2025-09-01T09:59:59.999'))).to.equal('certified');
      expect(statusOf(facts, sh('2025-09-01T10:00:00.000'))).to.equal('overdue');
    });

    it('leaves another valid certificate standing', () => {
      const other = certificate('C-OK', '2025-05-01T10:00:00', '2026-05-01T10:00:00');
      const result = computeCertificationStatus(input({ certificates: [revoked, other] }), sh('2025-10-01T00:00:00'));
      expect(result.status).to.equal('certified');
      expect(result.certificate?.serial).to.equal('C-OK');
    });
  });

  describe('renewal cycle', () => {
    const renewalRunning = attempt(2, '2026-02-10T09:00:00', null, 'unknown', 'incomplete');
    const renewalFailed = attempt(2, '2026-02-10T09:00:00', '2026-02-10T10:00:00', 'failed');

    it('stays certified/expiring while a renewal attempt runs, expired after the expiry date', () => {
      const facts = input({ certificates: [expiresMarch31], attempts: [renewalRunning] });
      expect(statusOf(facts, sh('2026-02-15T12:00:00'))).to.equal('certified');
      expect(statusOf(facts, sh('2026-03-31T23:59:59.999'))).to.equal('expiring');
      expect(statusOf(facts, sh('2026-04-01T00:00:00.000'))).to.equal('expired');
    });

    it('ignores a failed renewal attempt while the certificate is valid, and after it lapses', () => {
      const facts = input({ certificates: [expiresMarch31], attempts: [renewalFailed] });
      const during = computeCertificationStatus(facts, sh('2026-03-10T12:00:00'));
      expect(during.status).to.equal('expiring');
      expect(during.lastAttempt?.number).to.equal(2);
      expect(statusOf(facts, sh('2026-04-10T12:00:00'))).to.equal('expired');
    });

    it('switches to the new certificate once renewal passes, before the old one expires', () => {
      const renewed = certificate('C-2026', '2026-03-10T10:00:00', '2027-03-10T10:00:00');
      const result = computeCertificationStatus(input({ certificates: [expiresMarch31, renewed] }), sh('2026-03-20T12:00:00'));
      expect(result.status).to.equal('certified');
      expect(result.certificate?.serial).to.equal('C-2026');
      expect(result.expiryDate).to.equal('2027-03-10');
      expect(result.renewalOpen).to.equal(false);
    });
  });

  describe('precedence between due dates and certificates', () => {
    it('certified beats overdue: a late certificate meets a missed due date', () => {
      const late = certificate('C-late', '2026-04-05T10:00:00', '2027-04-05T10:00:00');
      const facts = input({ certificates: [late], due: '2026-03-31' });
      expect(statusOf(facts, sh('2026-04-05T09:59:59.999'))).to.equal('overdue');
      expect(statusOf(facts, sh('2026-04-05T10:00:00.000'))).to.equal('certified');
    });

    it('a lapsed certificate that covered the original due date is expired, not overdue', () => {
      const facts = input({ certificates: [expiresMarch31], due: '2025-04-30' });
      const result = computeCertificationStatus(facts, sh('2026-06-01T00:00:00'));
      expect(result.status).to.equal('expired');
      expect(result.dueDate).to.equal(null);
    });

    it('a renewal due date on the expiry date makes the lapse overdue at once', () => {
      const facts = input({ certificates: [expiresMarch31], due: '2026-03-31' });
      expect(statusOf(facts, sh('2026-03-31T23:59:59.999'))).to.equal('expiring');
      expect(statusOf(facts, sh('2026-04-01T00:00:00.000'))).to.equal('overdue');
    });

    it('a renewal due date after expiry leaves it expired until that date passes', () => {
      const facts = input({ certificates: [expiresMarch31], due: '2026-04-30' });
      const lapsed = computeCertificationStatus(facts, sh('2026-04-30T23:59:59.999'));
      expect(lapsed.status).to.equal('expired');
      expect(lapsed.dueDate).to.equal('2026-04-30');
      expect(lapsed.daysLeft).to.equal(0);
      expect(statusOf(facts, sh('2026-05-01T00:00:00.000'))).to.equal('overdue');
    });

    it('overdue beats in progress and failed', () => {
      const running = input({ attempts: [attempt(1, '2026-03-30T09:00:00', null, 'unknown', 'incomplete')], due: '2026-03-31' });
      expect(statusOf(running, sh('2026-03-31T23:59:59.999'))).to.equal('in_progress');
      expect(statusOf(running, sh('2026-04-01T00:00:00.000'))).to.equal('overdue');
      const failed = input({ attempts: [attempt(1, '2026-03-30T09:00:00', '2026-03-30T10:00:00', 'failed')], due: '2026-03-31' });
      expect(statusOf(failed, sh('2026-03-31T23:59:59.999'))).to.equal('failed');
      expect(statusOf(failed, sh('2026-04-01T00:00:00.000'))).to.equal('overdue');
    });
  });

  describe('attempts without a certificate', () => {
    const table: Array<[string, Attempt[], CertificationStatus]> = [
      ['no attempt', [], 'not_started'],
      ['an unfinished attempt', [attempt(1, '2026-03-01T09:00:00', null, 'unknown', 'incomplete')], 'in_progress'],
      ['a failed attempt', [attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'failed')], 'failed'],
      ['an attempt that ended incomplete', [attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'unknown', 'incomplete')], 'failed'],
      ['a pass then a failed last attempt', [
        attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'passed'),
        attempt(2, '2026-03-02T09:00:00', '2026-03-02T10:00:00', 'failed'),
      ], 'failed'],
      ['a failure then a retake running', [
        attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'failed'),
        attempt(2, '2026-03-02T09:00:00', null, 'unknown', 'incomplete'),
      ], 'in_progress'],
      ['a pass still waiting for its certificate', [attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'passed')], 'in_progress'],
      ['completion with no mastery score, no certificate yet', [attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'unknown', 'completed')], 'in_progress'],
      ['an attempt that starts after the as-of date', [attempt(1, '2026-03-06T09:00:00', null, 'unknown', 'incomplete')], 'not_started'],
      ['an attempt that fails only after the as-of date', [attempt(1, '2026-03-04T09:00:00', '2026-03-06T10:00:00', 'failed')], 'in_progress'],
    ];
    for (const [label, attempts, expected] of table) {
      it(`${label} → ${expected}`, () => {
        expect(statusOf(input({ attempts }), sh('2026-03-05T12:00:00'))).to.equal(expected);
      });
    }

    it('orders attempts by start time, not by list position', () => {
      const failedLater = attempt(2, '2026-03-02T09:00:00', '2026-03-02T10:00:00', 'failed');
      const runningEarlier = attempt(1, '2026-03-01T09:00:00', null, 'unknown', 'incomplete');
      const result = computeCertificationStatus(input({ attempts: [failedLater, runningEarlier] }), sh('2026-03-05T12:00:00'));
      expect(result.status).to.equal('failed');
      expect(result.lastAttempt?.number).to.equal(2);
    });

    it('breaks a tie in start time by list order (the repository lists attempts by number)', () => {
      const first = attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'failed');
      const second = attempt(2, '2026-03-01T09:00:00', null, 'unknown', 'incomplete');
      const result = computeCertificationStatus(input({ attempts: [first, second] }), sh('2026-03-05T12:00:00'));
      expect(result.lastAttempt?.number).to.equal(2);
      expect(result.status).to.equal('in_progress');
    });

    it('a valid certificate outranks a failed last attempt', () => {
      const facts = input({
        certificates: [certificate('C-1', '2026-03-01T10:00:00', '2027-03-01T10:00:00')],
        attempts: [
          attempt(1, '2026-03-01T09:00:00', '2026-03-01T10:00:00', 'passed'),
          attempt(2, '2026-03-02T09:00:00', '2026-03-02T10:00:00', 'failed'),
        ],
      });
      expect(statusOf(facts, sh('2026-03-05T12:00:00'))).to.equal('certified');
    });
  });

  describe('who counts', () => {
    it('keeps a leaver’s status but excludes them from figures', () => {
      const result = computeCertificationStatus(input({ certificates: [expiresMarch31], userStatus: 'left' }), sh('2025-06-01T00:00:00'));
      expect(result.status).to.equal('certified');
      expect(result.isCounted).to.equal(false);
      expect(result.exclusion).to.equal('left');
    });

    it('excludes an enrollment assigned after the as-of instant', () => {
      const facts = input();
      const assigned = facts.enrollment.assignedAt as Date;
      const before = computeCertificationStatus(facts, new Date(assigned.getTime() - 1));
      expect(before.isCounted).to.equal(false);
      expect(before.exclusion).to.equal('not_assigned_yet');
      const at = computeCertificationStatus(facts, assigned);
      expect(at.isCounted).to.equal(true);
      expect(at.exclusion).to.equal(null);
    });
  });

  describe('input checks', () => {
    it('rejects bad policies, dates and as-of instants', () => {
      const facts = input();
      expect(() => computeCertificationStatus(facts, new Date('x'))).to.throw(RangeError);
      expect(() => computeCertificationStatus(facts, new Date(), { ...DEFAULT_CERTIFICATION_POLICY, expiringWindowDays: -1 })).to.throw(RangeError);
      expect(() => computeCertificationStatus(facts, new Date(), { ...DEFAULT_CERTIFICATION_POLICY, renewalWindowDays: 1.5 })).to.throw(RangeError);
      expect(() => computeCertificationStatus(facts, new Date(), { ...DEFAULT_CERTIFICATION_POLICY, timeZone: 'Nowhere/Land' })).to.throw(RangeError);
      expect(() => computeCertificationStatus(input({ due: '2026-02-30' }), new Date())).to.throw(RangeError);
      expect(() => computeCertificationStatus(input({ due: 'soon' }), new Date())).to.throw(RangeError);
    });
  });

  it('walks assignment → fail → retake → pass → certificate → expiring → renewal → new certificate', () => {
    // Validity 12 months; renewal 60 days and warning 30 days before expiry.
    const first = attempt(1, '2025-03-03T09:00:00', '2025-03-03T10:00:00', 'failed');
    const retake = attempt(2, '2025-03-10T09:00:00', '2025-03-10T10:00:00', 'passed');
    const cert1 = certificate('C-1', '2025-03-10T10:00:00', '2026-03-10T10:00:00');
    const renewal = attempt(3, '2026-01-20T09:00:00', '2026-01-20T09:30:00', 'passed');
    const cert2 = certificate('C-2', '2026-01-20T09:30:00', '2027-01-20T09:30:00');
    const steps: Array<[string, StatusInput<Certificate, Attempt>, CertificationStatus, boolean]> = [
      ['2025-03-01T09:00:00', input({ due: '2025-03-31' }), 'not_started', false],
      ['2025-03-03T09:30:00', input({ due: '2025-03-31', attempts: [{ ...first, finishedAt: null }] }), 'in_progress', false],
      ['2025-03-04T09:00:00', input({ due: '2025-03-31', attempts: [first] }), 'failed', false],
      ['2025-03-10T09:30:00', input({ due: '2025-03-31', attempts: [first, { ...retake, finishedAt: null }] }), 'in_progress', false],
      ['2025-03-11T09:00:00', input({ due: '2025-03-31', attempts: [first, retake], certificates: [cert1] }), 'certified', false],
      ['2026-01-09T00:00:00', input({ due: '2025-03-31', attempts: [first, retake], certificates: [cert1] }), 'certified', true],
      ['2026-02-08T00:00:00', input({ due: '2025-03-31', attempts: [first, retake], certificates: [cert1] }), 'expiring', true],
      ['2026-02-08T00:00:00', input({ due: '2025-03-31', attempts: [first, retake, renewal], certificates: [cert1, cert2] }), 'certified', false],
    ];
    for (const [asOf, facts, expected, renewalOpen] of steps) {
      const result = computeCertificationStatus(facts, sh(asOf));
      expect(result.status, asOf).to.equal(expected);
      expect(result.renewalOpen, asOf).to.equal(renewalOpen);
    }
  });

  describe('courses with an exam: the exam decides pass and fail, the lessons only progress', () => {
    const at = sh('2026-05-10T12:00:00');
    const withExam = (attempts: Attempt[], exams: ReturnType<typeof exam>[], certificates: Certificate[] = []) =>
      statusOf(input({ attempts, certificates, exam: { attempts: exams } }), at);

    it('nothing yet is not_started; lessons alone, even a package-failed quiz, are in_progress', () => {
      expect(withExam([], [])).to.equal('not_started');
      expect(withExam([attempt(1, '2026-05-01T09:00:00', '2026-05-01T10:00:00', 'failed')], [])).to.equal('in_progress');
      // The same attempt without an exam fails the course.
      expect(statusOf(input({ attempts: [attempt(1, '2026-05-01T09:00:00', '2026-05-01T10:00:00', 'failed')] }), at)).to.equal('failed');
    });

    it('a running paper is in_progress; the last exam failed is failed, even after passed lessons', () => {
      expect(withExam([], [exam('2026-05-10T11:50:00', null, null)])).to.equal('in_progress');
      expect(withExam([], [exam('2026-05-02T09:00:00', '2026-05-02T09:20:00', false)])).to.equal('failed');
      const lessons = attempt(1, '2026-05-01T09:00:00', '2026-05-01T10:00:00', 'passed');
      expect(withExam([lessons], [exam('2026-05-02T09:00:00', '2026-05-02T09:20:00', false)])).to.equal('failed');
      // A fail then a pass (no certificate yet): in_progress.
      expect(withExam([], [exam('2026-05-02T09:00:00', '2026-05-02T09:20:00', false), exam('2026-05-03T09:00:00', '2026-05-03T09:20:00', true)]))
        .to.equal('in_progress');
    });

    it('lessons started again after a failed exam and still running are in_progress; an abandoned earlier one is not', () => {
      const failed = exam('2026-05-02T09:00:00', '2026-05-02T09:20:00', false);
      expect(withExam([attempt(2, '2026-05-03T09:00:00', null, 'unknown', 'incomplete')], [failed])).to.equal('in_progress');
      expect(withExam([attempt(1, '2026-05-01T09:00:00', null, 'unknown', 'incomplete')], [failed])).to.equal('failed');
    });

    it('exam attempts of an earlier cycle do not count; a valid certificate wins', () => {
      const cert = certificate('C-1', '2025-05-03T10:00:00', '2026-05-03T10:00:00');
      expect(withExam([], [exam('2025-05-02T09:00:00', '2025-05-02T09:20:00', false)], [cert])).to.equal('expired');
      const valid = certificate('C-2', '2026-05-03T10:00:00', '2027-05-03T10:00:00');
      expect(withExam([], [exam('2026-05-09T09:00:00', '2026-05-09T09:20:00', false)], [valid])).to.equal('certified');
      const revoked = certificate('C-3', '2026-04-01T10:00:00', '2027-04-01T10:00:00', '2026-05-05T10:00:00');
      expect(withExam([], [exam('2026-05-02T09:00:00', '2026-05-02T09:20:00', false)], [revoked])).to.equal('not_started');
      expect(withExam([], [exam('2026-05-06T09:00:00', '2026-05-06T09:20:00', false)], [revoked])).to.equal('failed');
    });
  });
});

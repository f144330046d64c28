import { expect } from 'chai';
import { cardActions } from '../../server/home/card-actions.js';
import { countdown } from '../../server/home/countdown.js';
import { homeReminders } from '../../server/home/reminders.js';
import { outcomeOf } from '../../server/home/home-view.js';
import type { HomeCourse } from '../../server/home/employee-home.service.js';

type Facts = Parameters<typeof cardActions>[0];
const base: Facts = { code: 'C1', status: 'not_started', canLaunch: true, isLocked: false, launchKind: 'start', certificate: null, exam: null, attempts: [], progress: null };
const exam = (patch: Partial<NonNullable<HomeCourse['exam']>> = {}): HomeCourse['exam'] => ({ used: 0, allowed: 2, left: 2, passMark: 60, last: null, review: null, ...patch });
const finished = [{ number: 1, startedOn: '2026-06-01', finishedOn: '2026-06-01', completionStatus: 'completed', successStatus: 'failed', score: 40 }];
const labels = (a: ReturnType<typeof cardActions>) => ({ primary: a.primary?.labelKey ?? null, secondary: a.secondary.map((s) => s.labelKey), blockedBy: a.blockedBy });

/** The pure rules behind the learner's cards: next action, countdown words, reminders, result headline. */
describe('learner card rules', () => {
  it('one primary action: start, resume, retake the exam, download the certificate, renew — or none when attempts are used up', () => {
    expect(labels(cardActions(base, null))).to.deep.equal({ primary: 'home.employee.launch.start', secondary: [], blockedBy: null });
    expect(labels(cardActions({ ...base, status: 'in_progress', launchKind: 'resume', attempts: finished }, 'start')).primary).to.equal('home.employee.launch.resume');
    // A running exam paper comes first, even over lessons to resume.
    expect(labels(cardActions({ ...base, launchKind: 'resume', exam: exam({ used: 1 }) }, 'resume')).primary).to.equal('exams.start.resume');
    // Lessons done, exam failed with attempts left: retake the exam; the lessons are a review.
    expect(labels(cardActions({ ...base, status: 'failed', launchKind: 'retake', progress: 100, attempts: finished, exam: exam({ used: 1, left: 1 }) }, 'start'))).to.deep.equal({
      primary: 'learner.actions.retakeExam', secondary: ['home.employee.launch.review', 'learner.actions.result'], blockedBy: null,
    });
    // Exam attempts used up: no primary, the reason, the lessons to review.
    expect(labels(cardActions({ ...base, status: 'failed', launchKind: 'retake', progress: 100, attempts: finished, exam: exam({ used: 2, left: 0 }) }, null))).to.deep.equal({
      primary: null, secondary: ['home.employee.launch.review', 'learner.actions.result'], blockedBy: 'exam',
    });
    // SCORM attempts used up.
    expect(labels(cardActions({ ...base, status: 'failed', canLaunch: false, isLocked: true, launchKind: 'retake', attempts: finished }, null))).to.deep.equal({
      primary: null, secondary: ['learner.actions.result'], blockedBy: 'lessons',
    });
    const certificate = { serial: 'AAAA-BBBB-CCCC', issuedOn: '2026-06-01', expiryDate: '2027-06-01', daysLeft: 365 };
    const certified = cardActions({ ...base, status: 'certified', launchKind: 'review', certificate, attempts: finished }, null);
    expect(certified.primary).to.deep.equal({ kind: 'certificate', labelKey: 'learner.actions.downloadCertificate', path: '/certificates/AAAA-BBBB-CCCC.pdf' });
    expect(labels(cardActions({ ...base, status: 'expiring', launchKind: 'renew', certificate: { ...certificate, daysLeft: 20 } }, null)).primary).to.equal('home.employee.launch.renew');
    // The result page does not link to itself.
    expect(labels(cardActions({ ...base, status: 'failed', launchKind: 'retake', attempts: finished }, null, { onResultPage: true })).secondary).to.deep.equal([]);
  });

  it('counts days in words: left, today, overdue', () => {
    expect(countdown(null)).to.equal(null);
    expect(countdown(3)).to.deep.equal({ key: 'learner.countdown.daysLeft', count: 3 });
    expect(countdown(1)).to.deep.equal({ key: 'learner.countdown.oneDayLeft', count: 1 });
    expect(countdown(0)).to.deep.equal({ key: 'learner.countdown.today', count: 0 });
    expect(countdown(-1)).to.deep.equal({ key: 'learner.countdown.oneDayOverdue', count: 1 });
    expect(countdown(-4)).to.deep.equal({ key: 'learner.countdown.daysOverdue', count: 4 });
  });

  it('reminds of what is overdue, due within the window, expiring, expired or revoked — nothing else', () => {
    const card = { code: 'C', title: '课程', titleEn: null, certificate: null, lapsed: null, revoked: null, dueDate: '2026-06-10', daysLeft: 9 };
    const reminders = homeReminders([
      { ...card, code: 'A', status: 'overdue', daysLeft: -2 },
      { ...card, code: 'B', status: 'in_progress', daysLeft: 7 },
      { ...card, code: 'C', status: 'not_started', daysLeft: 8 },
      { ...card, code: 'D', status: 'expiring', dueDate: null, daysLeft: null, certificate: { serial: 's', issuedOn: '2025-07-01', expiryDate: '2026-07-01', daysLeft: 20 } },
      { ...card, code: 'E', status: 'expired', dueDate: null, daysLeft: null, lapsed: { serial: 's', expiryDate: '2026-05-01' } },
      { ...card, code: 'F', status: 'not_started', revoked: { on: '2026-05-30', reason: null } },
      { ...card, code: 'G', status: 'certified', dueDate: null, daysLeft: null },
    ], 7);
    expect(reminders.map((r) => `${r.kind}:${r.code}:${r.date}:${r.daysLeft}`)).to.deep.equal([
      'overdue:A:2026-06-10:-2', 'dueSoon:B:2026-06-10:7', 'expiring:D:2026-07-01:20', 'expired:E:2026-05-01:null', 'revoked:F:2026-05-30:null',
    ]);
  });

  it('heads the result page with what happened', () => {
    const course = { status: 'in_progress' as const, progress: 50, exam: null, attempts: [] };
    expect(outcomeOf({ ...course, status: 'certified' }, null)).to.equal('passed');
    expect(outcomeOf({ ...course, status: 'failed' }, null)).to.equal('failed');
    expect(outcomeOf({ ...course, status: 'expired' }, null)).to.equal('expired');
    expect(outcomeOf({ ...course, progress: 100, exam: exam() }, 'start')).to.equal('lessonsDone');
    // Overdue with a failed paper: the paper's outcome is what the learner just met.
    expect(outcomeOf({ ...course, status: 'overdue', progress: 100, exam: exam({ used: 1, last: { attemptId: 1, score: 20, passed: false, submittedOn: '2026-06-01' } }) }, 'start')).to.equal('failed');
    expect(outcomeOf(course, null)).to.equal('inProgress');
    expect(outcomeOf({ ...course, status: 'not_started', progress: null }, null)).to.equal('notStarted');
  });
});

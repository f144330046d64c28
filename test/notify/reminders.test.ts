import { expect } from 'chai';
import { computeCertificationStatus, DEFAULT_CERTIFICATION_POLICY } from '../../server/certification/status-rules.js';
import { reminderFor, reminderKey } from '../../server/notify/reminders.js';

// Statuses come from the real status rules, as the job computes them.
const asOf = new Date('2026-06-01T02:00:00Z'); // 10:00 on 2026-06-01 in Asia/Shanghai
const status = (facts: { dueAt?: string | null; expiresAt?: string; userStatus?: 'active' | 'left'; assignedAt?: string }) => computeCertificationStatus({
  enrollment: { assignedAt: facts.assignedAt ?? '2026-01-01T00:00:00Z', dueAt: facts.dueAt ?? null },
  certificates: facts.expiresAt ? [{ issuedAt: '2025-01-01T00:00:00Z', expiresAt: facts.expiresAt, revokedAt: null }] : [],
  attempts: [], userStatus: facts.userStatus ?? 'active',
}, asOf, DEFAULT_CERTIFICATION_POLICY);

describe('reminderFor', () => {
  it('reminds of a due date from 7 days before it through the day itself', () => {
    expect(reminderFor(status({ dueAt: '2026-06-09' }), 7)).to.equal(null);
    expect(reminderFor(status({ dueAt: '2026-06-08' }), 7)).to.deep.equal({ kind: 'due_soon', deadline: '2026-06-08', daysLeft: 7 });
    expect(reminderFor(status({ dueAt: '2026-06-01' }), 7)).to.deep.equal({ kind: 'due_soon', deadline: '2026-06-01', daysLeft: 0 });
    expect(reminderFor(status({ dueAt: '2026-06-03' }), 1)).to.equal(null);
  });

  it('says overdue the day after the due date', () => {
    expect(reminderFor(status({ dueAt: '2026-05-31' }), 7)).to.deep.equal({ kind: 'overdue', deadline: '2026-05-31', daysLeft: -1 });
  });

  it('reminds of an expiring certificate inside the window, not of a certified or lapsed one', () => {
    expect(reminderFor(status({ expiresAt: '2026-07-01' }), 7)).to.deep.equal({ kind: 'expiring', deadline: '2026-07-01', daysLeft: 30 });
    expect(reminderFor(status({ expiresAt: '2026-07-02' }), 7)).to.equal(null);
    expect(reminderFor(status({ expiresAt: '2026-05-31' }), 7)).to.equal(null);
    // A valid certificate met the due date: no due-soon reminder.
    expect(reminderFor(status({ expiresAt: '2027-01-01', dueAt: '2026-06-02' }), 7)).to.equal(null);
  });

  it('leaves out leavers, enrollments without a due date and ones assigned later', () => {
    expect(reminderFor(status({ dueAt: '2026-05-01', userStatus: 'left' }), 7)).to.equal(null);
    expect(reminderFor(status({ dueAt: null }), 7)).to.equal(null);
    expect(reminderFor(status({ dueAt: '2026-06-02', assignedAt: '2026-06-02T00:00:00Z' }), 7)).to.equal(null);
  });

  it('keys a reminder by enrollment, kind and deadline', () => {
    const soon = reminderFor(status({ dueAt: '2026-06-02' }), 7)!;
    const late = reminderFor(status({ dueAt: '2026-05-02' }), 7)!;
    expect(reminderKey(5, soon)).to.not.equal(reminderKey(5, late));
    expect(reminderKey(5, soon)).to.not.equal(reminderKey(6, soon));
    expect(reminderKey(5, soon)).to.equal(reminderKey(5, { ...soon }));
  });
});

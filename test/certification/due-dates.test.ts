import { expect } from 'chai';
import { dueDateFor } from '../../server/certification/due-dates.js';

const ZONE = 'Asia/Shanghai';

describe('due dates', () => {
  it('a fixed date applies to everyone', () => {
    expect(dueDateFor({ dueDate: '2026-09-30', dueDays: null, dueBasis: 'assignment' }, '2026-01-01', new Date('2026-06-01T00:00:00Z'), ZONE)).to.equal('2026-09-30');
  });

  it('counts days after assignment from the local day of enrolment (16:00Z is already the next day in Shanghai)', () => {
    const rule = { dueDate: null, dueDays: 30, dueBasis: 'assignment' as const };
    expect(dueDateFor(rule, null, new Date('2026-06-01T15:59:59Z'), ZONE)).to.equal('2026-07-01');
    expect(dueDateFor(rule, null, new Date('2026-06-01T16:00:00Z'), ZONE)).to.equal('2026-07-02');
    expect(dueDateFor(rule, null, new Date('2026-06-01T16:00:00Z'), 'UTC')).to.equal('2026-07-01');
  });

  it('counts days after hire for new hires, and from enrolment for staff hired long before', () => {
    const rule = { dueDate: null, dueDays: 14, dueBasis: 'hire' as const };
    const enrolled = new Date('2026-06-10T02:00:00Z');
    expect(dueDateFor(rule, '2026-06-08', enrolled, ZONE)).to.equal('2026-06-22');
    expect(dueDateFor(rule, '2026-05-27', enrolled, ZONE), 'hire + 14 is the enrolment day itself').to.equal('2026-06-10');
    expect(dueDateFor(rule, '2026-05-26', enrolled, ZONE)).to.equal('2026-06-24');
    expect(dueDateFor(rule, null, enrolled, ZONE), 'no hire date').to.equal('2026-06-24');
  });
});

/** The actions the LMS writes to the audit log: the choices of the log page's action filter. */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.login_refused', 'auth.sessions_ended', 'auth.account_created',
  'auth.invitation_sent', 'auth.invitation_accepted', 'auth.reset_requested', 'auth.password_reset',
  'user.create', 'user.update', 'user.transfer', 'user.leave', 'user.password', 'role.grant', 'role.revoke',
  'branch.create', 'branch.update', 'roster.import', 'token.create', 'token.revoke',
  'course.upload', 'course.update', 'course.publish', 'course.retire', 'course.draft', 'assignment.create',
  'attempt.start', 'attempt.try', 'attempt.result', 'enrollment.retake', 'certificate.issue', 'certificate.revoke',
  'report.export', 'evidence.export',
  'assignment.update', 'assignment.delete', 'learner.remind', 'exam.settings', 'exam.start', 'exam.submit',
  'question.create', 'question.edit', 'question.retire', 'question_bank.create', 'question_bank.import',
] as const;

export function isAuditAction(value: string): boolean {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

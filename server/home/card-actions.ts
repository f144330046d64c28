/**
 * What to do next on a course card and the result page: one primary action, the rest secondary,
 * and why nothing can be done when that is so. Pure.
 */
import type { HomeCourse } from './employee-home.service.js';

export interface CardAction {
  kind: 'lessons' | 'exam' | 'certificate' | 'result'; labelKey: string; path: string;
  /** The exam's state ('start' / 'resume') on the exam action, for scripts and tests. */
  examLink?: 'start' | 'resume';
}

export interface CardActions {
  primary: CardAction | null;
  secondary: CardAction[];
  /** Why there is no way forward without a trainer: 'lessons' or 'exam' attempts used up. */
  blockedBy: 'lessons' | 'exam' | null;
}

type ActionFacts = Pick<HomeCourse, 'code' | 'status' | 'canLaunch' | 'isLocked' | 'launchKind' | 'certificate' | 'exam' | 'attempts' | 'progress'>;

/** @param examLink the exam's state for this learner (ExamService.linkFor): open to start, running, or closed. */
export function cardActions(c: ActionFacts, examLink: 'start' | 'resume' | null, options: { onResultPage?: boolean } = {}): CardActions {
  const code = encodeURIComponent(c.code);
  const isCertified = c.status === 'certified' || c.status === 'expiring';
  const examExhausted = c.exam !== null && !isCertified && examLink === null && c.exam.left === 0;
  // With the lessons done, only the exam is left to pass: opening them again is a review, not a retake.
  const lessonsDone = c.exam !== null && c.progress === 100;
  const lessons: CardAction | null = c.canLaunch
    ? { kind: 'lessons', labelKey: `home.employee.launch.${(examExhausted || lessonsDone) && c.launchKind === 'retake' ? 'review' : c.launchKind}`, path: `/learn/${code}` }
    : null;
  const exam: CardAction | null = examLink === null ? null : {
    kind: 'exam', path: `/learn/${code}/exam`, examLink,
    labelKey: examLink === 'resume' ? 'exams.start.resume' : (c.exam?.used ?? 0) > 0 ? 'learner.actions.retakeExam' : 'learner.actions.takeExam',
  };
  const certificate: CardAction | null = c.certificate ? { kind: 'certificate', labelKey: 'learner.actions.downloadCertificate', path: `/certificates/${encodeURIComponent(c.certificate.serial)}.pdf` } : null;
  const hasResult = c.attempts.some((a) => a.finishedOn !== null) || (c.exam?.used ?? 0) > 0;
  const result: CardAction | null = hasResult && !options.onResultPage ? { kind: 'result', labelKey: 'learner.actions.result', path: `/learn/${code}/result` } : null;

  let primary: CardAction | null;
  if (examLink === 'resume') primary = exam;
  else if (c.launchKind === 'resume' && lessons) primary = lessons;
  else if (isCertified && !(c.launchKind === 'renew')) primary = certificate ?? lessons;
  else if (exam && c.launchKind !== 'start') primary = exam;
  else if (examExhausted) primary = null;
  else primary = lessons ?? exam;
  const secondary = [lessons, exam, certificate, result].filter((a): a is CardAction => a !== null && a !== primary);
  const blockedBy = primary !== null || isCertified ? null : examExhausted ? 'exam' : c.isLocked ? 'lessons' : null;
  return { primary, secondary, blockedBy };
}

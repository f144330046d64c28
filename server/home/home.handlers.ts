import type { RequestHandler } from 'express';
import type { EmployeeHomeService } from './employee-home.service.js';
import type { CourseService } from '../courses/course.service.js';
import { NotFoundError } from '../errors.js';
import { countdown } from './countdown.js';
import { cardView, localTitle, outcomeOf, reminderView } from './home-view.js';

export interface HomeHandlerDeps {
  employeeHome: EmployeeHomeService; courses: CourseService;
  /** The course exam's state for the learner (ExamService.linkFor). */
  examLink: (userId: number, courseCode: string) => Promise<'start' | 'resume' | null>;
  dueSoonDays: number;
  /** Reminders a trainer sent from the learner list (shown for a while on the home page). */
  trainerReminders: (userId: number) => Promise<Array<{ courseCode: string; courseTitle: string; sentAt: string }>>;
}

/** The learner's own pages: the home with reminders and cards, a course's result, their certificates. */
export function homeHandlers(deps: HomeHandlerDeps) {
  const { employeeHome, dueSoonDays } = deps;

  const employeeHomePage: RequestHandler = async (req, res) => {
    const { locale, t } = res.locals;
    const userId = req.user!.id;
    const home = await employeeHome.homeOf(userId);
    const courses = await Promise.all(home.courses.map(async (c) => cardView(c, await deps.examLink(userId, c.code), locale, { dueSoonDays })));
    const enrolled = new Set(courses.map((c) => c.code));
    const others = (await deps.courses.listPublished()).filter((c) => !enrolled.has(c.code))
      .map((c) => ({ code: c.code, displayTitle: localTitle(c, locale), displayDescription: locale === 'en' && c.descriptionEn ? c.descriptionEn : c.description }));
    res.render('home/employee', {
      title: t('home.employee.title'), courses, others, reminders: home.reminders.map((r) => reminderView(r, locale)), trainerReminders: await deps.trainerReminders(userId),
    });
  };

  /** Where the player and the exam send the learner when they finish: the outcome and what comes next. */
  const resultPage: RequestHandler = async (req, res) => {
    const { locale, t } = res.locals;
    const userId = req.user!.id;
    const code = String(req.params.code);
    const course = await employeeHome.courseOf(userId, code);
    if (!course) throw new NotFoundError('You are not enrolled in this course');
    const examLink = await deps.examLink(userId, code);
    const card = cardView(course, examLink, locale, { dueSoonDays, onResultPage: true });
    const outcome = outcomeOf(course, examLink);
    res.render('home/result', { title: t('learner.result.title', { course: card.displayTitle }), course: card, outcome, latest: course.attempts[0] ?? null });
  };

  const certificatesPage: RequestHandler = async (req, res) => {
    const { locale, t } = res.locals;
    const certificates = (await employeeHome.certificatesOf(req.user!.id)).map((c) => ({ ...c, displayTitle: localTitle(c, locale), countdown: countdown(c.daysLeft) }));
    res.render('home/certificates', { title: t('learner.certificates.title'), certificates });
  };

  return { employeeHomePage, resultPage, certificatesPage };
}

import { Router, type Request, type RequestHandler, type Response } from 'express';
import { requireRole } from '../auth/guards.js';
import { canSeeBranch, reportingScopes, hasRole } from '../auth/principal.js';
import { parseInput } from '../http/validate.js';
import { formHandler } from '../http/forms.js';
import type { CoursesStore } from '../courses/courses.repository.js';
import type { Assignment, CertificationStore } from './certification.repository.js';
import type { CertificationService } from './certification.service.js';
import { assignmentSchema } from './assignments.schemas.js';

function assignmentJson(a: Assignment, courseCode: string) {
  return {
    id: a.id, course: courseCode, branchId: a.branchId, includeSubBranches: a.includeSubBranches, positions: a.positions,
    dueDate: a.dueDate, dueDays: a.dueDays, dueBasis: a.dueBasis, createdAt: a.createdAt,
  };
}

/** Trainers and hr assign published courses to branch subtrees and/or positions (API and page). */
export function assignmentsRoutes(deps: { certification: CertificationService; repository: CertificationStore; courses: CoursesStore }): Router {
  const assigners = requireRole('trainer', 'hr');
  const router = Router();

  router.post('/api/assignments', assigners, (async (req, res) => {
    const input = parseInput(assignmentSchema, req.body ?? {});
    const { assignment, enrolled, course } = await deps.certification.createAssignment(req.user!, input);
    res.status(201).json({ assignment: assignmentJson(assignment, course.code), enrolled });
  }) as RequestHandler);

  const visibleAssignments = async (req: Request) => {
    const all = await deps.repository.listAssignmentsWithNames();
    const user = req.user!;
    if (hasRole(user, 'trainer') || reportingScopes(user) === null) return all;
    return all.filter((a) => a.branchPath !== null && canSeeBranch(user, a.branchPath));
  };

  const renderPage = async (req: Request, res: Response, state: { values?: unknown; errors?: Record<string, string> } = {}) => {
    const courses = await deps.courses.list('published');
    res.render('assignments/index', {
      title: res.locals.t('assignments.title'), courses, assignments: await visibleAssignments(req),
      values: state.values ?? { includeSubBranches: 'true', dueBasis: 'assignment' }, errors: state.errors ?? {},
      created: typeof req.query.created === 'string' ? req.query.created : null,
    });
  };

  router.get('/assignments', assigners, (async (req, res) => renderPage(req, res)) as RequestHandler);
  router.get('/api/assignments', assigners, (async (req, res) => {
    res.json({ assignments: (await visibleAssignments(req)).map((a) => ({ ...assignmentJson(a, a.courseCode), branch: a.branchCode, enrolled: a.enrolled })) });
  }) as RequestHandler);
  router.post('/assignments', assigners, formHandler(assignmentSchema, async (data, req, res) => {
    const { enrolled } = await deps.certification.createAssignment(req.user!, data);
    res.redirect(`${res.locals.baseUrl}/assignments?created=${enrolled}`);
  }, renderPage));
  return router;
}

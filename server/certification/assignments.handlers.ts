import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { hasRole, reportingScopes, canSeeBranch } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';
import { formHandler } from '../http/forms.js';
import { parseInput } from '../http/validate.js';
import type { CoursesStore } from '../courses/courses.repository.js';
import type { BranchesStore } from '../org/branches.repository.js';
import type { Assignment, AssignmentChange, CertificationStore } from './certification.repository.js';
import type { CertificationService } from './certification.service.js';
import { assignmentSchema, type AssignmentInput } from './assignments.schemas.js';

export interface AssignmentsDeps { certification: CertificationService; repository: CertificationStore; courses: CoursesStore; branches: BranchesStore }

function assignmentJson(a: Assignment, courseCode: string) {
  return {
    id: a.id, course: courseCode, branchId: a.branchId, includeSubBranches: a.includeSubBranches, positions: a.positions,
    dueDate: a.dueDate, dueDays: a.dueDays, dueBasis: a.dueBasis, createdAt: a.createdAt,
  };
}

type T = (key: string, vars?: object) => string;

/** What an edit or removal does, in sentences for the confirmation step. */
export function changeSentences(t: T, change: AssignmentChange, isRemoval: boolean): string[] {
  const lines: string[] = [];
  if (!isRemoval && change.kept > 0) {
    const due = change.newDueDates.length === 1 ? change.newDueDates[0] : change.newDueDates.length > 1 ? t('assignmentEdit.variousDates', { first: change.newDueDates[0] }) : t('assignmentEdit.noDue');
    lines.push(change.dueChanged > 0 ? t('assignmentEdit.keptNewDue', { count: change.kept, date: due, changed: change.dueChanged }) : t('assignmentEdit.keptSameDue', { count: change.kept }));
  }
  if (change.added > 0) lines.push(t('assignmentEdit.added', { count: change.added }));
  if (change.released > 0) lines.push(t('assignmentEdit.released', { count: change.released }));
  if (change.removed > 0) lines.push(t('assignmentEdit.removed', { count: change.removed }));
  if (lines.length === 0) lines.push(t('assignmentEdit.nobody'));
  return lines;
}

export function assignmentsHandlers(deps: AssignmentsDeps) {
  const idOf = (req: Request) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError('Assignment not found');
    return id;
  };

  const visibleAssignments = async (req: Request) => {
    const all = await deps.repository.listAssignmentsWithNames();
    const user = req.user!;
    if (hasRole(user, 'trainer') || reportingScopes(user) === null) return all;
    return all.filter((a) => a.branchPath !== null && canSeeBranch(user, a.branchPath));
  };

  /** Form values from a stored assignment (branch as its code, positions as a list). */
  const valuesOf = async (a: Assignment) => {
    const branch = a.branchId === null ? null : await deps.branches.findById(a.branchId);
    return {
      branch: branch?.code ?? '', branchName: branch?.name ?? '', includeSubBranches: String(a.includeSubBranches), positions: a.positions,
      dueDate: a.dueDate ?? '', dueDays: a.dueDays === null ? '' : String(a.dueDays), dueBasis: a.dueBasis,
    };
  };

  /** The positions to tick: the roster's values, plus any already chosen that the roster no longer has. */
  const positionChoices = async (chosen: unknown) => {
    const picked = Array.isArray(chosen) ? chosen.map(String) : typeof chosen === 'string' && chosen ? chosen.split(/[,，\n]/).map((p) => p.trim()).filter(Boolean) : [];
    const all = [...new Set([...await deps.repository.distinctPositions(), ...picked])].sort();
    return all.map((name, i) => ({ name, id: `position-${i}`, checked: picked.includes(name) }));
  };

  const branchNameOf = async (values: unknown) => {
    const code = (values as { branch?: unknown } | null)?.branch;
    if (typeof code !== 'string' || !code) return '';
    return (await deps.branches.findByCode(code))?.name ?? '';
  };

  const renderPage = async (req: Request, res: Response, state: { values?: unknown; errors?: Record<string, string> } = {}) => {
    const courses = await deps.courses.list('published');
    const values = (state.values ?? { includeSubBranches: 'true', dueBasis: 'assignment' }) as Record<string, unknown>;
    const notice = typeof req.query.updated === 'string' ? 'updated' : typeof req.query.removed === 'string' ? 'removed' : null;
    res.render('assignments/index', {
      title: res.locals.t('assignments.title'), courses, assignments: await visibleAssignments(req),
      values, branchName: await branchNameOf(values), positions: await positionChoices(values.positions), errors: state.errors ?? {},
      created: typeof req.query.created === 'string' ? req.query.created : null, notice,
    });
  };

  const renderEdit = async (req: Request, res: Response, state: { values?: unknown; errors?: Record<string, string> } = {}) => {
    const assignment = (await visibleAssignments(req)).find((a) => a.id === idOf(req));
    if (!assignment) throw new NotFoundError('Assignment not found');
    const values = (state.values ?? await valuesOf(assignment)) as Record<string, unknown>;
    res.render('assignments/edit', {
      title: res.locals.t('assignmentEdit.title'), assignment, values, branchName: await branchNameOf(values),
      positions: await positionChoices(values.positions), errors: state.errors ?? {},
    });
  };

  const createApi: RequestHandler = async (req, res) => {
    const input = parseInput(assignmentSchema, req.body ?? {});
    const { assignment, enrolled, course } = await deps.certification.createAssignment(req.user!, input);
    res.status(201).json({ assignment: assignmentJson(assignment, course.code), enrolled });
  };

  const listApi: RequestHandler = async (req, res) => {
    res.json({ assignments: (await visibleAssignments(req)).map((a) => ({ ...assignmentJson(a, a.courseCode), branch: a.branchCode, enrolled: a.enrolled })) });
  };

  const page: RequestHandler = (req, res) => renderPage(req, res);

  const create = formHandler(assignmentSchema, async (data, req, res) => {
    const { enrolled } = await deps.certification.createAssignment(req.user!, data);
    res.redirect(`${res.locals.baseUrl}/assignments?created=${enrolled}`);
  }, renderPage);

  const edit: RequestHandler = (req, res) => renderEdit(req, res);

  /** Course is fixed by the assignment: the form does not send it. */
  const editSchema = z.preprocess((v) => ({ ...(v as object), course: '-' }), assignmentSchema);

  /** First post: the confirmation saying what happens; second (confirm=yes): saved. */
  const update = formHandler(editSchema, async (data, req, res) => {
    const input = data as AssignmentInput;
    const apply = (req.body as { confirm?: unknown }).confirm === 'yes';
    const { assignment, change } = await deps.certification.changeAssignment(req.user!, idOf(req), input, apply);
    if (apply) return res.redirect(`${res.locals.baseUrl}/assignments?updated=${assignment.id}`);
    const t = res.locals.t as T;
    const listing = (await visibleAssignments(req)).find((a) => a.id === assignment.id);
    res.render('assignments/confirm', {
      title: t('assignmentEdit.confirmTitle'), isRemoval: false, assignmentId: assignment.id, listing, sentences: changeSentences(t, change, false),
      hidden: hiddenFields(req.body as Record<string, unknown>), action: `/assignments/${assignment.id}`,
    });
  }, renderEdit);

  const removePreview: RequestHandler = async (req, res) => {
    const { assignment, change } = await deps.certification.changeAssignment(req.user!, idOf(req), null, false);
    const t = res.locals.t as T;
    const listing = (await visibleAssignments(req)).find((a) => a.id === assignment.id);
    res.render('assignments/confirm', {
      title: t('assignmentEdit.removeTitle'), isRemoval: true, assignmentId: assignment.id, listing, sentences: changeSentences(t, change, true),
      hidden: [], action: `/assignments/${assignment.id}/remove`,
    });
  };

  const remove: RequestHandler = async (req, res) => {
    await deps.certification.changeAssignment(req.user!, idOf(req), null, true);
    res.redirect(`${res.locals.baseUrl}/assignments?removed=1`);
  };

  return { createApi, listApi, page, create, edit, update, removePreview, remove };
}

/** The submitted form again as hidden fields for the confirm step (arrays as repeated fields). */
function hiddenFields(body: Record<string, unknown>): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const name of ['branch', 'includeSubBranches', 'positions', 'dueDate', 'dueDays', 'dueBasis']) {
    const value = body[name];
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.push({ name, value: String(v).slice(0, 200) });
  }
  return out;
}

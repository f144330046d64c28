import type { Request, RequestHandler, Response } from 'express';
import type { OrgService } from './org.service.js';
import type { AuditLogService } from '../audit/audit-log.service.js';
import { auditEntriesView } from '../audit/audit-view-model.js';
import { ROLES, type Role } from './users.repository.js';
import { branchFormSchema, listQuerySchema, roleGrantSchema, userFormSchema } from './org.schemas.js';
import { formHandler } from '../http/forms.js';
import { parseInput } from '../http/validate.js';
import { NotFoundError } from '../errors.js';

function idParam(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError('Not found');
  return id;
}

export function adminHandlers(deps: { org: OrgService; auditLog: AuditLogService; counts: () => Promise<{ users: number; branches: number }> }) {
  const { org } = deps;
  const base = (res: Response) => res.locals.baseUrl;

  const dashboard: RequestHandler = async (_req, res) => {
    const recent = await deps.auditLog.page({ person: null, action: null, from: null, to: null, before: null }, 20);
    res.render('admin/index', { title: res.locals.t('admin.title'), counts: await deps.counts(), events: auditEntriesView(recent.entries, res.locals.t) });
  };

  const listUsers: RequestHandler = async (req, res) => {
    const query = parseInput(listQuerySchema, req.query);
    const page = await org.searchUsers(query.q, query.after);
    res.render('admin/users', { title: res.locals.t('admin.users.title'), q: query.q ?? '', page });
  };

  const renderUserForm = async (req: Request, res: Response, state: { values: unknown; errors: Record<string, string> }) => {
    const id = req.params.id ? idParam(req) : null;
    const user = id ? await org.getUser(id) : null;
    res.render('admin/user-form', { title: res.locals.t(user ? 'admin.users.edit' : 'admin.users.new'), user, values: state.values, errors: state.errors, roles: ROLES });
  };

  const newUser: RequestHandler = (req, res) => renderUserForm(req, res, { values: { status: 'active' }, errors: {} });

  const editUser: RequestHandler = async (req, res) => {
    const user = await org.getUser(idParam(req));
    await renderUserForm(req, res, { values: { ...user, branchCode: user.branchCode ?? '' }, errors: {} });
  };

  const createUser = formHandler(userFormSchema, async (data, req, res) => {
    const user = await org.createUser(data, req.user!.id);
    res.redirect(`${base(res)}/admin/users/${user.id}`);
  }, renderUserForm);

  const updateUser = formHandler(userFormSchema, async (data, req, res) => {
    const user = await org.updateUser(idParam(req), data, req.user!.id);
    res.redirect(`${base(res)}/admin/users/${user.id}`);
  }, renderUserForm);

  const grantRole = formHandler(roleGrantSchema, async (data, req, res) => {
    const id = idParam(req);
    await org.grantRole(id, data.role as Role, { branchCode: data.scopeBranchCode, wholeBank: data.wholeBank }, req.user!.id);
    res.redirect(`${base(res)}/admin/users/${id}`);
  }, async (req, res, state) => {
    const user = await org.getUser(idParam(req));
    res.render('admin/user-form', { title: res.locals.t('admin.users.edit'), user, values: { ...user, branchCode: user.branchCode ?? '' }, roleValues: state.values, roleErrors: state.errors, errors: {}, roles: ROLES });
  });

  const revokeRole: RequestHandler = async (req, res) => {
    const id = idParam(req);
    const grantId = Number(req.params.grantId);
    if (!Number.isSafeInteger(grantId)) throw new NotFoundError('Not found');
    await org.revokeRole(id, grantId, req.user!.id);
    res.redirect(`${base(res)}/admin/users/${id}`);
  };

  const listBranches: RequestHandler = async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const after = typeof req.query.after === 'string' ? req.query.after.slice(0, 32) : undefined;
    const page = await org.searchBranches(q || null, after);
    res.render('admin/branches', { title: res.locals.t('admin.branches.title'), q, page });
  };

  const renderBranchForm = async (req: Request, res: Response, state: { values: unknown; errors: Record<string, string> }) => {
    const branch = req.params.id ? await org.getBranch(idParam(req)) : null;
    res.render('admin/branch-form', { title: res.locals.t(branch ? 'admin.branches.edit' : 'admin.branches.new'), branch, values: state.values, errors: state.errors });
  };

  const newBranch: RequestHandler = (req, res) => renderBranchForm(req, res, { values: { parentCode: typeof req.query.parent === 'string' ? req.query.parent : '' }, errors: {} });

  const editBranch: RequestHandler = async (req, res) => {
    const branch = await org.getBranch(idParam(req));
    await renderBranchForm(req, res, { values: { code: branch.code, name: branch.name, parentCode: branch.parentCode ?? '' }, errors: {} });
  };

  const createBranch = formHandler(branchFormSchema, async (data, req, res) => {
    await org.createBranch(data, req.user!.id);
    res.redirect(`${base(res)}/admin/branches?q=${encodeURIComponent(data.code)}`);
  }, renderBranchForm);

  const updateBranch = formHandler(branchFormSchema, async (data, req, res) => {
    await org.updateBranch(idParam(req), data, req.user!.id);
    res.redirect(`${base(res)}/admin/branches?q=${encodeURIComponent(data.code)}`);
  }, renderBranchForm);

  return { dashboard, listUsers, newUser, editUser, createUser, updateUser, grantRole, revokeRole, listBranches, newBranch, editBranch, createBranch, updateBranch };
}

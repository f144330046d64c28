import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { PasswordLinksService } from './password-links.service.js';
import type { UsersStore } from '../../org/users.repository.js';
import type { BranchesStore } from '../../org/branches.repository.js';
import type { Logger } from '../../logger.js';
import { resolveInviteScope, type InviteTarget } from './invitation-scope.js';
import { reportingScopes } from '../principal.js';
import { AppError, ValidationError } from '../../errors.js';
import { fieldErrors, parseInput } from '../../http/validate.js';

export interface PasswordLinksHandlerDeps {
  links: PasswordLinksService; users: UsersStore; branches: BranchesStore; logger: Logger;
}

const inviteForm = z.object({
  target: z.enum(['person', 'branch', 'everyone']),
  person: z.string().trim().max(64).optional(),
  branchCode: z.string().trim().max(32).optional(),
  resend: z.literal('1').optional(),
});

export function passwordLinksHandlers(deps: PasswordLinksHandlerDeps) {
  const { links } = deps;

  const showInvite: RequestHandler = (req, res) => {
    res.render('auth/invite', {
      title: res.locals.t('signin.invite.title'), canInviteEveryone: reportingScopes(req.user!) === null,
      canSend: links.canSend, values: { target: 'person' },
    });
  };

  const invite: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const render = (status: number, extra: object) => res.status(status).render('auth/invite', {
      title: res.locals.t('signin.invite.title'), canInviteEveryone: reportingScopes(req.user!) === null, canSend: links.canSend, values: body, ...extra,
    });
    try {
      const form = parseInput(inviteForm, body);
      const target: InviteTarget = form.target === 'person' ? { person: required(form.person, 'person') }
        : form.target === 'branch' ? { branchCode: required(form.branchCode, 'branchCode') } : { everyone: true };
      const scope = await resolveInviteScope(deps, req.user!, target);
      if ('userId' in scope) {
        const report = await links.invite(scope, req.user!.id, { resend: form.resend === '1' });
        return render(200, { done: res.locals.t(report.invited ? 'signin.invite.sentOne' : 'signin.invite.noneToSend') });
      }
      // A subtree or the bank may be hundreds of thousands of people: the run continues after the answer.
      links.assertCanSend();
      void links.invite(scope, req.user!.id, { resend: form.resend === '1' })
        .catch((error: unknown) => deps.logger.error({ err: error }, '[auth] invitation run failed'));
      render(202, { done: res.locals.t('signin.invite.started') });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const errors = fieldErrors(error.problems, res.locals.t);
      if (!error.problems.length) errors._form = res.locals.t(`signin.errors.${error.code}`, { defaultValue: error.message });
      render(error.status, { errors });
    }
  };

  const showForgot: RequestHandler = (_req, res) => {
    res.render('auth/forgot', { title: res.locals.t('signin.forgot.title'), canSend: links.canSend });
  };

  const forgot: RequestHandler = (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email : '';
    links.requestReset(email, req.ip ?? 'unknown');
    // One answer for every address, known or not.
    res.render('auth/forgot', { title: res.locals.t('signin.forgot.title'), canSend: links.canSend, sent: true });
  };

  const showSetPassword: RequestHandler = async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const holder = await links.checkToken(token);
    if (!holder) return res.status(410).render('auth/set-password', { title: res.locals.t('signin.setPassword.title'), invalid: true });
    res.render('auth/set-password', { title: res.locals.t('signin.setPassword.title'), token, username: holder.username });
  };

  const setPassword: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const title = res.locals.t('signin.setPassword.title');
    if (password !== body.confirm) {
      const holder = await links.checkToken(token);
      return res.status(422).render('auth/set-password', { title, token, username: holder?.username, invalid: !holder, errors: { confirm: res.locals.t('signin.setPassword.mismatch') } });
    }
    try {
      await links.setPassword(token, password, req.sessionID ?? null);
      res.render('auth/set-password', { title, done: true });
    } catch (error) {
      if (error instanceof ValidationError) {
        const holder = await links.checkToken(token);
        return res.status(422).render('auth/set-password', { title, token, username: holder?.username, errors: fieldErrors(error.problems, res.locals.t) });
      }
      if (error instanceof AppError && error.code === 'LINK_INVALID') return res.status(410).render('auth/set-password', { title, invalid: true });
      throw error;
    }
  };

  return { showInvite, invite, showForgot, forgot, showSetPassword, setPassword };
}

function required(value: string | undefined, path: string): string {
  if (!value) throw new ValidationError('Required', [{ code: 'REQUIRED', message: 'Required', path }]);
  return value;
}

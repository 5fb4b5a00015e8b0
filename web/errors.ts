import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ProblemError, problemCodes } from '../api/problem';
import { type Permission, permissionDescriptions } from '../domain/permissions';
import type { Logger } from '../platform/logger';
import { render } from './render';

/** Error pages of the screens: the API's problems, told as a person would need them. */

/** Where to come back to after signing in: this page, or for a form post the page it was on. */
export function returnPath(req: Request): string {
  if (req.method === 'GET') return req.originalUrl;
  const referer = req.get('Referer');
  if (referer !== undefined && URL.canParse(referer)) {
    const url = new URL(referer);
    if (url.host === req.get('host')) return `${url.pathname}${url.search}`;
  }
  return '/';
}

export function redirectToSignIn(req: Request, res: Response): void {
  res.redirect(303, `/sign-in?next=${encodeURIComponent(returnPath(req))}`);
}

export function renderForbidden(res: Response, permission: Permission | null, detail?: string) {
  render(
    res,
    'errors/forbidden.njk',
    {
      permission,
      permissionDescription: permission === null ? null : permissionDescriptions[permission],
      detail,
    },
    403,
  );
}

export function renderNotFound(res: Response, detail?: string) {
  render(res, 'errors/not-found.njk', { detail }, 404);
}

/** The permission a `forbidden` problem names (`requirePermission` puts it in the errors). */
function permissionIn(problem: ProblemError): Permission | null {
  const named = problem.errors.find((error) => error.field === 'permission');
  const match = named === undefined ? null : /lacks (\S+)$/.exec(named.message);
  return match === null ? null : (match[1] as Permission);
}

function renderProblem(error: ProblemError, req: Request, res: Response, logger: Logger): void {
  switch (error.code) {
    case 'unauthorized':
      redirectToSignIn(req, res);
      return;
    case 'forbidden':
      renderForbidden(res, permissionIn(error), error.detail);
      return;
    case 'not_found':
      renderNotFound(res, error.detail);
      return;
    case 'validation_failed':
      // A malformed id in the address is a page that cannot exist, not a form to correct.
      if (error.errors.length > 0 && error.errors.every((e) => e.field.startsWith('params.'))) {
        renderNotFound(res);
        return;
      }
      render(res, 'errors/problem.njk', { title: 'There is a problem', problem: error }, 400);
      return;
    default: {
      const { status, title } = problemCodes[error.code];
      if (status >= 500) logger.warn({ err: error }, 'web page: dependency failed');
      render(res, 'errors/problem.njk', { title, problem: error }, status);
    }
  }
}

/** Renders whatever a page threw; anything but a ProblemError is our fault and is logged. */
export function renderError(error: unknown, req: Request, res: Response, logger: Logger): void {
  if (res.headersSent) {
    logger.error({ err: error }, 'web page failed after answering');
    return;
  }
  if (error instanceof ProblemError) {
    renderProblem(error, req, res, logger);
    return;
  }
  logger.error({ err: error }, 'web page failed');
  render(res, 'errors/server.njk', {}, 500);
}

const wantsHtml = (req: Request) =>
  !req.path.startsWith('/v1/') && req.accepts(['application/json', 'text/html']) === 'text/html';

/**
 * For unknown GET paths outside /v1 that a browser asked for: a 'page not found' page instead
 * of problem+json. Mount after every router, before the API's not-found handler.
 */
export const webNotFound: RequestHandler = (req, res, next) => {
  if ((req.method === 'GET' || req.method === 'HEAD') && wantsHtml(req)) {
    renderNotFound(res);
    return;
  }
  next();
};

/**
 * For errors raised before a page ran (e.g. a form whose CSRF token expired) on browser
 * requests outside /v1: an error page rather than JSON. Mount before the API's error handler.
 */
export function webErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!wantsHtml(req)) return next(error);
    renderError(error, req, res, logger);
  };
}

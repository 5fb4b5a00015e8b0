import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { withCouncil } from '../../db/councils';
import {
  councilOfCredential,
  findLiveApiKey,
  grantOf,
  type SessionTimeouts,
  touchSession,
  type UserRow,
} from '../../db/identity';
import { defaultCouncilId, isCouncilId } from '../../domain/council';
import type { Actor } from '../actor';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { notifyCallbackPath } from '../routes/emails';

export const sessionCookie = 'ims_session';
export const csrfHeader = 'X-CSRF-Token';
export const csrfField = '_csrf';

export type AuthSettings = SessionTimeouts & {
  /** Secure cookies need HTTPS; off only for plain-HTTP development. */
  secureCookies: boolean;
};

export const defaultAuthSettings: AuthSettings = {
  idleMs: 30 * 60_000,
  absoluteMs: 10 * 3_600_000,
  secureCookies: false,
};

export function actorFromUser(user: UserRow, csrfToken?: string): Actor {
  return {
    id: user.username,
    kind: 'user',
    displayName: user.displayName,
    ...grantOf(user),
    csrfToken,
    councilId: user.councilId,
  };
}

/** One cookie's value from the Cookie header; no parser library for one name. */
export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      // A malformed value (`%` alone) is no credential, not a reason to fail the request.
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** GOV.UK Notify's callbacks carry Notify's bearer token, not an IMS key (api/routes/emails.ts). */
const foreignBearerPaths = new Set([notifyCallbackPath]);

function bearerOf(req: Request): string | undefined {
  if (foreignBearerPaths.has(req.path)) return undefined;
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) {
    throw new ProblemError('unauthorized', 'The Authorization header must be "Bearer <API key>"');
  }
  return match[1];
}

/**
 * Sets `res.locals.actor`: from an API key (`Authorization: Bearer`), else from the session
 * cookie, else anonymous. A key that is presented but wrong is refused here (401) rather than
 * treated as anonymous, so a misconfigured integration hears why at once. Which routes need
 * which permission is the route table's business (`access`), not this middleware's.
 */
export function authenticate(ctx: ApiContext, settings: AuthSettings): RequestHandler {
  return async (req, res, next) => {
    try {
      const key = bearerOf(req);
      if (key !== undefined) {
        // The key names its council; the key itself is then read under that council's rules.
        const councilId = await councilOfCredential(ctx.sql, 'api_key', key);
        const row =
          councilId === null
            ? null
            : await withCouncil(councilId, () => findLiveApiKey(ctx.db, key));
        if (row === null) {
          throw new ProblemError('unauthorized', 'The API key is unknown, expired or revoked');
        }
        res.locals.actor = {
          id: row.principal,
          kind: 'api_key',
          displayName: row.description,
          ...grantOf(row),
          councilId: row.councilId,
        } satisfies Actor;
        return next();
      }
      const token = cookieValue(req, sessionCookie);
      if (token !== undefined) {
        const councilId = await councilOfCredential(ctx.sql, 'session', token);
        const session =
          councilId === null
            ? null
            : await withCouncil(councilId, () => touchSession(ctx.db, token, settings));
        if (session !== null) {
          res.locals.actor = actorFromUser(session.user, session.csrfToken);
          res.locals.sessionToken = token;
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Cookie-authenticated changes must carry the session's CSRF token (a form field or header):
 * a cross-site form can make the browser send the cookie but cannot read the token. API keys
 * are not sent by browsers on their own, so they need none. Runs after the body parsers.
 */
export const requireCsrf: RequestHandler = (req, res, next) => {
  const actor = res.locals.actor as Actor | undefined;
  if (safeMethods.has(req.method) || actor?.kind !== 'user') return next();
  const fromBody =
    typeof req.body === 'object' && req.body !== null && !Buffer.isBuffer(req.body)
      ? (req.body as Record<string, unknown>)[csrfField]
      : undefined;
  // A multipart body is streamed by its route (busboy), not parsed here: upload forms send the
  // token in the action's query string instead.
  const fromQuery = req.is('multipart/form-data') ? req.query[csrfField] : undefined;
  const sent = req.get(csrfHeader) ?? fromBody ?? fromQuery;
  if (
    typeof sent === 'string' &&
    actor.csrfToken !== undefined &&
    sameSecret(sent, actor.csrfToken)
  )
    return next();
  next(
    new ProblemError(
      'forbidden',
      'The form has expired or did not come from the IMS: reload the page and try again',
    ),
  );
};

export function setSessionCookie(res: Response, token: string, settings: AuthSettings): void {
  res.cookie(sessionCookie, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
    path: '/',
    maxAge: settings.absoluteMs,
  });
}

export function clearSessionCookie(res: Response, settings: AuthSettings): void {
  res.clearCookie(sessionCookie, {
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
    path: '/',
  });
}

/**
 * Runs the rest of the request in its council: the signed-in user's or the key's. A caller not
 * signed in acts in the council it names (`council` in the query or form: the sign-in page of a
 * shared deployment) or the default one; every route but the public few refuses such a caller
 * before touching data. Placed after the body parsers, whose stream callbacks would lose it.
 */
export const councilScope: RequestHandler = (req, res, next) => {
  const actor = res.locals.actor as Actor | undefined;
  const councilId = actor?.councilId ?? requestedCouncil(req) ?? defaultCouncilId;
  res.locals.councilId = councilId;
  withCouncil(councilId, next);
};

function requestedCouncil(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const named =
    typeof body === 'object' && body !== null && !Buffer.isBuffer(body) ? body.council : undefined;
  const value = typeof named === 'string' && named !== '' ? named : req.query.council;
  return typeof value === 'string' && isCouncilId(value) ? value : undefined;
}

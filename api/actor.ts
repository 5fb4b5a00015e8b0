import type { Request, Response } from 'express';
import type { AuditMeta } from '../db/configWrites';
import type { FundScope, Permission } from '../domain/permissions';
import { ProblemError } from './problem';

export type { Permission } from '../domain/permissions';

/**
 * Who is acting, for the audit log and for permission checks. The authentication middleware
 * (`api/auth/authenticate.ts`) sets it from a session cookie or an API key; nothing a caller
 * merely claims (a header, a form field) ever names the actor.
 */
export type Actor = {
  /** The username, or the API key's principal; what audit rows record. */
  id: string;
  kind: 'user' | 'api_key' | 'anonymous';
  displayName: string;
  permissions: ReadonlySet<Permission>;
  fundScope: FundScope;
  /** The session's CSRF token, for cookie-authenticated callers. */
  csrfToken?: string;
  /** The council whose user or key this is; absent for anonymous callers. */
  councilId?: string;
};

export const anonymousActorId = 'anonymous';

export const anonymousActor: Actor = {
  id: anonymousActorId,
  kind: 'anonymous',
  displayName: 'Not signed in',
  permissions: new Set(),
  fundScope: new Set(),
};

/** The acting user: anonymous when the authentication middleware found no credential. */
export function actorOf(_req: Request, res: Response): Actor {
  return (res.locals.actor as Actor | undefined) ?? anonymousActor;
}

/** Who, why and which request, for the audit row of a change made through the API. */
export function auditMetaOf(
  { req, res }: { req: Request; res: Response },
  reason: string | undefined,
): AuditMeta {
  const meta: AuditMeta = { actor: actorOf(req, res).id, requestId: String(res.locals.requestId) };
  if (reason !== undefined) meta.reason = reason;
  return meta;
}

/**
 * Refuses an actor without the permission: 401 when nobody is signed in, 403 otherwise. Routes
 * declare their permission (`access`) and are checked before the handler runs; handlers call
 * this for a second permission that depends on the input (e.g. overriding a stop).
 */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (actor.permissions.has(permission)) return;
  if (actor.kind === 'anonymous') {
    throw new ProblemError('unauthorized', 'Sign in, or send an API key as a Bearer token');
  }
  throw new ProblemError('forbidden', `This needs the ${permission} permission`, [
    { field: 'permission', message: `${actor.id} lacks ${permission}` },
  ]);
}

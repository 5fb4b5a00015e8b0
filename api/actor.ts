import type { Request, RequestHandler, Response } from 'express';
import type { AuditMeta } from '../db/configWrites';
import type { onStopOverridePermission } from '../domain/allocationCheck';
import { workSettingsFrom } from '../platform/config';
import { ProblemError } from './problem';

/**
 * Who is acting, for the audit log and for permission checks.
 *
 * Sign-in does not exist yet. Until it does, the caller names itself in the `X-Actor` header
 * (a plain token, `anonymous` when absent) and that name goes into audit rows — and nothing
 * more: a header is never trusted for permissions, so every API caller holds none. The later
 * sign-in issue replaces `resolveActor` with one that reads the authenticated session and its
 * role's permissions; handlers keep calling `actorOf` and do not change.
 */

export type Permission =
  | 'view'
  | 'configure'
  | typeof onStopOverridePermission
  | 'suspense.work'
  | 'journal.post'
  | 'refund.request'
  | 'refund.approve'
  | 'writeoff.approve';

export type Actor = { id: string; permissions: ReadonlySet<Permission> };

export const actorHeader = 'X-Actor';
export const anonymousActorId = 'anonymous';

const safeActorId = /^[A-Za-z0-9._@-]{1,64}$/;
const noPermissions: ReadonlySet<Permission> = new Set();

/**
 * Refuses an unsafe id rather than replacing it, because a silently renamed actor would make
 * the audit log lie. `system:` ids (no colon is allowed) are reserved for the IMS itself.
 */
function actorFromRequest(req: Request): Actor {
  const claimed = req.get(actorHeader);
  if (claimed === undefined || claimed === '') {
    return { id: anonymousActorId, permissions: noPermissions };
  }
  if (!safeActorId.test(claimed)) {
    throw new ProblemError('validation_failed', `The ${actorHeader} header is not valid`, [
      {
        field: `headers.${actorHeader.toLowerCase()}`,
        message: 'must be 1 to 64 letters, digits, ".", "_", "@" or "-"',
      },
    ]);
  }
  return { id: claimed, permissions: noPermissions };
}

/** Middleware form: sets `res.locals.actor` for every request. */
export const resolveActor: RequestHandler = (req, res, next) => {
  res.locals.actor = actorFromRequest(req);
  next();
};

/** The acting user; resolves it on first use when the middleware has not run. */
export function actorOf(req: Request, res: Response): Actor {
  if (res.locals.actor === undefined) res.locals.actor = actorFromRequest(req);
  return res.locals.actor as Actor;
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
 * Refuses an actor without the permission, when `IMS_ENFORCE_PERMISSIONS=true`. Until sign-in
 * exists no caller holds any permission, so enforcing would refuse everyone; the flag stays off
 * by default and the calls stay in place, so turning it on needs no code change. Four-eyes
 * (approver ≠ requester) does not depend on this flag: it is always enforced by actor id.
 */
export function requirePermission(
  actor: Actor,
  permission: Permission,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (!workSettingsFrom(env).IMS_ENFORCE_PERMISSIONS) return;
  if (actor.permissions.has(permission)) return;
  throw new ProblemError('forbidden', `This needs the ${permission} permission`, [
    { field: `headers.${actorHeader.toLowerCase()}`, message: `lacks ${permission}` },
  ]);
}

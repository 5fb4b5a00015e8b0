import { inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/executor';
import {
  type ApiKeyRow,
  createApiKey,
  createUser,
  findUserById,
  findUserByUsername,
  listApiKeys,
  listUsers,
  revokeApiKey,
  type UserPatch,
  type UserRow,
  updateUser,
} from '../../db/identity';
import { apiKeys, fundGroups } from '../../db/schema';
import type { Permission } from '../../domain/permissions';
import { type Actor, actorOf, auditMetaOf } from '../actor';
import { hashPassword } from '../auth/passwords';
import type { ApiContext } from '../context';
import { mapDatabaseErrors } from '../dbErrors';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import {
  apiKeyListSchema,
  apiKeyParams,
  apiKeySchema,
  createApiKeyBody,
  createdApiKeySchema,
  createUserBody,
  currentPrincipalSchema,
  updateUserBody,
  userListSchema,
  userParams,
  userSchema,
} from '../schemas/identity';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

function toUser(row: UserRow) {
  return {
    userId: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    hasPassword: row.passwordHash !== null,
    linkedIdentity: row.oidcSubject !== null,
    permissions: row.permissions,
    fundGroups: row.fundGroups,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt.toISOString(),
    lastSignInAt: iso(row.lastSignInAt),
  };
}

function toApiKey(row: ApiKeyRow) {
  return {
    keyId: row.id,
    principal: row.principal,
    description: row.description,
    permissions: row.permissions,
    fundGroups: row.fundGroups,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

/** A scope naming a fund group that does not exist would silently grant nothing: refuse it. */
async function checkFundGroups(db: Executor, codes: string[] | null | undefined): Promise<void> {
  if (codes === null || codes === undefined || codes.length === 0) return;
  const found = await db
    .select({ code: fundGroups.code })
    .from(fundGroups)
    .where(inArray(fundGroups.code, codes));
  const known = new Set(found.map((row) => row.code));
  const errors = codes.flatMap((code, index) =>
    known.has(code)
      ? []
      : [{ field: `body.fundGroups[${index}]`, message: `no fund group ${code}` }],
  );
  if (errors.length > 0) {
    throw new ProblemError('validation_failed', 'A fund group does not exist', errors);
  }
}

/**
 * Nobody grants more than they hold: every permission given must be one the caller has, and a
 * caller limited to some fund groups can only give those groups (never "all"). Otherwise
 * `configure` alone would be a way to every other permission.
 */
function checkGrant(
  caller: Actor,
  permissions: readonly string[] | undefined,
  fundGroups: readonly string[] | null | undefined,
): void {
  const errors: { field: string; message: string }[] = [];
  (permissions ?? []).forEach((permission, index) => {
    if (!caller.permissions.has(permission as Permission)) {
      errors.push({
        field: `body.permissions[${index}]`,
        message: `you do not hold ${permission}`,
      });
    }
  });
  if (caller.fundScope !== 'all' && fundGroups !== undefined) {
    const scope = caller.fundScope;
    if (fundGroups === null) {
      errors.push({ field: 'body.fundGroups', message: 'you may not grant every fund group' });
    } else {
      fundGroups.forEach((code, index) => {
        if (!scope.has(code))
          errors.push({
            field: `body.fundGroups[${index}]`,
            message: `${code} is not yours to grant`,
          });
      });
    }
  }
  if (errors.length > 0)
    throw new ProblemError('forbidden', 'You cannot grant more than you hold', errors);
}

/**
 * An API key acts under its principal's name in the audit trail and in four-eyes checks, so a
 * principal may not be a staff member's username (nor a username an existing principal).
 */
async function checkNameIsFree(
  db: Executor,
  name: string,
  field: string,
  against: 'users' | 'api_keys',
): Promise<void> {
  const taken =
    against === 'users'
      ? (await findUserByUsername(db, name)) !== null
      : (
          await db
            .select({ id: apiKeys.id })
            .from(apiKeys)
            .where(sql`lower(${apiKeys.principal}) = lower(${name})`)
        ).length > 0;
  if (taken) {
    throw new ProblemError(
      'conflict',
      `${name} already names a ${against === 'users' ? 'user' : 'API key'}`,
      [{ field, message: 'must not be the name of a user or of another API key’s principal' }],
    );
  }
}

/** Staff accounts and integration keys: configuration, so `configure` throughout. */
export function identityRoutes(ctx: ApiContext) {
  const write = <T>(work: (tx: Executor) => Promise<T>) =>
    mapDatabaseErrors(() => ctx.db.transaction((tx) => work(tx)));
  const access = { permission: 'configure' } as const;
  const tags = ['users and API keys'];

  return [
    defineRoute({
      method: 'get',
      path: '/v1/me',
      operationId: 'getCurrentPrincipal',
      access: { permission: 'view' },
      summary: 'Who the credential belongs to and what it may do (and a session’s CSRF token)',
      tags,
      successStatus: 200,
      success: { description: 'The caller', schema: currentPrincipalSchema },
      handler: async ({ req, res }) => {
        const actor = actorOf(req, res);
        return {
          id: actor.id,
          kind: actor.kind === 'user' ? ('user' as const) : ('api_key' as const),
          displayName: actor.displayName,
          permissions: [...actor.permissions],
          fundGroups: actor.fundScope === 'all' ? null : [...actor.fundScope],
          csrfToken: actor.csrfToken,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/users',
      operationId: 'listUsers',
      access,
      summary: 'Staff accounts, with their permissions and fund groups',
      tags,
      successStatus: 200,
      success: { description: 'Every user, disabled ones included', schema: userListSchema },
      handler: async () => ({ items: (await listUsers(ctx.db)).map(toUser) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/users',
      operationId: 'createUser',
      access,
      summary: 'Create a staff account (a password, or sign-in through the identity provider)',
      tags,
      body: createUserBody,
      successStatus: 201,
      success: { description: 'The account', schema: userSchema },
      errors: { 409: 'The username is taken' },
      handler: async ({ body, req, res }) => {
        checkGrant(actorOf(req, res), body.permissions, body.fundGroups);
        await checkFundGroups(ctx.db, body.fundGroups);
        await checkNameIsFree(ctx.db, body.username, 'body.username', 'api_keys');
        const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
        const row = await write((tx) =>
          createUser(
            tx,
            {
              username: body.username,
              displayName: body.displayName,
              email: body.email ?? null,
              passwordHash,
              permissions: body.permissions,
              fundGroups: body.fundGroups,
            },
            auditMetaOf({ req, res }, body.reason),
          ),
        );
        return replyWith(toUser(row), { Location: `/v1/users/${row.id}` });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/users/:userId',
      operationId: 'getUser',
      access,
      summary: 'One staff account',
      tags,
      params: userParams,
      successStatus: 200,
      success: { description: 'The account', schema: userSchema },
      errors: { 404: 'No such user' },
      handler: async ({ params }) => {
        const row = await findUserById(ctx.db, params.userId);
        if (row === null) throw new ProblemError('not_found', `No user ${params.userId}`);
        return toUser(row);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/users/:userId',
      operationId: 'updateUser',
      access,
      summary:
        'Change permissions, fund groups, password or details; disable or enable (ends sessions)',
      tags,
      params: userParams,
      body: updateUserBody,
      successStatus: 200,
      success: { description: 'The account after the change', schema: userSchema },
      errors: { 404: 'No such user' },
      handler: async ({ params, body, req, res }) => {
        checkGrant(actorOf(req, res), body.permissions, body.fundGroups);
        await checkFundGroups(ctx.db, body.fundGroups);
        const { password, reason, ...rest } = body;
        const patch: UserPatch = { ...rest };
        if (password !== undefined) patch.passwordHash = await hashPassword(password);
        const row = await write((tx) =>
          updateUser(tx, params.userId, patch, auditMetaOf({ req, res }, reason)),
        );
        if (row === null) throw new ProblemError('not_found', `No user ${params.userId}`);
        return toUser(row);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/api-keys',
      operationId: 'listApiKeys',
      access,
      summary: 'Integration API keys (never their secrets)',
      tags,
      successStatus: 200,
      success: { description: 'Every key, revoked ones included', schema: apiKeyListSchema },
      handler: async () => ({ items: (await listApiKeys(ctx.db)).map(toApiKey) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/api-keys',
      operationId: 'createApiKey',
      access,
      summary: 'Create an API key for an integration; the secret is in this response only',
      tags,
      body: createApiKeyBody,
      successStatus: 201,
      success: { description: 'The key and its secret', schema: createdApiKeySchema },
      handler: async ({ body, req, res }) => {
        checkGrant(actorOf(req, res), body.permissions, body.fundGroups);
        await checkFundGroups(ctx.db, body.fundGroups);
        await checkNameIsFree(ctx.db, body.principal, 'body.principal', 'users');
        const created = await write((tx) =>
          createApiKey(
            tx,
            {
              principal: body.principal,
              description: body.description,
              permissions: body.permissions,
              fundGroups: body.fundGroups,
              expiresAt: body.expiresAt === undefined ? null : new Date(body.expiresAt),
            },
            auditMetaOf({ req, res }, body.reason),
          ),
        );
        return replyWith(
          { apiKey: toApiKey(created.row), key: created.key },
          { Location: `/v1/api-keys/${created.row.id}`, 'Cache-Control': 'no-store' },
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/api-keys/:keyId/revoke',
      operationId: 'revokeApiKey',
      access,
      summary: 'Revoke an API key at once (kept, for the audit trail)',
      tags,
      params: apiKeyParams,
      successStatus: 200,
      success: { description: 'The revoked key', schema: apiKeySchema },
      errors: { 404: 'No such key' },
      handler: async ({ params, req, res }) => {
        const row = await write((tx) =>
          revokeApiKey(tx, params.keyId, auditMetaOf({ req, res }, undefined)),
        );
        if (row === null) throw new ProblemError('not_found', `No API key ${params.keyId}`);
        return toApiKey(row);
      },
    }),
  ];
}

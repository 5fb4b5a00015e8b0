import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { newId } from '../domain/ids';
import { type FundScope, isPermission, type Permission } from '../domain/permissions';
import { recordAudit } from './audit';
import type { Sql } from './client';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { apiKeys, sessions, users } from './schema';

/**
 * Staff accounts, browser sessions and integration API keys. Passwords are hashed by the
 * caller (argon2 lives in api/auth, off the database path); this module stores and finds.
 */

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** What a signed-in principal may do, from its stored permissions and fund groups. */
export type Grant = { permissions: ReadonlySet<Permission>; fundScope: FundScope };

export function grantOf(row: { permissions: string[]; fundGroups: string[] | null }): Grant {
  return {
    // A permission removed from the code since it was granted is ignored rather than trusted.
    permissions: new Set(row.permissions.filter(isPermission)),
    fundScope: row.fundGroups === null ? 'all' : new Set(row.fundGroups),
  };
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

// ---- users ----------------------------------------------------------------------------------

export type NewUser = {
  username: string;
  displayName: string;
  email?: string | null;
  passwordHash?: string | null;
  permissions: Permission[];
  /** null: every fund group. */
  fundGroups: string[] | null;
};

/** A user's public view: never the password hash. */
export type UserView = Omit<UserRow, 'passwordHash'> & { hasPassword: boolean };

export function toUserView({ passwordHash, ...rest }: UserRow): UserView {
  return { ...rest, hasPassword: passwordHash !== null };
}

export async function createUser(tx: Executor, input: NewUser, meta: AuditMeta): Promise<UserRow> {
  const [row] = await tx
    .insert(users)
    .values({
      id: newId('user'),
      username: input.username,
      displayName: input.displayName,
      email: input.email ?? null,
      passwordHash: input.passwordHash ?? null,
      permissions: input.permissions,
      fundGroups: input.fundGroups,
    })
    .returning();
  await recordAudit(tx, {
    ...meta,
    action: 'user.create',
    entityType: 'user',
    entityId: row!.id,
    after: toUserView(row!),
  });
  return row!;
}

export type UserPatch = Partial<
  Pick<NewUser, 'displayName' | 'email' | 'passwordHash' | 'permissions' | 'fundGroups'>
> & { disabled?: boolean };

/** Locks, patches and audits one user; null when there is none. */
export async function updateUser(
  tx: Executor,
  userId: string,
  patch: UserPatch,
  meta: AuditMeta,
): Promise<UserRow | null> {
  const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (before === undefined) return null;
  const { disabled, ...fields } = patch;
  const values: Partial<UserRow> = { ...fields };
  if (disabled !== undefined) values.disabledAt = disabled ? new Date() : null;
  const [after] = await tx.update(users).set(values).where(eq(users.id, userId)).returning();
  // A disabled user, or one whose password changed, loses every open session at once.
  if (disabled === true || patch.passwordHash !== undefined) {
    await tx
      .update(sessions)
      .set({ endedAt: new Date() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)));
  }
  const verb = disabled === true ? 'disable' : disabled === false ? 'enable' : 'update';
  await recordAudit(tx, {
    ...meta,
    action: `user.${verb}`,
    entityType: 'user',
    entityId: userId,
    before: toUserView(before),
    after: toUserView(after!),
  });
  return after!;
}

export async function findUserByUsername(db: Executor, username: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return row ?? null;
}

export async function findUserById(db: Executor, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row ?? null;
}

export async function listUsers(db: Executor) {
  return db.select().from(users).orderBy(asc(users.username));
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row!.n;
}

/**
 * The user an identity provider vouched for: the one already linked to the subject, else the
 * enabled user whose email matches the claim, which is then linked. Nobody is created here:
 * the council decides who has an account and what it may do.
 */
export async function linkOidcUser(
  tx: Executor,
  claims: { issuer: string; subject: string; email: string | undefined },
): Promise<UserRow | null> {
  const [linked] = await tx
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, claims.issuer), eq(users.oidcSubject, claims.subject)));
  if (linked !== undefined) return linked;
  if (claims.email === undefined) return null;
  const [byEmail] = await tx
    .select()
    .from(users)
    .where(
      and(
        sql`lower(${users.email}) = lower(${claims.email})`,
        isNull(users.oidcSubject),
        // A disabled account is not linked: re-enabling it should not inherit a stranger's login.
        isNull(users.disabledAt),
      ),
    )
    .for('update');
  if (byEmail === undefined) return null;
  const [row] = await tx
    .update(users)
    .set({ oidcIssuer: claims.issuer, oidcSubject: claims.subject })
    .where(eq(users.id, byEmail.id))
    .returning();
  await recordAudit(tx, {
    actor: row!.username,
    action: 'user.link_identity',
    entityType: 'user',
    entityId: row!.id,
    after: { oidcIssuer: claims.issuer, oidcSubject: claims.subject },
  });
  return row!;
}

// ---- sessions -------------------------------------------------------------------------------

export type SessionTimeouts = { idleMs: number; absoluteMs: number };

export async function createSession(
  db: Executor,
  userId: string,
  timeouts: SessionTimeouts,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  await db.insert(sessions).values({
    tokenHash: sha256Hex(token),
    userId,
    csrfToken,
    expiresAt: new Date(Date.now() + timeouts.absoluteMs),
  });
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, userId));
  return { token, csrfToken };
}

/**
 * The live session for a cookie token, sliding its idle timeout; null when it is unknown,
 * ended, past its absolute expiry, idle too long, or its user is disabled.
 */
export async function touchSession(
  db: Executor,
  token: string,
  timeouts: SessionTimeouts,
): Promise<{ user: UserRow; csrfToken: string } | null> {
  const idleSince = new Date(Date.now() - timeouts.idleMs);
  const [live] = await db
    .update(sessions)
    .set({ lastSeenAt: new Date() })
    .where(
      and(
        eq(sessions.tokenHash, sha256Hex(token)),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, new Date()),
        gt(sessions.lastSeenAt, idleSince),
      ),
    )
    .returning({ userId: sessions.userId, csrfToken: sessions.csrfToken });
  if (live === undefined) return null;
  const user = await findUserById(db, live.userId);
  if (user === null || user.disabledAt !== null) return null;
  return { user, csrfToken: live.csrfToken };
}

export async function endSession(db: Executor, token: string): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: new Date() })
    .where(and(eq(sessions.tokenHash, sha256Hex(token)), isNull(sessions.endedAt)));
}

// ---- API keys -------------------------------------------------------------------------------

export type NewApiKey = {
  principal: string;
  description: string;
  permissions: Permission[];
  fundGroups: string[] | null;
  expiresAt?: Date | null;
};

export const apiKeyPrefix = 'ims_';

export type ApiKeyView = Omit<ApiKeyRow, 'secretHash'>;

export function toApiKeyView({ secretHash, ...rest }: ApiKeyRow): ApiKeyView {
  return rest;
}

/** Stores a new key without an audit row: for createApiKey, and for test fixtures. */
export async function insertApiKey(
  tx: Executor,
  input: NewApiKey,
  createdBy: string,
): Promise<{ row: ApiKeyRow; key: string }> {
  const key = `${apiKeyPrefix}${randomToken()}`;
  const [row] = await tx
    .insert(apiKeys)
    .values({
      id: newId('apiKey'),
      secretHash: sha256Hex(key),
      principal: input.principal,
      description: input.description,
      permissions: input.permissions,
      fundGroups: input.fundGroups,
      createdBy,
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  return { row: row!, key };
}

/** Creates a key and returns it in clear once; only its hash is kept. */
export async function createApiKey(
  tx: Executor,
  input: NewApiKey,
  meta: AuditMeta,
): Promise<{ row: ApiKeyRow; key: string }> {
  const created = await insertApiKey(tx, input, meta.actor);
  await recordAudit(tx, {
    ...meta,
    action: 'api_key.create',
    entityType: 'api_key',
    entityId: created.row.id,
    after: toApiKeyView(created.row),
  });
  return created;
}

export async function revokeApiKey(
  tx: Executor,
  keyId: string,
  meta: AuditMeta,
): Promise<ApiKeyRow | null> {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, keyId))
    .returning();
  if (row === undefined) return null;
  await recordAudit(tx, {
    ...meta,
    action: 'api_key.revoke',
    entityType: 'api_key',
    entityId: keyId,
    after: toApiKeyView(row),
  });
  return row;
}

export async function listApiKeys(db: Executor) {
  return db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt));
}

/** The live key for a presented secret, marking it used at most once a minute. */
export async function findLiveApiKey(db: Executor, key: string): Promise<ApiKeyRow | null> {
  if (!key.startsWith(apiKeyPrefix)) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.secretHash, sha256Hex(key)),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
      ),
    );
  if (row === undefined) return null;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiKeys.id, row.id),
        or(isNull(apiKeys.lastUsedAt), sql`${apiKeys.lastUsedAt} < now() - interval '1 minute'`),
      ),
    );
  return row;
}

// ---- Which council a credential belongs to ---------------------------------------------------

/**
 * The council of a presented API key or session token, before any council is in scope. Asks the
 * owner-run functions of migration 0011 by the secret's SHA-256; null when nobody issued it.
 */
export async function councilOfCredential(
  sql: Sql,
  kind: 'api_key' | 'session',
  secret: string,
): Promise<string | null> {
  const hash = sha256Hex(secret);
  const rows =
    kind === 'api_key'
      ? await sql<{ council: string | null }[]>`select ims_council_of_api_key(${hash}) as council`
      : await sql<{ council: string | null }[]>`select ims_council_of_session(${hash}) as council`;
  return rows[0]?.council ?? null;
}

import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt } from './columns';

/**
 * Staff accounts. A password hash (argon2id) for the embedded sign-in, or an OpenID Connect
 * subject linked on first sign-in through the council's identity provider; either or both.
 * `fund_groups` NULL means every fund; otherwise the user sees only those groups' funds.
 * Accounts are disabled, never deleted: the audit trail keeps naming them.
 */
export const users = pgTable(
  'users',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    passwordHash: text('password_hash'),
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    fundGroups: text('fund_groups').array(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    uniqueIndex('users_username').on(t.councilId, sql`lower(${t.username})`),
    uniqueIndex('users_oidc').on(t.councilId, t.oidcIssuer, t.oidcSubject),
  ],
);

/**
 * Signed-in browser sessions. The cookie holds a random token; only its SHA-256 is stored, so
 * a copy of this table signs nobody in. Each session has its own CSRF token for forms.
 */
export const sessions = pgTable(
  'sessions',
  {
    councilId: councilId(),
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ columns: [t.councilId, t.userId], foreignColumns: [users.councilId, users.id] }),
    index('sessions_user').on(t.userId),
  ],
);

/**
 * Integration credentials. The key is shown once at creation; the table keeps its SHA-256
 * (the key is 256 random bits, so a slow hash adds nothing). Revoked keys stay for the audit.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    councilId: councilId(),
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    /** Who acts when the key is used: what audit rows record. */
    principal: text('principal').notNull(),
    description: text('description').notNull(),
    permissions: text('permissions').array().notNull(),
    fundGroups: text('fund_groups').array(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_secret_hash').on(t.secretHash)],
);

import { z } from 'zod';
import { permissions } from '../../domain/permissions';
import { minimumPasswordLength } from '../auth/passwords';
import { codeSchema, nameSchema, reasonSchema } from './common';

/** Users and API keys. Neither view ever carries a password hash or a key hash. */

/** A name that goes into every audit row: plain, short, and never `system:…` (ours). */
export const principalSchema = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1 to 64 letters, digits, ".", "_", "@" or "-"');

const permissionListSchema = z.array(z.enum(permissions)).max(permissions.length);

/** null: every fund group; a list: only those groups' funds. */
const fundGroupsSchema = z.array(codeSchema).max(100).nullable();

const passwordSchema = z
  .string()
  .min(minimumPasswordLength, `must be at least ${minimumPasswordLength} characters`)
  .max(256);

export const userParams = z.object({ userId: z.string().min(1) });

export const createUserBody = z.strictObject({
  username: principalSchema,
  displayName: nameSchema,
  email: z.email().optional(),
  password: passwordSchema.optional(),
  permissions: permissionListSchema,
  fundGroups: fundGroupsSchema,
  reason: reasonSchema,
});

export const updateUserBody = z.strictObject({
  displayName: nameSchema.optional(),
  email: z.email().nullable().optional(),
  password: passwordSchema.optional(),
  permissions: permissionListSchema.optional(),
  fundGroups: fundGroupsSchema.optional(),
  disabled: z.boolean().optional(),
  reason: reasonSchema,
});

const instant = z.string().nullable();

export const userSchema = z
  .object({
    userId: z.string(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    hasPassword: z.boolean(),
    linkedIdentity: z.boolean().describe('Signed in through the identity provider at least once'),
    permissions: z.array(z.string()),
    fundGroups: z.array(z.string()).nullable(),
    disabled: z.boolean(),
    createdAt: z.string(),
    lastSignInAt: instant,
  })
  .meta({ id: 'User' });

export const userListSchema = z.object({ items: z.array(userSchema) });

export const apiKeyParams = z.object({ keyId: z.string().min(1) });

export const createApiKeyBody = z.strictObject({
  principal: principalSchema.describe('Who acts when the key is used: what the audit records'),
  description: nameSchema,
  permissions: permissionListSchema.min(1),
  fundGroups: fundGroupsSchema,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  reason: reasonSchema,
});

export const apiKeySchema = z
  .object({
    keyId: z.string(),
    principal: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    fundGroups: z.array(z.string()).nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: instant,
    revokedAt: instant,
    lastUsedAt: instant,
  })
  .meta({ id: 'ApiKey' });

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });

export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    key: z.string().describe('The secret, shown this once: send it as `Authorization: Bearer …`'),
  })
  .meta({ id: 'CreatedApiKey' });

export const currentPrincipalSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['user', 'api_key']),
    displayName: z.string(),
    permissions: z.array(z.string()),
    fundGroups: z.array(z.string()).nullable(),
    csrfToken: z
      .string()
      .optional()
      .describe('For a signed-in browser: send it as X-CSRF-Token on changes made with the cookie'),
  })
  .meta({ id: 'CurrentPrincipal' });

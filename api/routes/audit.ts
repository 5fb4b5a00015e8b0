import { z } from 'zod';
import { type AuditCursor, searchAudit } from '../../db/audit';
import type { ApiContext } from '../context';
import { defineRoute } from '../route';

/** Searching the audit log: who changed what, when and why, newest first. */

function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.id])).toString('base64url');
}

const cursorSchema = z
  .string()
  .max(200)
  .transform((text, ctx): AuditCursor => {
    try {
      const [occurredAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      if (typeof occurredAt === 'string' && typeof id === 'string') return { occurredAt, id };
    } catch {
      // Falls through to the issue below: a cursor is only ever one we handed out.
    }
    ctx.addIssue({ code: 'custom', message: 'must be a nextCursor from a previous page' });
    return z.NEVER;
  });

const auditRecordSchema = z
  .object({
    id: z.string(),
    occurredAt: z.string(),
    actor: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    reason: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditRecord' });

const timeSchema = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

export function auditRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/audit',
      operationId: 'searchAudit',
      access: { permission: 'audit.read' },
      summary: 'Search the audit log, newest first',
      tags: ['audit'],
      query: z.object({
        actor: z.string().trim().min(1).max(100).optional().describe('Exactly this actor'),
        action: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .optional()
          .describe('Actions starting with this, e.g. `user.` or `fund.update`'),
        entityType: z.string().max(50).optional(),
        entityId: z.string().max(100).optional(),
        from: timeSchema.optional().describe('Changes at or after this time'),
        to: timeSchema.optional().describe('Changes at or before this time'),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: cursorSchema.optional().describe('nextCursor from the previous page'),
      }),
      successStatus: 200,
      success: {
        description: 'One page of audit records',
        schema: z.object({ items: z.array(auditRecordSchema), nextCursor: z.string().nullable() }),
      },
      handler: async ({ query }) => {
        const { records, next } = await searchAudit(ctx.db, { ...query, after: query.cursor });
        return { items: records, nextCursor: next === null ? null : encodeCursor(next) };
      },
    }),
  ];
}

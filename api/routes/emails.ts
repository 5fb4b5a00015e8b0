import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type EmailRow, getEmail, recordNotifyStatus, searchEmails } from '../../db/emailMessages';
import {
  listNotifyTemplates,
  replaceNotifyTemplates,
  unknownTemplateFunds,
} from '../../db/notifyTemplates';
import { type EmailStatus, emailStatuses, parseNotifyReference } from '../../domain/email';
import { workSettingsFrom } from '../../platform/config';
import { withCouncil } from '../../platform/councilScope';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { reasonSchema } from '../schemas/common';
import {
  emailIdSchema,
  emailPage,
  emailPageQuery,
  emailView,
  notifyCallbackBody,
  notifyTemplateList,
} from '../schemas/email';

/**
 * Payer email (docs/email.md): the email log for operations, the council's Notify templates for
 * configuration, and the receiver of GOV.UK Notify's delivery-status callbacks.
 */
const tags = ['email'];

/** Notify's callback path: authenticate() leaves its Authorization header to this route. */
export const notifyCallbackPath = '/v1/notify/callbacks';

function viewOf(row: EmailRow): z.infer<typeof emailView> {
  return {
    id: row.id,
    outboxId: row.outboxId,
    purpose: row.purpose as z.infer<typeof emailView>['purpose'],
    paymentId: row.sourceId,
    fundCode: row.fundCode,
    templateId: row.templateId,
    status: row.status as EmailStatus,
    notifyId: row.notifyId,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

function sameToken(sent: string | undefined, expected: string): boolean {
  const a = Buffer.from(sent ?? '');
  const b = Buffer.from(`Bearer ${expected}`);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function emailRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/emails',
      operationId: 'listEmails',
      access: { permission: 'operations' },
      summary: 'The email log, newest first (e.g. status=failed); no addresses are kept in it',
      tags,
      query: emailPageQuery,
      successStatus: 200,
      success: { description: 'One page of emails', schema: emailPage },
      handler: async ({ query }) => {
        const rows = await searchEmails(ctx.db, {
          ...query,
          ...(query.paymentId === undefined ? {} : { sourceId: query.paymentId }),
        });
        const items = rows.map(viewOf);
        return {
          items,
          nextCursor: items.length === query.limit ? (items.at(-1)?.id ?? null) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/emails/:id',
      operationId: 'getEmail',
      access: { permission: 'operations' },
      summary: 'One email of the log',
      tags,
      params: z.object({ id: emailIdSchema }),
      successStatus: 200,
      success: { description: 'The email', schema: emailView },
      errors: { 404: 'No such email' },
      handler: async ({ params }) => {
        const row = await getEmail(ctx.db, params.id);
        if (row === null) throw new ProblemError('not_found', `No email ${params.id}`);
        return viewOf(row);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/notify-templates',
      operationId: 'listNotifyTemplates',
      access: { permission: 'configure' },
      summary: 'The GOV.UK Notify template of each email, per fund or for every fund',
      tags,
      successStatus: 200,
      success: { description: 'The templates', schema: notifyTemplateList },
      handler: async () => ({ templates: await listNotifyTemplates(ctx.db) }),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/notify-templates',
      operationId: 'replaceNotifyTemplates',
      access: { permission: 'configure' },
      summary: 'Replace the council’s Notify templates (audited)',
      tags,
      body: notifyTemplateList.extend({ reason: reasonSchema }).strict(),
      successStatus: 200,
      success: { description: 'The templates now', schema: notifyTemplateList },
      handler: async ({ body, req, res }) => {
        const problems = duplicatesOf(body.templates);
        for (const code of await unknownTemplateFunds(ctx.db, body.templates)) {
          const index = body.templates.findIndex((t) => t.fundCode === code);
          problems.push({ field: `body.templates[${index}].fundCode`, message: `no fund ${code}` });
        }
        if (problems.length > 0)
          throw new ProblemError('validation_failed', 'The templates were refused', problems);
        const templates = await replaceNotifyTemplates(
          ctx.db,
          body.templates,
          auditMetaOf({ req, res }, body.reason),
        );
        return { templates };
      },
    }),
    defineRoute({
      method: 'post',
      path: notifyCallbackPath,
      operationId: 'receiveNotifyCallback',
      access: {
        public: 'GOV.UK Notify calls it; every request carries the callback bearer token',
      },
      summary:
        'GOV.UK Notify delivery-status callback (Authorization: Bearer NOTIFY_CALLBACK_TOKEN)',
      tags,
      body: notifyCallbackBody,
      successStatus: 200,
      success: { description: 'Received', schema: z.object({ received: z.literal(true) }) },
      errors: { 401: 'Missing or wrong bearer token' },
      handler: async ({ body, req }) => {
        const token = workSettingsFrom().NOTIFY_CALLBACK_TOKEN;
        if (token === undefined || !sameToken(req.get('authorization'), token))
          throw new ProblemError('unauthorized', 'The callback bearer token is missing or wrong');
        const ours = parseNotifyReference(body.reference ?? '');
        const status = body.status as EmailStatus;
        // Not ours, or a status we do not track: acknowledged, so Notify does not retry it.
        if (ours !== null && (emailStatuses as readonly string[]).includes(status)) {
          const row = await withCouncil(ours.councilId, () =>
            recordNotifyStatus(ctx.db, ours.emailId, body.id, status),
          );
          ctx.logger.info({ emailId: ours.emailId, status, known: row !== null }, 'Notify status');
        }
        return { received: true as const };
      },
    }),
  ];
}

function duplicatesOf(templates: z.infer<typeof notifyTemplateList>['templates']) {
  const seen = new Set<string>();
  const problems: { field: string; message: string }[] = [];
  templates.forEach((t, index) => {
    const key = `${t.purpose}/${t.fundCode ?? ''}`;
    if (seen.has(key))
      problems.push({
        field: `body.templates[${index}]`,
        message: `${t.purpose} for ${t.fundCode ?? 'every fund'} is listed twice`,
      });
    seen.add(key);
  });
  return problems;
}

import { z } from 'zod';
import { emailPurposes, emailStatuses, isNotifyTemplateId } from '../../domain/email';

/** The email log and Notify templates (docs/email.md), as the API shows them. */
export const emailIdSchema = z.string().regex(/^eml_[0-9a-z]{20}$/, 'not an email id');

export const emailView = z
  .object({
    id: emailIdSchema,
    outboxId: z.string().describe('The outbox message the email was made from'),
    purpose: z.enum(emailPurposes),
    paymentId: z.string().describe('The payment whose payer it went to'),
    fundCode: z.string().nullable(),
    templateId: z.string().nullable(),
    status: z.enum(emailStatuses),
    notifyId: z.string().nullable().describe('GOV.UK Notify’s id, once it accepted the email'),
    attempts: z.number().int().describe('Tries Notify refused or did not answer'),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'EmailMessage' });

export const emailPage = z.object({
  items: z.array(emailView),
  nextCursor: z.string().nullable(),
});

export const emailPageQuery = z
  .object({
    status: z.enum(emailStatuses).optional(),
    purpose: z.enum(emailPurposes).optional(),
    paymentId: z
      .string()
      .regex(/^pay_[0-9a-z]{20}$/, 'not a payment id')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: emailIdSchema.optional().describe('Cursor: the last id of the previous page'),
  })
  .strict();

export const notifyTemplateSchema = z
  .object({
    purpose: z.enum(emailPurposes),
    fundCode: z
      .string()
      .regex(/^[A-Z0-9_]{1,20}$/, 'must be a fund code')
      .nullable()
      .describe('Null: every fund without a template of its own'),
    templateId: z
      .string()
      .refine(isNotifyTemplateId, 'must be a GOV.UK Notify template id (a UUID)'),
  })
  .strict()
  .meta({ id: 'NotifyTemplate' });

export const notifyTemplateList = z.object({ templates: z.array(notifyTemplateSchema) });

/** What GOV.UK Notify POSTs to a callback URL when an email reaches its final status. */
export const notifyCallbackBody = z
  .object({
    id: z.string().min(1),
    reference: z.string().nullable().optional(),
    status: z.string().min(1),
  })
  .passthrough();

import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { type EmailPurpose, emailPurposes, emailStatuses } from '../../domain/email';
import { apiFor } from '../api';
import { type FormErrors, noErrors } from '../forms';
import { fundsInScope } from '../funds';
import { screenNotices } from '../notices';
import { field, getPage, type Page, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

/**
 * Payer email on screen (docs/email.md): Operations → Emails, the email log with Notify's word
 * on each; and Configuration → Email templates, which GOV.UK Notify template each email uses,
 * for every fund and, where a fund needs its own wording, for that fund.
 */
const purposeNames: Record<EmailPurpose, string> = {
  payment_receipt: 'Payment receipt',
  refund_confirmation: 'Refund confirmation',
  ereturn_voided: 'Cash return voided',
};

const every = 'ALL';
const inputName = (purpose: string, fundCode: string | null) => `${purpose}__${fundCode ?? every}`;

type Template = { purpose: EmailPurpose; fundCode: string | null; templateId: string };

const noticeOf = screenNotices({ saved: 'The email templates have been saved.' });

async function templatesForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  values: Record<string, string>,
  errors: FormErrors = noErrors,
  status = 200,
) {
  const funds = (await fundsInScope(ctx, req, res)).filter((fund) => !fund.isSuspense);
  const sections = emailPurposes.map((purpose) => ({
    purpose,
    name: purposeNames[purpose],
    every: inputName(purpose, null),
    funds: funds.map((fund) => ({
      code: fund.code,
      name: fund.name,
      input: inputName(purpose, fund.code),
      hasOwn: (values[inputName(purpose, fund.code)] ?? '') !== '',
    })),
  }));
  render(
    res,
    'admin/email-templates.njk',
    { sections, values, errors, notice: noticeOf(req.query) },
    status,
  );
}

function valuesOf(templates: readonly Template[]): Record<string, string> {
  return Object.fromEntries(templates.map((t) => [inputName(t.purpose, t.fundCode), t.templateId]));
}

/** The posted inputs, as the list the API replaces, with the input each entry came from. */
function postedTemplates(body: unknown): { templates: Template[]; inputs: string[] } {
  const templates: Template[] = [];
  const inputs: string[] = [];
  const entries = Object.entries((body ?? {}) as Record<string, unknown>);
  for (const [name, raw] of entries) {
    const match = /^([a-z_]+)__([A-Z0-9_]{1,20})$/.exec(name);
    const purpose = match?.[1] as EmailPurpose | undefined;
    if (!match || purpose === undefined || !emailPurposes.includes(purpose)) continue;
    const templateId = typeof raw === 'string' ? raw.trim() : '';
    if (templateId === '') continue;
    templates.push({ purpose, fundCode: match[2] === every ? null : match[2]!, templateId });
    inputs.push(name);
  }
  return { templates, inputs };
}

async function saveTemplates(ctx: ApiContext, req: Request, res: Response) {
  const { templates, inputs } = postedTemplates(req.body);
  const values = valuesOf(templates);
  await submitForm(ctx, req, res, {
    operationId: 'replaceNotifyTemplates',
    input: { body: { templates, reason: 'Changed on the email templates screen' } },
    fields: {
      inputs: (apiField) => {
        const index = /^body\.templates\[(\d+)\]/.exec(apiField)?.[1];
        return index === undefined ? undefined : inputs[Number(index)];
      },
      labels: Object.fromEntries(inputs.map((name) => [name, 'Template ID'])),
    },
    again: (errors, status) => templatesForm(ctx, req, res, values, errors, status),
    redirect: '/configuration/email-templates?notice=saved',
  });
}

export function emailPages(ctx: ApiContext): Page[] {
  return [
    getPage('/operations/emails', { permission: 'operations' }, 'Emails', async (req, res) => {
      const status = field(req.query, 'status');
      const chosen = (emailStatuses as readonly string[]).includes(status) ? status : '';
      const page = await apiFor(
        ctx,
        req,
        res,
      )<{ items: unknown[] }>('listEmails', {
        query: { limit: '100', ...(chosen === '' ? {} : { status: chosen }) },
      });
      render(res, 'operations/emails.njk', {
        emails: page.items,
        purposeNames,
        statusItems: [
          { value: '', text: 'Any status', selected: chosen === '' },
          ...emailStatuses.map((each) => ({ value: each, text: each, selected: each === chosen })),
        ],
      });
    }),
    getPage(
      '/configuration/email-templates',
      { permission: 'configure' },
      'Email templates',
      async (req, res) => {
        const list = await apiFor(ctx, req, res)<{ templates: Template[] }>('listNotifyTemplates');
        await templatesForm(ctx, req, res, valuesOf(list.templates));
      },
    ),
    postPage('/configuration/email-templates', { permission: 'configure' }, (req, res) =>
      saveTemplates(ctx, req, res),
    ),
  ];
}

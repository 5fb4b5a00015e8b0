import type { Request, Response } from 'express';
import type { ApiContext } from '../../../api/context';
import { apiFor } from '../../api';
import { type FormErrors, noErrors, selectItems } from '../../forms';
import { screenNotices } from '../../notices';
import { field, getPage, listOf, type Page, postPage } from '../../page';
import { render } from '../../render';
import { submitForm } from '../../submit';

/**
 * Configuration → Cash desk: who takes money at which office with which methods of payment,
 * and each office's return templates (with its closing time). Both through the API.
 */

type Option = { code: string; name: string };
type Values = Record<string, string | string[]>;

const noticeOf = screenNotices({
  cashier: 'The cashier has been saved.',
  template: 'The return template has been added.',
});

const codesIn = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((code) => code.trim())
    .filter((code) => code !== '');

async function hubPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: { errors: FormErrors; values: Values; status: number } = {
    errors: noErrors,
    values: {},
    status: 200,
  },
) {
  const api = apiFor(ctx, req, res);
  const [cashiers, templates, offices, methods] = await Promise.all([
    api<{ cashiers: unknown[] }>('listCashiers', {}),
    api<{ templates: unknown[] }>('listCashReturnTemplates', {}),
    api<{ items: Option[] }>('listOffices', { query: { disabled: 'false' } }),
    api<{ items: Option[] }>('listMethodsOfPayment', { query: { disabled: 'false' } }),
  ]);
  const officeOptions = offices.items.map((office) => ({
    value: office.code,
    text: `${office.name} (${office.code})`,
  }));
  const chosen = new Set([form.values.methodOfPaymentCodes ?? []].flat());
  render(
    res,
    'admin/cash-desk.njk',
    {
      cashiers: cashiers.cashiers,
      templates: templates.templates,
      values: form.values,
      errors: form.errors,
      notice: noticeOf(req.query),
      cashierOfficeItems: selectItems(
        officeOptions,
        String(form.values.officeCode ?? ''),
        'Choose',
      ),
      templateOfficeItems: selectItems(
        officeOptions,
        String(form.values.templateOfficeCode ?? ''),
        'Choose',
      ),
      methodItems: methods.items.map((method) => ({
        value: method.code,
        text: `${method.name} (${method.code})`,
        checked: chosen.has(method.code),
      })),
    },
    form.status,
  );
}

async function saveCashier(ctx: ApiContext, req: Request, res: Response) {
  const methodOfPaymentCodes = listOf(req.body, 'methodOfPaymentCodes');
  const values = {
    actorId: field(req.body, 'actorId'),
    officeCode: field(req.body, 'officeCode'),
    methodOfPaymentCodes,
  };
  await submitForm(ctx, req, res, {
    checks: [
      values.actorId === '' && { input: 'actorId', message: 'Enter the username' },
      values.officeCode === '' && { input: 'officeCode', message: 'Choose the office' },
      methodOfPaymentCodes.length === 0 && {
        input: 'methodOfPaymentCodes',
        message: 'Choose at least one method of payment',
      },
    ],
    operationId: 'putCashier',
    input: {
      params: { actorId: values.actorId },
      body: { officeCode: values.officeCode, methodOfPaymentCodes },
    },
    fields: {
      inputs: (apiField) =>
        apiField.startsWith('body.methodOfPaymentCodes')
          ? 'methodOfPaymentCodes'
          : { 'body.officeCode': 'officeCode', 'params.actorId': 'actorId' }[apiField],
      labels: {
        actorId: 'Username',
        officeCode: 'Office',
        methodOfPaymentCodes: 'Methods of payment',
      },
    },
    again: (errors, status) => hubPage(ctx, req, res, { errors, values, status }),
    redirect: '/configuration/cash-desk?notice=cashier',
  });
}

async function addTemplate(ctx: ApiContext, req: Request, res: Response) {
  const values: Values = Object.fromEntries(
    ['templateId', 'templateOfficeCode', 'templateName', 'closesAt', 'fundCodes', 'actorIds'].map(
      (name) => [name, field(req.body, name)],
    ),
  );
  const text = (name: string) => String(values[name] ?? '');
  await submitForm(ctx, req, res, {
    checks: [
      text('templateOfficeCode') === '' && {
        input: 'templateOfficeCode',
        message: 'Choose the office',
      },
    ],
    operationId: 'createCashReturnTemplate',
    input: {
      body: {
        id: text('templateId'),
        officeCode: text('templateOfficeCode'),
        name: text('templateName'),
        ...(text('closesAt') === '' ? {} : { closesAt: text('closesAt') }),
        fundCodes: codesIn(text('fundCodes')),
        actorIds: codesIn(text('actorIds')),
      },
    },
    fields: {
      inputs: (apiField) =>
        apiField.startsWith('body.fundCodes')
          ? 'fundCodes'
          : apiField.startsWith('body.actorIds')
            ? 'actorIds'
            : {
                'body.id': 'templateId',
                'body.officeCode': 'templateOfficeCode',
                'body.name': 'templateName',
                'body.closesAt': 'closesAt',
              }[apiField],
      labels: {
        templateId: 'Template code',
        templateOfficeCode: 'Office',
        templateName: 'Name',
        closesAt: 'Closing time',
        fundCodes: 'Funds',
        actorIds: 'Cashiers',
      },
    },
    again: (errors, status) => hubPage(ctx, req, res, { errors, values, status }),
    redirect: '/configuration/cash-desk?notice=template',
  });
}

export function cashDeskConfigPages(ctx: ApiContext): Page[] {
  const access = { permission: 'configure' } as const;
  return [
    getPage('/configuration/cash-desk', access, 'Cash desk', (req, res) => hubPage(ctx, req, res)),
    postPage('/configuration/cash-desk/cashiers', access, (req, res) => saveCashier(ctx, req, res)),
    postPage('/configuration/cash-desk/templates', access, (req, res) =>
      addTemplate(ctx, req, res),
    ),
  ];
}

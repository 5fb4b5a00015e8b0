import type { Request, Response } from 'express';
import { actorOf } from '../../api/actor';
import type { ApiContext } from '../../api/context';
import { businessDateOf } from '../../domain/businessDate';
import { denominationsPence } from '../../domain/cashReturn';
import { apiFor } from '../api';
import { parsePounds } from '../format';
import { type FormError, type FormErrors, noErrors, oneInput, selectItems } from '../forms';
import { fundsInScope } from '../funds';
import { screenNotices } from '../notices';
import { field, getPage, type Page, param, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

/**
 * The cash desk: take a counter or postal payment, see its receipt (printable, or as a PDF),
 * and void one with a reason. The cashier's office and methods of payment are configuration
 * (PUT /v1/cashiers/:actorId); without them the form says so rather than failing.
 */

type Cashier = { actorId: string; officeCode: string; methodOfPaymentCodes: string[] };
type Method = { code: string; name: string };
type CounterPayment = { counterPaymentId: string };

export const counterLineRows = 4;
const tenderInputs = [
  'tendered',
  'drawer',
  'sortCode',
  'chequeNumber',
  'serialNumber',
  'authorisationCode',
] as const;

const noticeOf = screenNotices({
  taken: 'The payment has been taken.',
  voided: 'The payment has been voided: its journal is reversed.',
});

const lineInput = (name: string, index: number) => `${name}${index}`;

const fieldMap = {
  inputs: (apiField: string) => {
    const line = /^body\.lines\[(\d+)\]\.(\w+)$/.exec(apiField);
    if (line !== null) {
      const name = { fundCode: 'fund', reference: 'reference', amountPence: 'amount' }[
        line[2] as string
      ];
      return name === undefined ? undefined : lineInput(name, Number(line[1]));
    }
    return {
      'body.methodOfPaymentCode': 'methodOfPaymentCode',
      'body.tender.kind': 'tenderKind',
      'body.tender.tenderedPence': 'tendered',
      'body.tender.drawer': 'drawer',
      'body.tender.sortCode': 'sortCode',
      'body.tender.chequeNumber': 'chequeNumber',
      'body.tender.serialNumber': 'serialNumber',
      'body.tender.authorisationCode': 'authorisationCode',
      'body.email': 'email',
      'body.lines': 'fund0',
      actor: 'methodOfPaymentCode',
    }[apiField];
  },
  labels: {
    methodOfPaymentCode: 'Method of payment',
    email: 'Payer’s email address',
    tenderKind: 'How they paid',
    tendered: 'Cash handed over',
    drawer: 'Drawer',
    sortCode: 'Sort code',
    chequeNumber: 'Cheque number',
    serialNumber: 'Postal order number',
    authorisationCode: 'Authorisation code',
    ...Object.fromEntries(
      Array.from({ length: counterLineRows }, (_, index) => [
        [lineInput('fund', index), `Line ${index + 1} fund`],
        [lineInput('reference', index), `Line ${index + 1} reference`],
        [lineInput('amount', index), `Line ${index + 1} amount`],
      ]).flat(),
    ),
  },
};

/** "-12.00" is a write-back of £12: the sign is read here, the pounds as everywhere else. */
function signedPounds(text: string, label: string) {
  const negative = text.trim().startsWith('-');
  const parsed = parsePounds(text.trim().replace(/^-/, ''), label);
  return parsed.ok ? { ok: true as const, pence: negative ? -parsed.pence : parsed.pence } : parsed;
}

type Values = Record<string, string>;

function valuesOf(body: unknown): Values {
  const names = [
    'methodOfPaymentCode',
    'tenderKind',
    'email',
    ...tenderInputs,
    ...Array.from({ length: counterLineRows }, (_, index) =>
      ['fund', 'reference', 'amount', 'narrative'].map((name) => lineInput(name, index)),
    ).flat(),
  ];
  return Object.fromEntries(names.map((name) => [name, field(body, name)]));
}

function bodyOf(values: Values): { body: unknown; errors: FormError[] } {
  const errors: FormError[] = [];
  const lines = [];
  for (let index = 0; index < counterLineRows; index++) {
    const [fund, reference, amount] = ['fund', 'reference', 'amount'].map(
      (name) => values[lineInput(name, index)] ?? '',
    );
    if (fund === '' && reference === '' && amount === '') continue;
    const parsed = signedPounds(amount ?? '', `Line ${index + 1} amount`);
    if (!parsed.ok) errors.push({ input: lineInput('amount', index), message: parsed.message });
    const narrative = values[lineInput('narrative', index)] ?? '';
    lines.push({
      fundCode: fund,
      reference,
      amountPence: parsed.ok ? parsed.pence : 1,
      ...(narrative === '' ? {} : { narrative }),
    });
  }
  if (lines.length === 0) errors.push({ input: 'fund0', message: 'Enter at least one line' });
  if (values.tenderKind === '')
    errors.push({ input: 'tenderKind', message: 'Select how they paid' });
  const tendered = parsePounds(values.tendered, 'Cash handed over');
  if (values.tenderKind === 'cash' && !tendered.ok)
    errors.push({ input: 'tendered', message: tendered.message });
  const tender = {
    cash: { kind: 'cash', tenderedPence: tendered.ok ? tendered.pence : 0 },
    cheque: {
      kind: 'cheque',
      drawer: values.drawer,
      sortCode: values.sortCode,
      chequeNumber: values.chequeNumber,
    },
    postal_order: { kind: 'postal_order', serialNumber: values.serialNumber },
    pdq: { kind: 'pdq', authorisationCode: values.authorisationCode },
  }[values.tenderKind ?? ''];
  const email = values.email ?? '';
  const body = { methodOfPaymentCode: values.methodOfPaymentCode, tender, lines };
  return { body: email === '' ? body : { ...body, email }, errors };
}

async function formPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  values: Values,
  errors: FormErrors = noErrors,
  status = 200,
) {
  const api = apiFor(ctx, req, res);
  const [cashiers, methods, funds] = await Promise.all([
    api<{ cashiers: Cashier[] }>('listCashiers', {}),
    api<{ items: Method[] }>('listMethodsOfPayment', { query: { disabled: 'false' } }),
    fundsInScope(ctx, req, res),
  ]);
  const me = actorOf(req, res).id;
  const cashier = cashiers.cashiers.find((candidate) => candidate.actorId === me) ?? null;
  const methodItems = methods.items
    .filter((method) => cashier?.methodOfPaymentCodes.includes(method.code))
    .map((method) => ({ value: method.code, text: method.name }));
  const fundOptions = funds
    .filter((fund) => !fund.isSuspense)
    .map((fund) => ({ value: fund.code, text: `${fund.name} (${fund.code})` }));
  render(
    res,
    'cash-desk/new.njk',
    {
      cashier,
      values,
      errors,
      methodItems: selectItems(methodItems, values.methodOfPaymentCode ?? '', 'Choose'),
      lineRows: Array.from({ length: counterLineRows }, (_, index) => ({
        index,
        fundItems: selectItems(
          fundOptions,
          values[lineInput('fund', index)] ?? '',
          'Choose a fund',
        ),
      })),
    },
    status,
  );
}

async function takePayment(ctx: ApiContext, req: Request, res: Response) {
  const values = valuesOf(req.body);
  const { body, errors } = bodyOf(values);
  await submitForm<CounterPayment>(ctx, req, res, {
    checks: errors,
    operationId: 'takeCounterPayment',
    input: { body },
    fields: fieldMap,
    again: (formErrors, status) => formPage(ctx, req, res, values, formErrors, status),
    redirect: (payment) => `/cash-desk/payments/${payment.counterPaymentId}?notice=taken`,
  });
}

async function receiptPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: { errors: FormErrors; reason: string; status: number } = {
    errors: noErrors,
    reason: '',
    status: 200,
  },
) {
  const api = apiFor(ctx, req, res);
  const counterPaymentId = param(req, 'counterPaymentId');
  const [payment, funds] = await Promise.all([
    api<Record<string, unknown>>('getCounterPayment', { params: { counterPaymentId } }),
    fundsInScope(ctx, req, res),
  ]);
  const fundNames = Object.fromEntries(funds.map((fund) => [fund.code, fund.name]));
  render(
    res,
    'cash-desk/receipt.njk',
    { payment, fundNames, notice: noticeOf(req.query), errors: form.errors, reason: form.reason },
    form.status,
  );
}

async function voidPayment(ctx: ApiContext, req: Request, res: Response) {
  const counterPaymentId = param(req, 'counterPaymentId');
  const reason = field(req.body, 'reason');
  await submitForm(ctx, req, res, {
    checks: [reason === '' && { input: 'reason', message: 'Enter why the payment is voided' }],
    operationId: 'voidCounterPayment',
    input: { params: { counterPaymentId }, body: { reason } },
    fields: oneInput('body.reason', 'reason', 'Reason'),
    again: (errors, status) => receiptPage(ctx, req, res, { errors, reason, status }),
    redirect: `/cash-desk/payments/${counterPaymentId}?notice=voided`,
  });
}

async function homePage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const me = actorOf(req, res).id;
  const today = businessDateOf(Date.now());
  const [payments, returns] = await Promise.all([
    api<{ counterPayments: unknown[] }>('listCounterPayments', {
      query: { businessDate: today, cashier: me, limit: '200' },
    }),
    api<{ cashReturns: { returnId: string; state: string }[] }>('listCashReturns', {
      query: { businessDate: today, cashier: me, limit: '10' },
    }),
  ]);
  render(res, 'cash-desk/home.njk', {
    today,
    payments: payments.counterPayments,
    todaysReturn: returns.cashReturns.find((found) => found.state !== 'voided') ?? null,
    notice: noticeOf(req.query),
    denominations: denominationsPence,
  });
}

export function cashDeskPages(ctx: ApiContext): Page[] {
  const taker = { permission: 'payment.take' } as const;
  return [
    getPage('/cash-desk', taker, 'Cash desk', (req, res) => homePage(ctx, req, res)),
    getPage('/cash-desk/new', taker, 'Take a counter payment', (req, res) =>
      formPage(ctx, req, res, valuesOf({})),
    ),
    postPage('/cash-desk/new', taker, (req, res) => takePayment(ctx, req, res)),
    getPage(
      '/cash-desk/payments/:counterPaymentId',
      { permission: 'view' },
      'Receipt',
      (req, res) => receiptPage(ctx, req, res),
    ),
    postPage('/cash-desk/payments/:counterPaymentId/void', taker, (req, res) =>
      voidPayment(ctx, req, res),
    ),
  ];
}

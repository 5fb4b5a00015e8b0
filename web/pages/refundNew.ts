import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { apiFor } from '../api';
import { parsePounds } from '../format';
import { type FormError, type FormErrors, noErrors } from '../forms';
import { field, getPage, type Page, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

/**
 * Requesting a refund: of a card payment (back to the card) or of money in suspense (by bank
 * credit, so with the payee's bank details). The API decides how much may still be refunded
 * and whether a second person must approve.
 */

type Payment = { paymentId: string; state: string; amountPence: number; description: string };
type Suspense = {
  suspenseId: string;
  state: string;
  amountPence: number;
  remainingPence: number;
  receivedReference: string;
};
type Refund = { refundId: string; state: string; amountPence: number };
type Source =
  | { kind: 'payment'; payment: Payment; inFlightPence: number }
  | { kind: 'suspense'; item: Suspense };

const fieldNames = [
  'paymentId',
  'suspenseId',
  'amount',
  'reason',
  'sortCode',
  'accountNumber',
  'accountName',
] as const;
type Values = Record<(typeof fieldNames)[number], string>;

const labels = {
  amount: 'Amount to refund',
  reason: 'Reason for the refund',
  sortCode: 'Sort code',
  accountNumber: 'Account number',
  accountName: 'Name on the account',
};

const inputs: Record<string, string> = {
  'body.amountPence': 'amount',
  'body.reason': 'reason',
  'body.bankAccount': 'sortCode',
  'body.bankAccount.sortCode': 'sortCode',
  'body.bankAccount.accountNumber': 'accountNumber',
  'body.bankAccount.accountName': 'accountName',
};

/** Refunds that still count against what can be refunded: all but rejected and failed. */
const spentStates = new Set([
  'requested',
  'awaiting_approval',
  'submitting',
  'submitted',
  'awaiting_bacs_file',
  'succeeded',
]);

async function sourceOf(
  ctx: ApiContext,
  req: Request,
  res: Response,
  values: Values,
): Promise<Source> {
  const api = apiFor(ctx, req, res);
  if (values.paymentId !== '') {
    const [payment, refunds] = await Promise.all([
      api<Payment>('getPayment', { params: { paymentId: values.paymentId } }),
      api<{ refunds: Refund[] }>('listRefunds', {
        query: { sourceId: values.paymentId, limit: '200' },
      }),
    ]);
    const inFlightPence = refunds.refunds
      .filter((refund) => spentStates.has(refund.state))
      .reduce((sum, refund) => sum + refund.amountPence, 0);
    return { kind: 'payment', payment, inFlightPence };
  }
  if (values.suspenseId !== '') {
    const item = await api<Suspense>('getSuspenseItem', {
      params: { suspenseId: values.suspenseId },
    });
    return { kind: 'suspense', item };
  }
  throw new ProblemError('not_found', 'Start a refund from the payment or suspense item it is for');
}

function renderForm(
  res: Response,
  source: Source,
  values: Values,
  errors: FormErrors = noErrors,
  status = 200,
) {
  render(res, 'refunds/new.njk', { source, values, errors }, status);
}

function checkLocally(
  values: Values,
  source: Source,
): { errors: FormError[]; amountPence: number } {
  const errors: FormError[] = [];
  const amount = parsePounds(values.amount, 'Amount to refund');
  if (!amount.ok) errors.push({ input: 'amount', message: amount.message });
  if (values.reason === '')
    errors.push({ input: 'reason', message: 'Enter the reason for the refund' });
  if (source.kind === 'suspense') {
    if (values.sortCode === '') errors.push({ input: 'sortCode', message: 'Enter the sort code' });
    if (values.accountNumber === '')
      errors.push({ input: 'accountNumber', message: 'Enter the account number' });
    if (values.accountName === '')
      errors.push({ input: 'accountName', message: 'Enter the name on the account' });
  }
  return { errors, amountPence: amount.ok ? amount.pence : 0 };
}

function bodyOf(values: Values, source: Source, amountPence: number) {
  if (source.kind === 'payment')
    return { paymentId: values.paymentId, amountPence, reason: values.reason };
  return {
    suspenseId: values.suspenseId,
    amountPence,
    reason: values.reason,
    bankAccount: {
      sortCode: values.sortCode,
      accountNumber: values.accountNumber,
      accountName: values.accountName,
    },
  };
}

async function requestRefund(ctx: ApiContext, req: Request, res: Response) {
  const values = Object.fromEntries(
    fieldNames.map((name) => [name, field(req.body, name)]),
  ) as Values;
  const source = await sourceOf(ctx, req, res, values);
  const local = checkLocally(values, source);
  await submitForm<Refund>(ctx, req, res, {
    checks: local.errors,
    operationId: 'requestRefund',
    input: { body: bodyOf(values, source, local.amountPence) },
    fields: { inputs, labels },
    again: (errors, status) => renderForm(res, source, values, errors, status),
    redirect: (refund) => `/refunds/${refund.refundId}?notice=requested`,
  });
}

export function refundRequestPages(ctx: ApiContext): Page[] {
  const access = { permission: 'refund.request' } as const;
  return [
    getPage('/refunds/new', access, 'Request a refund', async (req, res) => {
      // Only the source comes from the address: bank details never go in a URL.
      const values = Object.fromEntries(fieldNames.map((name) => [name, ''])) as Values;
      values.paymentId = field(req.query, 'paymentId');
      values.suspenseId = field(req.query, 'suspenseId');
      renderForm(res, await sourceOf(ctx, req, res, values), values);
    }),
    postPage('/refunds/new', access, (req, res) => requestRefund(ctx, req, res)),
  ];
}

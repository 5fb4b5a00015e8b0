import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { apiFor } from '../api';
import { parsePounds } from '../format';
import { type FormError, noErrors } from '../forms';
import { type FundOption, fundSelectItems, fundsInScope } from '../funds';
import { field, getPage, type Page, param, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';
import { returnedPages } from './paymentReturned';

/**
 * Taking a card payment for a caller: the officer fills in what is owed, the IMS creates the
 * payment through the API, and the officer is sent to the PSP's page to key in the card.
 */

type Method = { code: string; name: string; isCard: boolean; disabled: boolean };
type Started = { paymentId: string; nextUrl: string | null };
type Payment = {
  paymentId: string;
  state: string;
  nextUrl: string | null;
  amountPence: number;
  description: string;
};

const fieldNames = ['fundCode', 'reference', 'amount', 'description', 'email', 'method'] as const;
type Values = Record<(typeof fieldNames)[number] | 'formId', string>;

const labels = {
  fundCode: 'Fund',
  reference: 'Account reference',
  amount: 'Amount',
  description: 'Description',
  email: 'Payer’s email address',
  method: 'How the payer is paying',
};

/** `body.lines[0].reference` and friends → the form's inputs (one line per payment here). */
function inputOf(apiField: string): string | undefined {
  const line = /^body\.lines\[0\]\.(fundCode|reference|amountPence)$/.exec(apiField);
  if (line !== null) return line[1] === 'amountPence' ? 'amount' : line[1];
  if (apiField === 'body.description') return 'description';
  if (apiField === 'body.email') return 'email';
  if (apiField === 'body.methodOfPaymentCode') return 'method';
  return undefined;
}

/**
 * The PSP is told a return URL before our payment id exists, so it carries the form's one-time
 * id, which is also the payment's Idempotency-Key: coming back, the payment is found by that key
 * (in the database, so a restart in between loses nothing).
 */
const idempotencyKeyOf = (formId: string) => `web:${formId}`;

/** Where the payer's browser comes back to: this IMS as browsers reach it. */
function returnUrlFor(ctx: ApiContext, req: Request, formId: string): string {
  const base = ctx.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  return `${base.replace(/\/$/, '')}/payments/returned/${formId}`;
}

const formIdPattern = /^[A-Za-z0-9-]{1,64}$/;

async function formContext(ctx: ApiContext, req: Request, res: Response) {
  const [funds, methods] = await Promise.all([
    fundsInScope(ctx, req, res),
    apiFor(
      ctx,
      req,
      res,
    )<{ items: Method[] }>('listMethodsOfPayment', { query: { disabled: 'false' } }),
  ]);
  return {
    // Unidentified money goes to suspense by import or by hand, never as a card payment.
    funds: funds.filter((fund) => !fund.isSuspense),
    methods: methods.items.filter((method) => method.isCard && !method.disabled),
  };
}

function renderForm(
  res: Response,
  form: { funds: FundOption[]; methods: Method[] },
  values: Values,
  errors = noErrors,
  status = 200,
) {
  render(
    res,
    'payments/new.njk',
    {
      values,
      errors,
      fundItems: fundSelectItems(form.funds, values.fundCode, 'Choose a fund'),
      methodItems: form.methods.map((method) => ({
        value: method.code,
        text: method.name,
        checked: method.code === values.method || form.methods.length === 1,
      })),
    },
    status,
  );
}

function checkLocally(
  values: Values,
  funds: FundOption[],
): { errors: FormError[]; amountPence: number } {
  const errors: FormError[] = [];
  if (!funds.some((fund) => fund.code === values.fundCode))
    errors.push({ input: 'fundCode', message: 'Select a fund' });
  if (values.reference === '')
    errors.push({ input: 'reference', message: 'Enter the account reference' });
  const amount = parsePounds(values.amount, 'Amount');
  if (!amount.ok) errors.push({ input: 'amount', message: amount.message });
  if (values.description === '')
    errors.push({ input: 'description', message: 'Enter a description of what is being paid for' });
  if (values.method === '')
    errors.push({ input: 'method', message: 'Select how the payer is paying' });
  return { errors, amountPence: amount.ok ? amount.pence : 0 };
}

async function takePayment(ctx: ApiContext, req: Request, res: Response) {
  const values = Object.fromEntries(
    [...fieldNames, 'formId'].map((name) => [name, field(req.body, name)]),
  ) as Values;
  const form = await formContext(ctx, req, res);
  const formId = formIdPattern.test(values.formId) ? values.formId : randomUUID();
  // A corrected form is a new request: a fresh id, so the Idempotency-Key is not reused.
  const again = { ...values, formId: randomUUID() };
  const local = checkLocally(values, form.funds);
  // The form's one-time id is the API's Idempotency-Key: a double-clicked button makes one payment.
  req.headers['idempotency-key'] = idempotencyKeyOf(formId);
  try {
    await submitForm<Started>(ctx, req, res, {
      checks: local.errors,
      operationId: 'createPayment',
      input: {
        body: {
          lines: [
            {
              fundCode: values.fundCode,
              reference: values.reference,
              amountPence: local.amountPence,
            },
          ],
          description: values.description,
          ...(values.email === '' ? {} : { email: values.email }),
          methodOfPaymentCode: values.method,
          returnUrl: returnUrlFor(ctx, req, formId),
        },
      },
      fields: { inputs: inputOf, labels },
      again: (errors, status) => renderForm(res, form, again, errors, status),
      redirect: (started) => `/payments/${started.paymentId}/pay`,
    });
  } catch (error) {
    // The provider is down: the payment was kept and is retried, so show it, not an error page.
    const kept = error instanceof ProblemError ? error.extras.extensions?.paymentId : undefined;
    if (error instanceof ProblemError && error.code === 'dependency_unavailable' && kept) {
      return res.redirect(303, `/payments/${kept}/pay?provider=down`);
    }
    throw error;
  }
}

/**
 * Sends the officer on to the PSP's page with a button rather than a redirect from the form
 * post: the Content-Security-Policy's form-action 'self' stops a browser following a form
 * post's redirects to another origin. It also gives a way back to an unfinished payment.
 */
async function payPage(ctx: ApiContext, req: Request, res: Response) {
  const payment = await apiFor(
    ctx,
    req,
    res,
  )<Payment>('getPayment', {
    params: { paymentId: param(req, 'paymentId') },
  });
  if (payment.state === 'awaiting_payment' && payment.nextUrl !== null) {
    return render(res, 'payments/pay.njk', { payment, nextUrl: payment.nextUrl });
  }
  if (['validating', 'creating'].includes(payment.state)) {
    const providerDown = field(req.query, 'provider') === 'down';
    return render(res, 'payments/pay.njk', { payment, nextUrl: null, providerDown });
  }
  res.redirect(303, `/payments/${payment.paymentId}`);
}

/** The payment a return URL's form id made, if the form was ever sent. */
async function paymentIdByFormId(ctx: ApiContext, req: Request, res: Response) {
  const formId = param(req, 'formId');
  if (!formIdPattern.test(formId)) return undefined;
  const found = await apiFor(
    ctx,
    req,
    res,
  )<{ payments: { id: string }[] }>('listPayments', {
    query: { idempotencyKey: idempotencyKeyOf(formId), limit: '1' },
  });
  return found.payments[0]?.id;
}

export function newPaymentPages(ctx: ApiContext): Page[] {
  const access = { permission: 'payment.take' } as const;
  return [
    getPage('/payments/new', access, 'Take a payment', async (req, res) => {
      const values = Object.fromEntries(fieldNames.map((name) => [name, field(req.query, name)]));
      renderForm(res, await formContext(ctx, req, res), {
        ...values,
        formId: randomUUID(),
      } as Values);
    }),
    postPage('/payments/new', access, (req, res) => takePayment(ctx, req, res)),
    ...returnedPages(ctx, (req, res) => paymentIdByFormId(ctx, req, res)),
    getPage('/payments/:paymentId/pay', access, 'Continue to the payment page', (req, res) =>
      payPage(ctx, req, res),
    ),
  ];
}

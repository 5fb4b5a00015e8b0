import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { parsePounds } from '../format';
import { type FormError, type FormErrors, noErrors, selectItems } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { field, getPage, type Page, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';
import { afterJournal } from './journals';

/**
 * The move and transfer forms. A move takes money a payment, suspense item or import put on one
 * fund and reference and puts it on another (VAT follows the funds); a transfer moves money
 * between fund accounts where no income came in. Both need a reason; above the approval
 * threshold the API holds them for a second person and the form goes to that approval.
 */

type Kind = 'move' | 'transfer';

const fieldNames = {
  move: [
    'sourceType',
    'sourceId',
    'fromFund',
    'fromReference',
    'toFund',
    'toReference',
    'amount',
    'reason',
  ],
  transfer: ['fromFund', 'fromReference', 'toFund', 'toReference', 'amount', 'withVat', 'reason'],
} as const;

type Values = Record<string, string>;

const labels: Record<string, string> = {
  sourceType: 'What the money came in as',
  sourceId: 'Its id',
  fromFund: 'From fund',
  fromReference: 'From account reference',
  toFund: 'To fund',
  toReference: 'To account reference',
  amount: 'Amount',
  withVat: 'VAT',
  reason: 'Reason',
};

const inputs: Record<string, string> = {
  'body.source': 'sourceId',
  'body.source.type': 'sourceType',
  'body.source.id': 'sourceId',
  'body.from.fundCode': 'fromFund',
  'body.from.reference': 'fromReference',
  'body.to.fundCode': 'toFund',
  'body.to.reference': 'toReference',
  'body.amountPence': 'amount',
  'body.withVat': 'withVat',
  'body.reason': 'reason',
};

const sourceTypes = [
  { value: 'payment', text: 'Card payment' },
  { value: 'import', text: 'Imported file (an import)' },
  { value: 'suspense', text: 'Suspense item' },
];

async function renderForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  kind: Kind,
  form: { values: Values; errors: FormErrors; status: number },
) {
  const funds = (await fundsInScope(ctx, req, res)).filter((fund) => !fund.isSuspense);
  const { values } = form;
  render(
    res,
    `journals/${kind}.njk`,
    {
      values,
      errors: form.errors,
      sourceTypeItems: selectItems(sourceTypes, values.sourceType ?? '', 'Choose one'),
      fromFundItems: fundSelectItems(funds, values.fromFund ?? '', 'Choose a fund'),
      toFundItems: fundSelectItems(funds, values.toFund ?? '', 'Choose a fund'),
    },
    form.status,
  );
}

function valuesOf(source: unknown, kind: Kind): Values {
  return Object.fromEntries(fieldNames[kind].map((name) => [name, field(source, name)]));
}

function checks(values: Values, kind: Kind) {
  const errors: FormError[] = [];
  const required = (name: string, message: string) => {
    if (values[name] === '') errors.push({ input: name, message });
  };
  if (kind === 'move') {
    required('sourceType', 'Choose what the money came in as');
    required('sourceId', 'Enter the id of the payment, import or suspense item');
    required('fromReference', 'Enter the account reference the money is on now');
    required('toReference', 'Enter the account reference to move it to');
  }
  required('fromFund', 'Choose the fund the money is in now');
  required('toFund', 'Choose the fund to move it to');
  const amount = parsePounds(values.amount ?? '', 'Amount');
  if (!amount.ok) errors.push({ input: 'amount', message: amount.message });
  required('reason', 'Enter why the money is being moved');
  return { errors, amountPence: amount.ok ? amount.pence : 0 };
}

function bodyOf(values: Values, kind: Kind, amountPence: number) {
  const end = (fund: string, reference: string) =>
    reference === '' ? { fundCode: fund } : { fundCode: fund, reference };
  const common = {
    from: end(values.fromFund!, values.fromReference!),
    to: end(values.toFund!, values.toReference!),
    amountPence,
    reason: values.reason,
  };
  if (kind === 'transfer') return { ...common, withVat: values.withVat === 'yes' };
  return { source: { type: values.sourceType, id: values.sourceId }, ...common };
}

async function post(ctx: ApiContext, req: Request, res: Response, kind: Kind) {
  const values = valuesOf(req.body, kind);
  const local = checks(values, kind);
  await submitForm<{ journalId?: string; approvalId?: string }>(ctx, req, res, {
    checks: local.errors,
    operationId: kind === 'move' ? 'moveAllocation' : 'transferBetweenFunds',
    input: { body: bodyOf(values, kind, local.amountPence) },
    fields: { inputs, labels },
    again: (errors, status) => renderForm(ctx, req, res, kind, { values, errors, status }),
    redirect: afterJournal(kind === 'move' ? 'moved' : 'transferred'),
  });
}

export function journalFormPages(ctx: ApiContext): Page[] {
  const access = { permission: 'journal.post' } as const;
  const titles: Record<Kind, string> = {
    move: 'Move money to another account',
    transfer: 'Transfer between funds',
  };
  return (['move', 'transfer'] as const).flatMap((kind) => [
    getPage(`/journals/${kind}`, access, titles[kind], (req, res) =>
      // A link from a payment, import or suspense item fills in what it knows.
      renderForm(ctx, req, res, kind, {
        values: valuesOf(req.query, kind),
        errors: noErrors,
        status: 200,
      }),
    ),
    postPage(`/journals/${kind}`, access, (req, res) => post(ctx, req, res, kind)),
  ]);
}

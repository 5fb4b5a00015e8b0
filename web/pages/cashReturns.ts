import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { denominationsPence } from '../../domain/cashReturn';
import { apiFor } from '../api';
import { parsePounds, penceToPoundsInput } from '../format';
import {
  type FieldMap,
  type FormError,
  type FormErrors,
  fourEyesRefusal,
  noErrors,
  selectItems,
} from '../forms';
import { screenNotices } from '../notices';
import { field, getPage, type Page, param, postPage, present } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';
import { humanise } from '../timeline';

/**
 * Cash returns (eReturns): the approval queue and history, and one return: its count by
 * denomination in numbered bags, its cheques, what the ledger expects, and the submit,
 * approve, reject and void buttons each person may use.
 */

export const returnBags = 2;
export const returnChequeRows = 6;
const states = ['draft', 'submitted', 'approved', 'voided'];

type Bag = { bagNo: string; counts: Record<string, number> };
type Cheque = { bagNo: string; chequeNumber: string; drawer: string; amountPence: number };
type Detail = {
  cashReturn: {
    returnId: string;
    state: string;
    bags: Bag[];
    cheques: Cheque[];
    explanation: string | null;
  };
};
type Values = Record<string, string>;

const noticeOf = screenNotices({
  started: 'Your cash return for today has been started.',
  saved: 'The count has been saved.',
  submitted: 'The return has been submitted for approval.',
  approved: 'The return has been approved. Its bags are now expected at the bank.',
  rejected: 'The return has been rejected and is a draft again.',
  voided: 'The return has been voided.',
  note: 'Your note has been added.',
});

const countInput = (bag: number, denomination: number) => `c${bag}_${denomination}`;

const fieldMap: FieldMap = {
  inputs: (apiField) => {
    const count = /^body\.bags\[(\d+)\]\.counts\.(\d+)$/.exec(apiField);
    if (count !== null) return countInput(Number(count[1]), Number(count[2]));
    const bag = /^body\.bags\[(\d+)\]\.bagNo$/.exec(apiField);
    if (bag !== null) return `bag${bag[1]}No`;
    const cheque = /^body\.cheques\[(\d+)\]\.(\w+)$/.exec(apiField);
    if (cheque !== null)
      return {
        bagNo: `chequeBag${cheque[1]}`,
        chequeNumber: `chequeNumber${cheque[1]}`,
        amountPence: `chequeAmount${cheque[1]}`,
      }[cheque[2] as string];
    return { 'body.explanation': 'explanation', 'body.reason': 'reason', 'body.text': 'note' }[
      apiField
    ];
  },
  labels: {
    explanation: 'Explanation',
    reason: 'Reason',
    note: 'Note',
    ...Object.fromEntries(
      Array.from({ length: returnChequeRows }, (_, index) => [
        [`chequeNumber${index}`, `Cheque ${index + 1} number`],
        [`chequeAmount${index}`, `Cheque ${index + 1} amount`],
        [`chequeBag${index}`, `Cheque ${index + 1} bag`],
      ]).flat(),
    ),
  },
};

/** The form's values from a saved return, for a form shown afresh. */
function valuesOfReturn(detail: Detail): Values {
  const values: Values = { explanation: detail.cashReturn.explanation ?? '' };
  detail.cashReturn.bags.slice(0, returnBags).forEach((bag, index) => {
    values[`bag${index}No`] = bag.bagNo;
    for (const [denomination, count] of Object.entries(bag.counts))
      values[countInput(index, Number(denomination))] = String(count);
  });
  detail.cashReturn.cheques.slice(0, returnChequeRows).forEach((cheque, index) => {
    values[`chequeBag${index}`] = cheque.bagNo;
    values[`chequeNumber${index}`] = cheque.chequeNumber;
    values[`chequeDrawer${index}`] = cheque.drawer;
    values[`chequeAmount${index}`] = penceToPoundsInput(cheque.amountPence);
  });
  return values;
}

function countOf(values: Values): { body: unknown; errors: FormError[] } {
  const errors: FormError[] = [];
  const bags = [];
  for (let bag = 0; bag < returnBags; bag++) {
    const bagNo = values[`bag${bag}No`] ?? '';
    const counts: Record<string, number> = {};
    for (const denomination of denominationsPence) {
      const typed = values[countInput(bag, denomination)] ?? '';
      if (typed === '') continue;
      if (!/^-?\d+$/.test(typed))
        errors.push({
          input: countInput(bag, denomination),
          message: 'Enter a whole number of pieces',
        });
      else counts[String(denomination)] = Number(typed);
    }
    if (bagNo !== '' || Object.keys(counts).length > 0) bags.push({ bagNo, counts });
  }
  const cheques = [];
  for (let row = 0; row < returnChequeRows; row++) {
    const [bagNo, chequeNumber, drawer, amount] = [
      'chequeBag',
      'chequeNumber',
      'chequeDrawer',
      'chequeAmount',
    ].map((name) => values[`${name}${row}`] ?? '');
    if (bagNo === '' && chequeNumber === '' && amount === '') continue;
    const parsed = parsePounds(amount, `Cheque ${row + 1} amount`);
    if (!parsed.ok) errors.push({ input: `chequeAmount${row}`, message: parsed.message });
    cheques.push({ bagNo, chequeNumber, drawer, amountPence: parsed.ok ? parsed.pence : 1 });
  }
  const explanation = values.explanation ?? '';
  return { body: { bags, cheques, ...(explanation === '' ? {} : { explanation }) }, errors };
}

const formValueNames = () => [
  'explanation',
  'reason',
  'note',
  ...Array.from({ length: returnBags }, (_, bag) => [
    `bag${bag}No`,
    ...denominationsPence.map((denomination) => countInput(bag, denomination)),
  ]).flat(),
  ...Array.from({ length: returnChequeRows }, (_, row) =>
    ['chequeBag', 'chequeNumber', 'chequeDrawer', 'chequeAmount'].map((name) => `${name}${row}`),
  ).flat(),
];

async function detailPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form?: { errors: FormErrors; values: Values; status: number },
) {
  const returnId = param(req, 'returnId');
  const detail = await apiFor(ctx, req, res)<Detail>('getCashReturn', { params: { returnId } });
  render(
    res,
    'cash-returns/detail.njk',
    {
      ...detail,
      // A refused submit or decision keeps the saved count on screen, and what was typed.
      values: { ...valuesOfReturn(detail), ...form?.values },
      errors: form?.errors ?? noErrors,
      notice: noticeOf(req.query),
      denominations: denominationsPence.map((pence) => ({
        pence,
        label: pence >= 100 ? `£${pence / 100}` : `${pence}p`,
      })),
      bagIndexes: Array.from({ length: returnBags }, (_, index) => index),
      chequeRows: Array.from({ length: returnChequeRows }, (_, index) => index),
    },
    form?.status ?? 200,
  );
}

type Step = 'count' | 'submit' | 'approve' | 'reject' | 'void' | 'notes';
const operations: Record<Step, string> = {
  count: 'saveCashReturnCount',
  submit: 'submitCashReturn',
  approve: 'approveCashReturn',
  reject: 'rejectCashReturn',
  void: 'voidCashReturn',
  notes: 'noteCashReturn',
};
const noticeKeys: Record<Step, string> = {
  count: 'saved',
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  void: 'voided',
  notes: 'note',
};

function step(ctx: ApiContext, name: Step) {
  return async (req: Request, res: Response) => {
    const returnId = param(req, 'returnId');
    const values = Object.fromEntries(formValueNames().map((key) => [key, field(req.body, key)]));
    const count = name === 'count' ? countOf(values) : { body: {}, errors: [] };
    const reason = values.reason ?? '';
    const body =
      name === 'count'
        ? count.body
        : name === 'reject' || name === 'void'
          ? { reason }
          : name === 'notes'
            ? { text: values.note }
            : {};
    const checks: (FormError | false)[] = [
      ...count.errors,
      (name === 'reject' || name === 'void') &&
        reason === '' && { input: 'reason', message: 'Enter the reason' },
      name === 'notes' && values.note === '' && { input: 'note', message: 'Enter the note' },
    ];
    await submitForm(ctx, req, res, {
      checks,
      operationId: operations[name],
      input: { params: { returnId }, body },
      fields: fieldMap,
      explain: (problem) =>
        fourEyesRefusal(
          problem,
          name === 'approve' || name === 'reject'
            ? 'This is your own return, so someone else must approve or reject it'
            : 'Only the cashier whose return this is may change it',
        ),
      again: (errors, status) =>
        detailPage(ctx, req, res, {
          errors,
          values: name === 'count' ? values : { reason, note: values.note ?? '' },
          status,
        }),
      redirect: `/cash-returns/${returnId}?notice=${noticeKeys[name]}`,
    });
  };
}

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const state = field(req.query, 'state');
  const chosen = states.includes(state) ? state : '';
  const [awaiting, all] = await Promise.all([
    api<{ cashReturns: unknown[] }>('listCashReturns', {
      query: { state: 'submitted', limit: '200' },
    }),
    api<{ cashReturns: unknown[] }>('listCashReturns', {
      query: present({ state: chosen, limit: '100' }),
    }),
  ]);
  render(res, 'cash-returns/list.njk', {
    awaiting: awaiting.cashReturns,
    cashReturns: all.cashReturns,
    stateItems: selectItems(
      states.map((value) => ({ value, text: humanise(value) })),
      chosen,
      'Any state',
    ),
    notice: noticeOf(req.query),
  });
}

async function startReturn(ctx: ApiContext, req: Request, res: Response) {
  await submitForm<{ cashReturn: { returnId: string } }>(ctx, req, res, {
    operationId: 'startCashReturn',
    input: { body: {} },
    fields: { inputs: {}, labels: {} },
    again: async (errors, status) => {
      render(res, 'cash-returns/cannot-start.njk', { errors }, status);
    },
    redirect: (started) => `/cash-returns/${started.cashReturn.returnId}?notice=started`,
  });
}

export function cashReturnPages(ctx: ApiContext): Page[] {
  const taker = { permission: 'payment.take' } as const;
  const approver = { permission: 'cashup.approve' } as const;
  return [
    getPage('/cash-returns', { permission: 'view' }, 'Cash returns', (req, res) =>
      listPage(ctx, req, res),
    ),
    // Before '/cash-returns/:returnId'.
    postPage('/cash-returns/new', taker, (req, res) => startReturn(ctx, req, res)),
    getPage('/cash-returns/:returnId', { permission: 'view' }, 'Cash return', (req, res) =>
      detailPage(ctx, req, res),
    ),
    postPage('/cash-returns/:returnId/count', taker, step(ctx, 'count')),
    postPage('/cash-returns/:returnId/submit', taker, step(ctx, 'submit')),
    postPage('/cash-returns/:returnId/notes', taker, step(ctx, 'notes')),
    postPage('/cash-returns/:returnId/void', taker, step(ctx, 'void')),
    postPage('/cash-returns/:returnId/approve', approver, step(ctx, 'approve')),
    postPage('/cash-returns/:returnId/reject', approver, step(ctx, 'reject')),
  ];
}

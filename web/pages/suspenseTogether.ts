import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { togetherItemsMax } from '../../domain/suspenseTogether';
import { apiFor } from '../api';
import { parsePounds, penceToPoundsInput } from '../format';
import { type FormError, type FormErrors, noErrors } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { field, getPage, listOf, type Page, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

/**
 * Allocating several suspense items together in one journal, with credit notes: the items are
 * chosen on the suspense list (or carried from an item), each with how much of it goes in; the
 * parts say where the money goes; a credit note takes credit back from an account to add to it.
 */

type Item = {
  suspenseId: string;
  state: string;
  remainingPence: number;
  receivedReference: string;
};
type Row = { fundCode: string; reference: string; amount: string };

const partRows = 3;
const creditRows = 2;

const isSuspenseId = (value: string) => /^sus_[0-9a-z]{20}$/.test(value);

/** `items` as the list's checkboxes send it (repeated) or a link carries it (comma-separated). */
function itemIdsOf(source: unknown): string[] {
  const ids = listOf(source, 'items').flatMap((value) => value.split(','));
  return [...new Set(ids.map((id) => id.trim()).filter(isSuspenseId))].slice(0, togetherItemsMax);
}

function rowsOf(source: unknown, prefix: string, count: number): Row[] {
  return Array.from({ length: count }, (_, index) => ({
    fundCode: field(source, `${prefix}Fund-${index}`),
    reference: field(source, `${prefix}Reference-${index}`),
    amount: field(source, `${prefix}Amount-${index}`),
  }));
}

type Form = {
  shares: string[];
  parts: Row[];
  credits: Row[];
  total: string;
  reason: string;
  errors: FormErrors;
  status: number;
};

async function renderPage(ctx: ApiContext, req: Request, res: Response, ids: string[], form: Form) {
  const api = apiFor(ctx, req, res);
  const items = await Promise.all(
    ids.map((suspenseId) => api<Item>('getSuspenseItem', { params: { suspenseId } })),
  );
  const funds = (await fundsInScope(ctx, req, res)).filter((fund) => !fund.isSuspense);
  const withFunds = (rows: Row[]) =>
    rows.map((row, index) => ({
      ...row,
      index,
      fundItems: fundSelectItems(funds, row.fundCode, 'Choose a fund'),
    }));
  render(
    res,
    'suspense/together.njk',
    {
      items: items.map((item, index) => ({
        ...item,
        index,
        share: form.shares[index] ?? penceToPoundsInput(item.remainingPence),
      })),
      itemsParam: ids.join(','),
      parts: withFunds(form.parts),
      credits: withFunds(form.credits),
      total: form.total,
      reason: form.reason,
      errors: form.errors,
    },
    form.status,
  );
}

function used(rows: Row[], prefix: string, errors: FormError[], label: string) {
  return rows.flatMap((row, index) => {
    if (row.fundCode === '' && row.reference === '' && row.amount === '') return [];
    if (row.fundCode === '')
      errors.push({
        input: `${prefix}Fund-${index}`,
        message: `Choose a fund for ${label} ${index + 1}`,
      });
    if (row.reference === '')
      errors.push({
        input: `${prefix}Reference-${index}`,
        message: `Enter a reference for ${label} ${index + 1}`,
      });
    const amount = parsePounds(row.amount, `Amount of ${label} ${index + 1}`);
    if (!amount.ok) errors.push({ input: `${prefix}Amount-${index}`, message: amount.message });
    return [
      {
        index,
        line: {
          fundCode: row.fundCode,
          reference: row.reference,
          amountPence: amount.ok ? amount.pence : 0,
        },
      },
    ];
  });
}

/** `body.parts[1].reference` → the input of the second filled-in part, and so on. */
function inputOf(partRow: number[], creditRow: number[]) {
  return (apiField: string): string | undefined => {
    const line = /^body\.(parts|creditNotes|items)\[(\d+)\]\.?(\w*)$/.exec(apiField);
    if (line === null)
      return apiField === 'body.totalPence'
        ? 'total'
        : apiField === 'body.reason'
          ? 'reason'
          : undefined;
    const [, list, at, name] = line;
    if (list === 'items') return `share-${at}`;
    const prefix = list === 'parts' ? 'part' : 'credit';
    const row = (list === 'parts' ? partRow : creditRow)[Number(at)];
    const suffix = name === 'fundCode' ? 'Fund' : name === 'reference' ? 'Reference' : 'Amount';
    return row === undefined ? undefined : `${prefix}${suffix}-${row}`;
  };
}

async function allocate(ctx: ApiContext, req: Request, res: Response) {
  const ids = itemIdsOf(req.body);
  const form: Form = {
    shares: ids.map((_, index) => field(req.body, `share-${index}`)),
    parts: rowsOf(req.body, 'part', partRows),
    credits: rowsOf(req.body, 'credit', creditRows),
    total: field(req.body, 'total'),
    reason: field(req.body, 'reason'),
    errors: noErrors,
    status: 200,
  };
  const errors: FormError[] = [];
  if (ids.length === 0)
    errors.push({ input: null, message: 'Choose the suspense items to allocate' });
  const items = ids.map((suspenseId, index) => {
    const share = parsePounds(form.shares[index] ?? '', `Amount from item ${index + 1}`);
    if (!share.ok) errors.push({ input: `share-${index}`, message: share.message });
    return { suspenseId, amountPence: share.ok ? share.pence : 0 };
  });
  const parts = used(form.parts, 'part', errors, 'part');
  if (parts.length === 0)
    errors.push({ input: 'partFund-0', message: 'Enter at least one fund, reference and amount' });
  const credits = used(form.credits, 'credit', errors, 'credit note');
  const total = parsePounds(form.total, 'Total to allocate');
  if (!total.ok) errors.push({ input: 'total', message: total.message });
  if (form.reason === '')
    errors.push({ input: 'reason', message: 'Enter why these items belong together' });
  await submitForm<{ journalId: string }>(ctx, req, res, {
    checks: errors,
    operationId: 'allocateSuspenseTogether',
    input: {
      body: {
        items,
        parts: parts.map((part) => part.line),
        ...(credits.length === 0 ? {} : { creditNotes: credits.map((credit) => credit.line) }),
        totalPence: total.ok ? total.pence : 0,
        reason: form.reason,
      },
    },
    fields: {
      inputs: inputOf(
        parts.map((part) => part.index),
        credits.map((credit) => credit.index),
      ),
      labels: { total: 'Total to allocate', reason: 'Reason' },
    },
    again: (shown, status) => renderPage(ctx, req, res, ids, { ...form, errors: shown, status }),
    redirect: (result) => `/journals/${result.journalId}?notice=allocated-together`,
  });
}

export function suspenseTogetherPages(ctx: ApiContext): Page[] {
  return [
    getPage(
      '/suspense/together',
      { permission: 'suspense.work' },
      'Allocate suspense items together',
      (req, res) => {
        const parts = rowsOf({}, 'part', partRows);
        // Back from the account-holder search: the chosen account fills the first part.
        parts[0] = {
          fundCode: field(req.query, 'fundCode'),
          reference: field(req.query, 'reference'),
          amount: '',
        };
        return renderPage(ctx, req, res, itemIdsOf(req.query), {
          shares: [],
          parts,
          credits: rowsOf({}, 'credit', creditRows),
          total: '',
          reason: '',
          errors: noErrors,
          status: 200,
        });
      },
    ),
    postPage('/suspense/together', { permission: 'suspense.work' }, (req, res) =>
      allocate(ctx, req, res),
    ),
  ];
}

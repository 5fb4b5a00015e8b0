import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import type { Transaction } from '../../api/transactionView';
import { transactionChannels } from '../../domain/transactionSearch';
import { apiFor } from '../api';
import {
  dateFilter,
  dateKeys,
  dateTag,
  type FilterValues,
  filterValuesFrom,
  hrefWith,
  tag,
} from '../filters';
import { formatPence, humanise, parsePounds } from '../format';
import { selectItems } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { renderFilteredList } from '../lists';
import { field, getPage, type Page, param, present } from '../page';
import { render } from '../render';

/**
 * Transactions: one search over every channel (docs/search.md), its export and the detail of
 * each kind. Filters are the API's, in the words staff use; amounts are typed in pounds.
 */

const textKeys = [
  'reference',
  'fundCode',
  'channel',
  'methodOfPaymentCode',
  'officeCode',
  'pspReference',
  'cardLastDigits',
  'narrative',
  'receiptNumber',
  'user',
  'importId',
] as const;
const filterKeys = [
  ...textKeys,
  'amount',
  'amountFrom',
  'amountTo',
  'order',
  ...dateKeys('from'),
  ...dateKeys('to'),
];
const orders = [
  { value: '', text: 'Newest first' },
  { value: 'recorded-asc', text: 'Oldest first' },
  { value: 'amount-desc', text: 'Largest amount first' },
  { value: 'amount-asc', text: 'Smallest amount first' },
];
const inputs: Record<string, string> = {
  ...Object.fromEntries(textKeys.map((key) => [`query.${key}`, key])),
  'query.amountPence': 'amount',
  'query.amountFromPence': 'amountFrom',
  'query.amountToPence': 'amountTo',
  'query.from': 'from-day',
  'query.to': 'to-day',
  'query.cursor': 'reference',
};
const labels: Record<string, string> = {
  reference: 'Account reference',
  fundCode: 'Fund',
  channel: 'Channel',
  methodOfPaymentCode: 'Method of payment',
  officeCode: 'Office',
  pspReference: 'PSP reference',
  cardLastDigits: 'Card’s last four digits',
  narrative: 'Narrative',
  receiptNumber: 'Receipt number',
  user: 'User',
  importId: 'Import',
  amount: 'Amount',
  amountFrom: 'Amount from',
  amountTo: 'Amount to',
  'from-day': 'Recorded from',
  'to-day': 'Recorded to',
};

const filterTags = [
  ...textKeys.map((key) => tag(labels[key] ?? key, key)),
  tag('Amount', 'amount', (value) => `£${value}`),
  tag('Amount from', 'amountFrom', (value) => `£${value}`),
  tag('Amount to', 'amountTo', (value) => `£${value}`),
  dateTag('Recorded from', 'from'),
  dateTag('Recorded to', 'to'),
];

/** A pounds filter as pence for the API; a typing mistake is refused naming its input. */
function penceOf(values: FilterValues, input: string, apiField: string): string | undefined {
  const typed = values[input] ?? '';
  if (typed === '') return undefined;
  const parsed = parsePounds(typed, labels[input]);
  if (!parsed.ok)
    throw new ProblemError('validation_failed', 'A filter is not valid', [
      { field: apiField, message: parsed.message },
    ]);
  return String(parsed.pence);
}

/** The API's query for the screen's filters (without the page's cursor). */
export function searchQueryOf(values: FilterValues): Record<string, string> {
  const [sort, direction] = (values.order || 'recorded-desc').split('-');
  const query = present({
    ...Object.fromEntries(textKeys.map((key) => [key, values[key] || undefined])),
    amountPence: penceOf(values, 'amount', 'query.amountPence'),
    amountFromPence: penceOf(values, 'amountFrom', 'query.amountFromPence'),
    amountToPence: penceOf(values, 'amountTo', 'query.amountToPence'),
    from: dateFilter(values, 'from') || undefined,
    to: dateFilter(values, 'to') || undefined,
    sort,
    direction,
  });
  return query as Record<string, string>;
}

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, filterKeys);
  const before = field(req.query, 'before');
  const funds = await fundsInScope(ctx, req, res);
  const { order: _order, ...filtersOnly } = values;
  await renderFilteredList(res, {
    path: '/transactions',
    template: 'transactions/list.njk',
    values,
    before,
    tags: filterTags,
    fields: { inputs, labels },
    load: () =>
      apiFor(
        ctx,
        req,
        res,
      )<{ transactions: Transaction[]; nextCursor: string | null }>('searchTransactions', {
        query: { ...searchQueryOf(values), limit: '50', ...(before ? { cursor: before } : {}) },
      }),
    empty: { transactions: [], nextCursor: null },
    view: (page) => ({
      transactions: page.transactions,
      fundItems: fundSelectItems(funds, values.fundCode ?? '', 'Any fund'),
      channelItems: selectItems(
        transactionChannels.map((channel) => ({ value: channel, text: humanise(channel) })),
        values.channel ?? '',
        'Any channel',
      ),
      orderItems: selectItems(orders, values.order ?? ''),
      sortedBy: values.order || 'recorded-desc',
      exportHref: hrefWith('/transactions/export', filtersOnly),
      anyFilter: Object.values(filtersOnly).some((value) => value !== ''),
    }),
  });
}

async function exportPage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, filterKeys);
  const { sort, direction, ...filters } = searchQueryOf(values);
  const summary = await apiFor(
    ctx,
    req,
    res,
  )<{ count: number; netPence: number }>('summariseTransactions', { query: filters });
  const download = new URLSearchParams({
    ...filters,
    sort: sort ?? 'recorded',
    direction: direction ?? 'desc',
  });
  render(res, 'transactions/export.njk', {
    summary,
    countText: summary.count.toLocaleString('en-GB'),
    // About 250 bytes a row: enough for the person to know whether to wait.
    sizeText: `${Math.max(0.1, Math.round((summary.count * 250) / 104_857.6) / 10)} MB`,
    netText: formatPence(summary.netPence),
    downloadHref: `/v1/transactions.csv?${download.toString()}`,
    backHref: hrefWith('/transactions', values),
  });
}

async function detailPage(ctx: ApiContext, req: Request, res: Response) {
  const detail = await apiFor(
    ctx,
    req,
    res,
  )('getTransaction', {
    params: { journalId: param(req, 'journalId'), lineNo: param(req, 'lineNo') },
  });
  render(res, 'transactions/detail.njk', { detail });
}

export function transactionPages(ctx: ApiContext): Page[] {
  const access = { permission: 'view' } as const;
  return [
    getPage('/transactions', access, 'Transactions', (req, res) => listPage(ctx, req, res)),
    getPage('/transactions/export', access, 'Export transactions', (req, res) =>
      exportPage(ctx, req, res),
    ),
    getPage('/transactions/:journalId/:lineNo', access, 'Transaction', (req, res) =>
      detailPage(ctx, req, res),
    ),
  ];
}

import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { suspenseSearchQuery } from '../../api/schemas/suspense';
import { apiFor } from '../api';
import { filterValuesFrom, tag } from '../filters';
import { parsePounds } from '../format';
import { selectItems } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { renderFilteredList } from '../lists';
import { field, getPage, type Page, present } from '../page';
import { humanise } from '../timeline';
import { ageBands } from './dashboard';
import { detailPage } from './suspenseDetail';
import { suspenseTogetherPages } from './suspenseTogether';
import { suspenseWorkPages } from './suspenseWork';

/** The suspense queue and one item, worked through the item's workflow by the API. */

export const suspenseStates = suspenseSearchQuery.shape.state.unwrap().options;

/**
 * The age filter: the dashboard's bands (calendar days since the item was received), and
 * overdue, which is the workflow's own clock in working days. `within` (not overdue) is no
 * longer offered, but a link or bookmark that has it still works.
 */
type AgeOption = {
  value: string;
  text: string;
  query: { minAgeDays?: string; maxAgeDays?: string; overdue?: string };
};

const bandOptions: AgeOption[] = ageBands.map((band) => ({
  value: band.maxDays === null ? `over-${band.minDays - 1}` : `${band.minDays}-${band.maxDays}`,
  text: band.label,
  query: {
    minAgeDays: String(band.minDays),
    ...(band.maxDays === null ? {} : { maxAgeDays: String(band.maxDays) }),
  },
}));

const ageOptions: AgeOption[] = [
  ...bandOptions,
  { value: 'overdue', text: 'Overdue', query: { overdue: 'true' } },
];
const withinTarget: AgeOption = {
  value: 'within',
  text: 'Within target',
  query: { overdue: 'false' },
};
const ageOptionOf = (value: string) =>
  [...ageOptions, withinTarget].find((option) => option.value === value);

const filterTags = [
  tag('State', 'state', humanise),
  tag('Fund suggested', 'fundCode'),
  tag('Import', 'importId'),
  tag('Age', 'age', (value) => ageOptionOf(value)?.text ?? value),
  tag('Write-off', 'writeOff', () => 'Awaiting approval'),
  tag('Reference', 'reference'),
  tag('Narrative', 'narrative'),
  tag('Amount from', 'minAmount', (value) => `£${value}`),
  tag('Amount to', 'maxAmount', (value) => `£${value}`),
  tag('Received from', 'receivedFrom'),
  tag('Received to', 'receivedTo'),
];

const searchKeys = [
  'reference',
  'narrative',
  'minAmount',
  'maxAmount',
  'receivedFrom',
  'receivedTo',
];

/** Pounds typed in an amount filter, as the pence the API takes; what is not money is sent as is. */
function penceOf(pounds: string | undefined): string | undefined {
  if (pounds === undefined || pounds === '') return undefined;
  const parsed = parsePounds(pounds, 'Amount');
  return parsed.ok ? String(parsed.pence) : pounds === '0' ? '0' : pounds;
}

const filterFields = {
  inputs: {
    'query.state': 'state',
    'query.fundCode': 'fundCode',
    'query.importId': 'importId',
    'query.overdue': 'age',
    'query.minAgeDays': 'age',
    'query.maxAgeDays': 'age',
    'query.before': 'importId',
    'query.writeOff': 'writeOff',
    'query.reference': 'reference',
    'query.narrative': 'narrative',
    'query.minAmountPence': 'minAmount',
    'query.maxAmountPence': 'maxAmount',
    'query.receivedFrom': 'receivedFrom',
    'query.receivedTo': 'receivedTo',
  },
  labels: {
    state: 'State',
    fundCode: 'Fund',
    importId: 'Import id',
    age: 'Age',
    writeOff: 'Write-off',
    reference: 'Reference received',
    narrative: 'Narrative',
    minAmount: 'Amount from',
    maxAmount: 'Amount to',
    receivedFrom: 'Received from',
    receivedTo: 'Received to',
  },
};

async function queuePage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, [
    'state',
    'fundCode',
    'importId',
    'age',
    'writeOff',
    ...searchKeys,
  ]);
  const before = field(req.query, 'before');
  const age = ageOptionOf(values.age ?? '');
  // An age the screen does not know is no filter, rather than a tag for one not applied.
  if (age === undefined) values.age = '';
  const query = present({
    state: values.state,
    fundCode: values.fundCode,
    importId: values.importId,
    writeOff: values.writeOff,
    reference: values.reference,
    narrative: values.narrative,
    minAmountPence: penceOf(values.minAmount),
    maxAmountPence: penceOf(values.maxAmount),
    receivedFrom: values.receivedFrom,
    receivedTo: values.receivedTo,
    ...age?.query,
    before,
    limit: '25',
  });
  const funds = await fundsInScope(ctx, req, res);
  await renderFilteredList(res, {
    path: '/suspense',
    template: 'suspense/list.njk',
    values,
    before,
    tags: filterTags,
    fields: filterFields,
    load: () =>
      apiFor(
        ctx,
        req,
        res,
      )<{ items: unknown[]; nextCursor: string | null }>('listSuspenseItems', {
        query,
      }),
    empty: { items: [], nextCursor: null },
    view: (page) => ({
      items: page.items,
      stateItems: selectItems(
        suspenseStates.map((state) => ({ value: state, text: humanise(state) })),
        values.state ?? '',
        'Any state',
      ),
      fundItems: fundSelectItems(funds, values.fundCode ?? '', 'Any fund'),
      ageItems: [
        { value: '', text: 'Any age', checked: values.age === '' },
        ...[...ageOptions, ...(age === withinTarget ? [withinTarget] : [])].map((option) => ({
          value: option.value,
          text: option.text,
          checked: option.value === values.age,
        })),
      ],
    }),
  });
}

export function suspensePages(ctx: ApiContext): Page[] {
  const access = { permission: 'view' } as const;
  return [
    getPage('/suspense', access, 'Suspense', (req, res) => queuePage(ctx, req, res)),
    // Before /suspense/:suspenseId, which would otherwise take it.
    ...suspenseTogetherPages(ctx),
    getPage('/suspense/:suspenseId', access, 'Suspense item', (req, res) =>
      detailPage(ctx, req, res),
    ),
    ...suspenseWorkPages(ctx),
  ];
}

import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { suspenseSearchQuery } from '../../api/schemas/suspense';
import { apiFor } from '../api';
import { filterValuesFrom, tag } from '../filters';
import { selectItems } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { renderFilteredList } from '../lists';
import { field, getPage, type Page, present } from '../page';
import { humanise } from '../timeline';
import { detailPage } from './suspenseDetail';
import { suspenseWorkPages } from './suspenseWork';

/** The suspense queue and one item, worked through the item's workflow by the API. */

export const suspenseStates = suspenseSearchQuery.shape.state.unwrap().options;

const ageOptions = [
  { value: 'overdue', text: 'Overdue' },
  { value: 'within', text: 'Within target' },
];

const filterTags = [
  tag('State', 'state', humanise),
  tag('Fund suggested', 'fundCode'),
  tag('Import', 'importId'),
  tag('Age', 'age', (value) => ageOptions.find((option) => option.value === value)?.text ?? value),
];

const filterFields = {
  inputs: {
    'query.state': 'state',
    'query.fundCode': 'fundCode',
    'query.importId': 'importId',
    'query.overdue': 'age',
    'query.before': 'importId',
  },
  labels: { state: 'State', fundCode: 'Fund', importId: 'Import id', age: 'Age' },
};

async function queuePage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, ['state', 'fundCode', 'importId', 'age']);
  const before = field(req.query, 'before');
  const overdue = values.age === 'overdue' ? 'true' : values.age === 'within' ? 'false' : '';
  const query = present({
    state: values.state,
    fundCode: values.fundCode,
    importId: values.importId,
    overdue,
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
        ...ageOptions.map((option) => ({ ...option, checked: option.value === values.age })),
      ],
    }),
  });
}

export function suspensePages(ctx: ApiContext): Page[] {
  const access = { permission: 'view' } as const;
  return [
    getPage('/suspense', access, 'Suspense', (req, res) => queuePage(ctx, req, res)),
    getPage('/suspense/:suspenseId', access, 'Suspense item', (req, res) =>
      detailPage(ctx, req, res),
    ),
    ...suspenseWorkPages(ctx),
  ];
}

import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { suspenseSearchQuery } from '../../api/schemas/suspense';
import { apiFor } from '../api';
import { cursorPagination, type FilterValues, selectedFilters, tag } from '../filters';
import { errorsFromProblem, type FormErrors, noErrors, selectItems } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { definePage, field, type Page } from '../page';
import { render } from '../render';
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

async function queuePage(ctx: ApiContext, req: Request, res: Response) {
  const values: FilterValues = Object.fromEntries(
    ['state', 'fundCode', 'importId', 'age'].map((key) => [key, field(req.query, key)]),
  );
  const before = field(req.query, 'before');
  const overdue = values.age === 'overdue' ? 'true' : values.age === 'within' ? 'false' : '';
  const query = Object.fromEntries(
    Object.entries({
      state: values.state,
      fundCode: values.fundCode,
      importId: values.importId,
      overdue,
      before,
      limit: '25',
    }).filter(([, value]) => value !== ''),
  );
  const funds = await fundsInScope(ctx, req, res);
  let errors: FormErrors = noErrors;
  let page: { items: unknown[]; nextCursor: string | null } = { items: [], nextCursor: null };
  try {
    page = await apiFor(ctx, req, res)('listSuspenseItems', { query });
  } catch (error) {
    if (!(error instanceof ProblemError) || error.code !== 'validation_failed') throw error;
    errors = errorsFromProblem(error, {
      inputs: {
        'query.state': 'state',
        'query.fundCode': 'fundCode',
        'query.importId': 'importId',
        'query.overdue': 'age',
        'query.before': 'importId',
      },
      labels: { state: 'State', fundCode: 'Fund', importId: 'Import id', age: 'Age' },
    });
  }
  render(
    res,
    'suspense/list.njk',
    {
      values,
      errors,
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
      selectedFilters: selectedFilters('/suspense', values, filterTags),
      pagination: cursorPagination('/suspense', values, before, page.nextCursor),
    },
    errors.list.length > 0 ? 400 : 200,
  );
}

export function suspensePages(ctx: ApiContext): Page[] {
  return [
    definePage({
      method: 'get',
      path: '/suspense',
      access: { permission: 'view' },
      title: 'Suspense',
      handler: (req, res) => queuePage(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/suspense/:suspenseId',
      access: { permission: 'view' },
      title: 'Suspense item',
      handler: (req, res) => detailPage(ctx, req, res),
    }),
    ...suspenseWorkPages(ctx),
  ];
}

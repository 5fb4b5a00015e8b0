import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { apiFor } from '../api';
import { filterValuesFrom, hrefWith, selectedFilters, tag } from '../filters';
import { noErrors } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { loadFiltered } from '../lists';
import { getPage, type Page, present } from '../page';
import { render } from '../render';
import { accountHolderEditPages } from './accountHolderEdit';

/**
 * Finding an account holder: by reference, name, address or postcode, fuzzily (pg_trgm), across
 * the funds the person may see. Opened from the payment and suspense screens it carries where
 * it came from (`for`), so each result offers "Use this account", which goes back there with
 * the fund and reference filled in.
 */

export type Holder = {
  fundCode: string;
  reference: string;
  name: string;
  address: string;
  onStopMessage: string | null;
};

const searchKeys = ['q', 'postcode', 'fundCode'];
/** Where the search was opened from, kept through the search form and its links. */
const contextKeys = ['for', 'suspenseId', 'items'];

const isSuspenseId = (value: string) => /^sus_[0-9a-z]{20}$/.test(value);

/** "Use this account": back to the screen the search was opened from, the account filled in. */
export function useHref(context: Record<string, string>, holder: Holder): string | null {
  const account = { fundCode: holder.fundCode, reference: holder.reference };
  switch (context.for) {
    case 'payment':
      return hrefWith('/payments/new', account);
    case 'suspense':
      return isSuspenseId(context.suspenseId ?? '')
        ? `${hrefWith(`/suspense/${context.suspenseId}`, account)}#allocate`
        : null;
    case 'together':
      return hrefWith('/suspense/together', { items: context.items ?? '', ...account });
    default:
      return null;
  }
}

async function searchPage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, searchKeys);
  const context = filterValuesFrom(req.query, contextKeys);
  const searched = values.q !== '' || values.postcode !== '';
  const [funds, { page, errors }] = await Promise.all([
    fundsInScope(ctx, req, res),
    loadFiltered(
      () =>
        searched
          ? apiFor(
              ctx,
              req,
              res,
            )<{ items: Holder[] }>('searchAccountHolders', {
              query: present({ ...values, limit: '25' }),
            })
          : Promise.resolve({ items: [] as Holder[] }),
      { items: [] as Holder[] },
      {
        inputs: { 'query.q': 'q', 'query.postcode': 'postcode', 'query.fundCode': 'fundCode' },
        labels: { q: 'Name, reference or address', postcode: 'Postcode', fundCode: 'Fund' },
      },
    ),
  ]);
  const path = hrefWith('/account-holders', context);
  render(
    res,
    'account-holders/search.njk',
    {
      values,
      context,
      errors,
      searched,
      items: page.items.map((holder) => ({
        ...holder,
        useHref: useHref(context, holder),
        href: `/account-holders/${holder.fundCode}/${encodeURIComponent(holder.reference)}`,
      })),
      fundItems: fundSelectItems(
        funds.filter((fund) => !fund.isSuspense),
        values.fundCode ?? '',
        'Any fund',
      ),
      selectedFilters: selectedFilters(path.split('?')[0]!, { ...values, ...context }, [
        tag('Name, reference or address', 'q'),
        tag('Postcode', 'postcode'),
        tag('Fund', 'fundCode'),
      ]),
    },
    errors === noErrors ? 200 : 400,
  );
}

export function accountHolderPages(ctx: ApiContext): Page[] {
  return [
    getPage('/account-holders', { permission: 'view' }, 'Find an account holder', (req, res) =>
      searchPage(ctx, req, res),
    ),
    ...accountHolderEditPages(ctx),
  ];
}

import type { Request, Response } from 'express';
import { actorOf } from '../api/actor';
import type { ApiContext } from '../api/context';
import { type FundScope, fundGroupInScope } from '../domain/permissions';
import { apiFor } from './api';

export type FundOption = { code: string; name: string; isSuspense: boolean };

type FundGroup = { code: string; fundCodes: string[] };

/**
 * The funds an actor may see: through any fund group in their scope (a fund can sit in several
 * groups). The API enforces scope on what it does; this keeps forms from offering funds the
 * API would refuse and lists from showing rows about funds outside it.
 */
export function codesInScope(scope: FundScope, groups: readonly FundGroup[]): Set<string> | 'all' {
  if (scope === 'all') return 'all';
  const codes = new Set<string>();
  for (const group of groups) {
    if (fundGroupInScope(scope, group.code)) for (const code of group.fundCodes) codes.add(code);
  }
  return codes;
}

export async function fundsInScope(
  ctx: ApiContext,
  req: Request,
  res: Response,
): Promise<FundOption[]> {
  const api = apiFor(ctx, req, res);
  const scope = actorOf(req, res).fundScope;
  const [funds, groups] = await Promise.all([
    api<{ items: FundOption[] }>('listFunds', { query: { disabled: 'false' } }),
    scope === 'all'
      ? Promise.resolve({ items: [] })
      : api<{ items: FundGroup[] }>('listFundGroups', { query: { disabled: 'false' } }),
  ]);
  const visible = codesInScope(scope, groups.items);
  return funds.items
    .filter((fund) => visible === 'all' || visible.has(fund.code))
    .map(({ code, name, isSuspense }) => ({ code, name, isSuspense }));
}

/** Options for a GOV.UK select, with a first 'choose' item and the current choice selected. */
export function fundSelectItems(funds: readonly FundOption[], selected: string, first: string) {
  return [
    { value: '', text: first },
    ...funds.map((fund) => ({
      value: fund.code,
      text: `${fund.name} (${fund.code})`,
      selected: fund.code === selected,
    })),
  ];
}

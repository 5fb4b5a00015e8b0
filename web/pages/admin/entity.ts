import type { apiFor } from '../../api';
import { penceToPoundsInput } from '../../format';
import type { FormError, FormErrors } from '../../forms';
import type { Item, Lookups, Section, Values } from './fields';

/**
 * A configuration entity served by the generic configuration routes (list, create, change,
 * disable, enable). One description (its sections and fields) drives the list, the form,
 * reading the form back into an API body, and pointing the API's field errors at the inputs.
 */
export type Api = ReturnType<typeof apiFor>;

export type Entity = {
  slug: string;
  noun: string;
  plural: string;
  /** 'fund', 'method of payment': for headings and messages. */
  singular: string;
  title: string;
  description: string;
  key: 'code' | 'id';
  sections: Section[];
  columns: { heading: string; value: (view: Record<string, unknown>) => string; numeric?: true }[];
  lookups?: (api: Api) => Promise<Lookups>;
  /** Checks and reshaping the generic reading cannot do (a check digit, rule conditions). */
  finish?: (body: Record<string, unknown>, values: Values) => FormError[];
  /** API field names of inputs that are not plain fields (the rule conditions). */
  extraInputs?: (values: Values) => Record<string, string>;
  /**
   * What the change page shows besides the form (a fund's "try a reference" box): more for
   * the view, and any errors of its own for the page's error summary.
   */
  onEditPage?: (
    api: Api,
    key: string,
    query: unknown,
  ) => Promise<{ context: Record<string, unknown>; errors: FormErrors }>;
};

export const pence = (value: unknown) => {
  const amount = typeof value === 'number' ? value : 0;
  return `£${penceToPoundsInput(amount)}`;
};

export async function fundItems(api: Api): Promise<Item[]> {
  const funds = await api<{ items: { code: string; name: string }[] }>('listFunds', {
    query: { disabled: 'false' },
  });
  return funds.items.map((fund) => ({ value: fund.code, text: `${fund.name} (${fund.code})` }));
}

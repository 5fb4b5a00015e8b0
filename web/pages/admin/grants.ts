import { permissionDescriptions, permissions } from '../../../domain/permissions';
import type { Api } from './entity';
import type { Field, Item, Lookups } from './fields';

/** What a user or an API key is granted: permissions, and the fund groups they act within. */

const permissionItems: Item[] = permissions.map((name) => ({
  value: name,
  text: name,
  hint: permissionDescriptions[name],
}));

async function fundGroupItems(api: Api): Promise<Item[]> {
  const groups = await api<{ items: { code: string; name: string }[] }>('listFundGroups', {
    query: { disabled: 'false' },
  });
  return [
    ...groups.items.map((group) => ({ value: group.code, text: `${group.name} (${group.code})` })),
    {
      value: '*',
      text: 'Every fund, including funds and groups added later',
      exclusive: true,
    },
  ];
}

export const grantFields: Field[] = [
  {
    id: 'permissions',
    api: 'permissions',
    label: 'Permissions',
    kind: 'checkboxes',
    options: 'permissions',
  },
  {
    id: 'fundGroups',
    api: 'fundGroups',
    label: 'Fund groups',
    kind: 'checkboxes',
    options: 'fundGroups',
    hint: 'The funds whose payments, items and reports they may see and act on',
  },
];

/** `null` (every fund group) when 'all' is ticked, else the groups ticked. */
export function fundGroupsOf(body: Record<string, unknown>): void {
  const groups = (body.fundGroups as string[] | undefined) ?? [];
  body.fundGroups = groups.includes('*') ? null : groups;
}

export const grantLookups = async (api: Api): Promise<Lookups> => ({
  permissions: permissionItems,
  fundGroups: await fundGroupItems(api),
});

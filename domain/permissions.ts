/**
 * What a person or an integration may do. Fine-grained on purpose: a council separates the
 * clerk who requests a refund from the officer who approves it, and both from the auditor.
 * Scope by fund group is separate (see `FundScope`): a permission says what, the scope says
 * over which funds.
 */
export const permissions = [
  'view',
  'payment.take',
  'payment.on_stop_override',
  'refund.request',
  'refund.approve',
  'cashup.approve',
  'writeoff.approve',
  'journal.post',
  'journal.approve',
  'suspense.work',
  'import',
  'reconcile',
  'configure',
  'audit.read',
  'operations',
  'provider',
] as const;

export type Permission = (typeof permissions)[number];

/** What a council's own staff may hold: everything but the service provider's permission. */
export const councilPermissions: readonly Permission[] = permissions.filter(
  (permission) => permission !== 'provider',
);

export const permissionDescriptions: Record<Permission, string> = {
  view: 'See payments, imports, suspense, refunds, the ledger and reports',
  'payment.take': 'Take a card payment for a caller',
  'payment.on_stop_override': 'Take money for an account that is on stop',
  'refund.request': 'Request a refund',
  'refund.approve': 'Approve or reject a refund someone else requested',
  'cashup.approve': 'Approve or reject a cashier’s return (cash-up) someone else submitted',
  'writeoff.approve': 'Approve writing off a suspense item',
  'journal.post': 'Move allocations, transfer between funds, reverse journals',
  'journal.approve':
    'Approve or reject a journal someone else asked for above the approval threshold',
  'suspense.work': 'Work suspense items: allocate, note, assign, request write-off',
  import: 'Upload and reverse income files',
  reconcile: 'Run settlement and bank reconciliation, match by hand, close the day',
  configure:
    'Change configuration: funds, validators, methods of payment, VAT, rules, users, API keys',
  'audit.read': 'Search the audit trail',
  operations: 'Inspect and act on stuck workflows; decrypt workflow payloads',
  provider:
    'Service provider: onboard and offboard councils, see every council’s health and queues (never their data)',
};

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

/** `all`, or the fund-group codes whose funds the holder may see and act on. */
export type FundScope = 'all' | ReadonlySet<string>;

export function fundGroupInScope(scope: FundScope, fundGroupCode: string): boolean {
  return scope === 'all' || scope.has(fundGroupCode);
}

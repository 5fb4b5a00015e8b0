import type { Permission } from '../domain/permissions';

/**
 * The primary navigation, in the order staff meet the work. An item shows only to someone
 * holding its permission, so nobody is offered a screen that would answer 403.
 */
export type NavItem = { text: string; href: string; permission: Permission };

export const navItems: readonly NavItem[] = [
  { text: 'Dashboard', href: '/', permission: 'view' },
  { text: 'Payments', href: '/payments', permission: 'view' },
  { text: 'Transactions', href: '/transactions', permission: 'view' },
  { text: 'Refunds', href: '/refunds', permission: 'view' },
  { text: 'Cash desk', href: '/cash-desk', permission: 'payment.take' },
  { text: 'Cash returns', href: '/cash-returns', permission: 'view' },
  { text: 'Suspense', href: '/suspense', permission: 'view' },
  { text: 'Journals', href: '/journals', permission: 'view' },
  { text: 'Account holders', href: '/account-holders', permission: 'view' },
  { text: 'Imports', href: '/imports', permission: 'view' },
  { text: 'Reconciliation', href: '/reconciliation', permission: 'reconcile' },
  { text: 'Close of day', href: '/close-of-day', permission: 'reconcile' },
  { text: 'Configuration', href: '/configuration', permission: 'configure' },
  { text: 'Operations', href: '/operations', permission: 'operations' },
  { text: 'Audit', href: '/audit', permission: 'audit.read' },
];

/** The items this actor may see, the one holding the current path marked active. */
export function visibleNav(permissions: ReadonlySet<Permission>, currentPath: string) {
  return navItems
    .filter((item) => permissions.has(item.permission))
    .map((item) => ({
      text: item.text,
      href: item.href,
      active:
        item.href === '/'
          ? currentPath === '/'
          : currentPath === item.href || currentPath.startsWith(`${item.href}/`),
    }));
}

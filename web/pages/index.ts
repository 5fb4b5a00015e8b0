import type { ApiContext } from '../../api/context';
import type { Page } from '../page';
import { adminPages } from './admin';
import { auditPages } from './audit';
import { closeOfDayPages } from './closeOfDay';
import { dashboardPages } from './dashboard';
import { importProfilePages } from './importProfiles';
import { importPages } from './imports';
import { operationsPages } from './operations';
import { operationsWebhookPages } from './operationsWebhooks';
import { paymentPages } from './payments';
import { reconciliationPages } from './reconciliation';
import { refundPages } from './refunds';
import { suspensePages } from './suspense';
import { transactionPages } from './transactions';

/** Every screen, one module per area (the sign-in pages are mounted with their options). */
export function allPages(ctx: ApiContext): Page[] {
  return [
    ...dashboardPages(ctx),
    ...paymentPages(ctx),
    ...transactionPages(ctx),
    ...refundPages(ctx),
    ...suspensePages(ctx),
    // Before importPages, whose '/imports/:importId' would take 'profiles' for an id.
    ...importProfilePages(ctx),
    ...importPages(ctx),
    ...reconciliationPages(ctx),
    ...closeOfDayPages(ctx),
    ...adminPages(ctx),
    ...operationsPages(ctx),
    ...operationsWebhookPages(ctx),
    ...auditPages(ctx),
  ];
}

import type { ApiContext } from '../../api/context';
import type { Page } from '../page';
import { accountHolderPages } from './accountHolders';
import { adminPages } from './admin';
import { auditPages } from './audit';
import { cashDeskPages } from './cashDesk';
import { cashReturnPages } from './cashReturns';
import { closeOfDayPages } from './closeOfDay';
import { dashboardPages } from './dashboard';
import { emailPages } from './emails';
import { importProfilePages } from './importProfiles';
import { importPages } from './imports';
import { journalPages } from './journals';
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
    ...cashDeskPages(ctx),
    ...cashReturnPages(ctx),
    ...suspensePages(ctx),
    // Before importPages, whose '/imports/:importId' would take 'profiles' for an id.
    ...importProfilePages(ctx),
    ...journalPages(ctx),
    ...accountHolderPages(ctx),
    ...importPages(ctx),
    ...reconciliationPages(ctx),
    ...closeOfDayPages(ctx),
    ...adminPages(ctx),
    ...operationsPages(ctx),
    ...operationsWebhookPages(ctx),
    ...emailPages(ctx),
    ...auditPages(ctx),
  ];
}

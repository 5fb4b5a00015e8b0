import type { ApiContext } from '../../../api/context';
import { getPage, type Page } from '../../page';
import { render } from '../../render';
import { apiKeyPages } from './apiKeys';
import { cardPaymentPages } from './cardPayments';
import { cashDeskConfigPages } from './cashDesk';
import { configEntities } from './entities';
import { entityPages } from './entityPages';
import { userPages } from './users';
import { webhookPages } from './webhooks';

/**
 * Configuration: funds, fund groups, methods of payment, VAT codes, offices and import rules
 * through the generic configuration routes, and staff accounts and API keys through their
 * own. Every change goes through the API, so the same checks and the same audit rows apply
 * as for an integration.
 */
export function adminPages(ctx: ApiContext): Page[] {
  return [
    getPage('/configuration', { permission: 'configure' }, 'Configuration', async (_req, res) =>
      render(res, 'admin/hub.njk', { entities: configEntities }),
    ),
    ...userPages(ctx),
    ...apiKeyPages(ctx),
    ...cardPaymentPages(ctx),
    ...cashDeskConfigPages(ctx),
    ...webhookPages(ctx),
    ...configEntities.flatMap((entity) => entityPages(ctx, entity)),
  ];
}

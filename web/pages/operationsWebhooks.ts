import type { ApiContext } from '../../api/context';
import { apiFor } from '../api';
import { screenNotices } from '../notices';
import { addressed, getPage, type Page, postPage } from '../page';
import { render } from '../render';

/** Operations → dead webhook deliveries (docs/operations.md), each with a redeliver action. */
const access = { permission: 'operations' } as const;
const noticeOf = screenNotices({ redelivered: 'The delivery is being sent again.' });

export function operationsWebhookPages(ctx: ApiContext): Page[] {
  return [
    getPage('/operations/webhooks', access, 'Dead webhook deliveries', async (req, res) => {
      const page = await apiFor(
        ctx,
        req,
        res,
      )<{ items: unknown[] }>('listWebhookDeliveries', {
        query: { status: 'dead', limit: '100' },
      });
      render(res, 'operations/webhooks.njk', {
        deliveries: page.items,
        notice: noticeOf(req.query),
      });
    }),
    postPage('/operations/webhook-deliveries/:id/redeliver', access, async (req, res) => {
      const id = addressed(req, 'id', (value) => /^whd_[0-9a-z]{20}$/.test(value), 'delivery');
      await apiFor(ctx, req, res)('redeliverWebhookDelivery', { params: { id }, body: {} });
      res.redirect(303, '/operations/webhooks?notice=redelivered');
    }),
  ];
}

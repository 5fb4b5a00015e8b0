import type { Request, Response } from 'express';
import type { ApiContext } from '../../../api/context';
import { webhookEvents } from '../../../domain/webhooks';
import { apiFor } from '../../api';
import { type FieldMap, type FormErrors, noErrors } from '../../forms';
import { screenNotices } from '../../notices';
import { addressed, field, getPage, listOf, type Page, param, postPage } from '../../page';
import { render } from '../../render';
import { submitForm } from '../../submit';

/**
 * Configuration → Webhooks (docs/webhooks.md): the council's subscriptions, adding one (its
 * signing secret shown once, on the answer page only), changing one, and on a subscription's
 * page: disable or enable, test-send with its result, rotate the secret, and the delivery log
 * with redelivery.
 */
const access = { permission: 'configure' } as const;
const isSubscriptionId = (value: string) => /^whs_[0-9a-z]{20}$/.test(value);
const isDeliveryId = (value: string) => /^whd_[0-9a-z]{20}$/.test(value);

const noticeOf = screenNotices({
  disabled: 'The webhook is disabled. It receives nothing until it is enabled.',
  enabled: 'The webhook is enabled.',
  redelivered: 'The delivery is being sent again.',
  changed: 'The webhook has been changed.',
});

const fields: FieldMap = {
  inputs: {
    'body.url': 'url',
    'body.events': 'events',
    'body.fundCode': 'fundCode',
    'body.description': 'description',
  },
  labels: { url: 'URL', events: 'Events', fundCode: 'Fund code', description: 'Description' },
};

type Values = { url: string; events: string[]; fundCode: string; description: string };
const blank: Values = { url: '', events: [...webhookEvents], fundCode: '', description: '' };

/** `editing`: the subscription being changed; absent: adding one. */
function formPage(
  res: Response,
  values: Values,
  errors: FormErrors = noErrors,
  status = 200,
  editing?: string,
) {
  const eventItems = webhookEvents.map((event) => ({
    value: event,
    text: event,
    checked: values.events.includes(event),
  }));
  render(res, 'admin/webhook-form.njk', { values, errors, eventItems, editing }, status);
}

/** What the API is sent for the form's values: an empty fund code means every fund. */
const bodyOf = (values: Values) => ({
  url: values.url,
  events: values.events,
  fundCode: values.fundCode === '' ? null : values.fundCode,
  description: values.description,
});

function checksOf(values: Values) {
  return [
    values.url === '' && { input: 'url', message: 'Enter the URL' },
    values.events.length === 0 && { input: 'events', message: 'Select at least one event' },
    values.description === '' && { input: 'description', message: 'Enter a description' },
  ];
}

type Subscription = { url: string; events: string[]; fundCode: string | null; description: string };

async function editForm(ctx: ApiContext, req: Request, res: Response) {
  const id = addressed(req, 'id', isSubscriptionId, 'webhook');
  const found = await apiFor(
    ctx,
    req,
    res,
  )<Subscription>('getWebhookSubscription', {
    params: { id },
  });
  formPage(res, { ...found, fundCode: found.fundCode ?? '' }, noErrors, 200, id);
}

async function edit(ctx: ApiContext, req: Request, res: Response) {
  const id = addressed(req, 'id', isSubscriptionId, 'webhook');
  const values = posted(req);
  await submitForm(ctx, req, res, {
    checks: checksOf(values),
    operationId: 'updateWebhookSubscription',
    input: { params: { id }, body: bodyOf(values) },
    fields,
    again: (errors, status) => formPage(res, values, errors, status, id),
    redirect: `/configuration/webhooks/${id}?notice=changed`,
  });
}

function posted(req: Request): Values {
  return {
    url: field(req.body, 'url'),
    events: listOf(req.body, 'events'),
    fundCode: field(req.body, 'fundCode').toUpperCase(),
    description: field(req.body, 'description'),
  };
}

async function create(ctx: ApiContext, req: Request, res: Response) {
  const values = posted(req);
  await submitForm<{ subscription: unknown; secret: string }>(ctx, req, res, {
    checks: checksOf(values),
    operationId: 'createWebhookSubscription',
    input: { body: bodyOf(values) },
    fields,
    again: (errors, status) => formPage(res, values, errors, status),
    // The secret is shown on this response only: never in a URL, never stored by the screen.
    respond: (created) =>
      render(res, 'admin/webhook-secret.njk', { ...created, heading: 'Webhook added' }, 201),
  });
}

async function detail(
  ctx: ApiContext,
  req: Request,
  res: Response,
  extra: Record<string, unknown> = {},
) {
  const id = addressed(req, 'id', isSubscriptionId, 'webhook');
  const api = apiFor(ctx, req, res);
  const subscription = await api('getWebhookSubscription', { params: { id } });
  const deliveries = await api<{ items: unknown[] }>('listWebhookSubscriptionDeliveries', {
    params: { id },
    query: { limit: '50' },
  });
  render(res, 'admin/webhook.njk', {
    subscription,
    deliveries: deliveries.items,
    notice: noticeOf(req.query),
    ...extra,
  });
}

function action(ctx: ApiContext, operationId: string, notice: string): Page['handler'] {
  return async (req, res) => {
    const id = addressed(req, 'id', isSubscriptionId, 'webhook');
    await apiFor(ctx, req, res)(operationId, { params: { id }, body: {} });
    res.redirect(303, `/configuration/webhooks/${id}?notice=${notice}`);
  };
}

export function webhookPages(ctx: ApiContext): Page[] {
  return [
    getPage('/configuration/webhooks', access, 'Webhooks', async (req, res) => {
      const list = await apiFor(ctx, req, res)<{ items: unknown[] }>('listWebhookSubscriptions');
      render(res, 'admin/webhooks.njk', { subscriptions: list.items, notice: noticeOf(req.query) });
    }),
    getPage('/configuration/webhooks/new', access, 'Add a webhook', async (_req, res) =>
      formPage(res, blank),
    ),
    postPage('/configuration/webhooks/new', access, (req, res) => create(ctx, req, res)),
    getPage('/configuration/webhooks/:id', access, 'Webhook', (req, res) => detail(ctx, req, res)),
    getPage('/configuration/webhooks/:id/edit', access, 'Change a webhook', (req, res) =>
      editForm(ctx, req, res),
    ),
    postPage('/configuration/webhooks/:id/edit', access, (req, res) => edit(ctx, req, res)),
    postPage(
      '/configuration/webhooks/:id/disable',
      access,
      action(ctx, 'disableWebhookSubscription', 'disabled'),
    ),
    postPage(
      '/configuration/webhooks/:id/enable',
      access,
      action(ctx, 'enableWebhookSubscription', 'enabled'),
    ),
    postPage('/configuration/webhooks/:id/test', access, async (req, res) => {
      const id = addressed(req, 'id', isSubscriptionId, 'webhook');
      const result = await apiFor(
        ctx,
        req,
        res,
      )('testWebhookSubscription', {
        params: { id },
        body: {},
      });
      // The result belongs to this answer: shown in place, not through a redirect.
      await detail(ctx, req, res, { testResult: result });
    }),
    postPage('/configuration/webhooks/:id/rotate-secret', access, async (req, res) => {
      const id = addressed(req, 'id', isSubscriptionId, 'webhook');
      const rotated = await apiFor(
        ctx,
        req,
        res,
      )<Record<string, unknown>>('rotateWebhookSecret', { params: { id }, body: {} });
      render(res, 'admin/webhook-secret.njk', { ...rotated, heading: 'New signing secret' });
    }),
    postPage(
      '/configuration/webhooks/:id/deliveries/:deliveryId/redeliver',
      access,
      async (req, res) => {
        const id = addressed(req, 'id', isSubscriptionId, 'webhook');
        const deliveryId = addressed(req, 'deliveryId', isDeliveryId, 'delivery');
        await apiFor(
          ctx,
          req,
          res,
        )('redeliverWebhookSubscriptionDelivery', {
          params: { id, deliveryId },
          body: {},
        });
        res.redirect(303, `/configuration/webhooks/${param(req, 'id')}?notice=redelivered`);
      },
    ),
  ];
}

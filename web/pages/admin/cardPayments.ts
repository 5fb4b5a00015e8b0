import type { Request, Response } from 'express';
import type { ApiContext } from '../../../api/context';
import { apiFor } from '../../api';
import { noErrors } from '../../forms';
import { screenNotices } from '../../notices';
import { field, getPage, type Page, postPage } from '../../page';
import { render } from '../../render';
import { submitForm } from '../../submit';
import { fundItems } from './entity';
import type { Item, Section } from './fields';
import { type FormState, fieldMap, formView, readPosted } from './form';

/**
 * The council's own GOV.UK Pay account (docs/tenancy.md): its API keys and webhook secret, set
 * here and never shown again, and the rotation of its payload encryption key.
 */

const noticeOf = screenNotices({
  saved: 'It has been set. Payments and webhooks use it from now on.',
  removed: 'It has been removed.',
  rotated: 'A new encryption key is in use. Older keys stay, so earlier records still open.',
});

const kinds: Item[] = [
  { value: 'apiKey', text: 'GOV.UK Pay API key' },
  { value: 'webhookSecret', text: 'GOV.UK Pay webhook signing secret' },
];

const credentialSections: Section[] = [
  {
    fields: [
      {
        id: 'kind',
        api: 'kind',
        label: 'What to set',
        kind: 'select',
        options: 'kinds',
        required: 'Choose what to set',
      },
      {
        id: 'fundCode',
        api: 'fundCode',
        label: 'Fund (API keys only)',
        hint: 'For a fund that is a GOV.UK Pay service of its own. Choose None for the council’s key.',
        kind: 'select',
        options: 'funds',
      },
      {
        id: 'secret',
        api: 'secret',
        label: 'Key or secret',
        hint: 'From GOV.UK Pay’s admin tool. It is kept sealed and never shown again.',
        kind: 'password',
        required: 'Enter the key or secret',
      },
    ],
  },
];

type Credential = {
  kind: string;
  fundCode: string | null;
  hint: string;
  updatedBy: string;
  updatedAt: string;
};
type PayloadKey = { keyId: string; createdAt: string; current: boolean };

async function cardPaymentsPage(ctx: ApiContext, req: Request, res: Response, state?: FormState) {
  const api = apiFor(ctx, req, res);
  const councilId = String(res.locals.councilId);
  const [credentials, keys, funds] = await Promise.all([
    api<{ items: Credential[] }>('listPspCredentials'),
    api<{ items: PayloadKey[] }>('listCouncilPayloadKeys'),
    fundItems(api),
  ]);
  render(
    res,
    'admin/card-payments.njk',
    {
      ...formView(
        credentialSections,
        state?.values ?? {},
        { kinds, funds },
        state?.errors ?? noErrors,
        'create',
      ),
      credentials: credentials.items.map((item) => ({
        ...item,
        what: kinds.find((kind) => kind.value === item.kind)?.text ?? item.kind,
      })),
      payloadKeys: keys.items,
      ownKeys: councilId !== 'default',
      webhookUrl: `/v1/webhooks/govuk-pay?council=${encodeURIComponent(councilId)}`,
      notice: noticeOf(req.query),
    },
    state?.status ?? 200,
  );
}

async function setCredential(ctx: ApiContext, req: Request, res: Response) {
  const { values, body, errors } = readPosted(credentialSections, req.body, 'create');
  await submitForm(ctx, req, res, {
    checks: errors,
    operationId: 'setPspCredential',
    input: { body },
    fields: fieldMap(credentialSections),
    // What was typed is never shown back: a refused secret is typed again.
    again: (errors, status) =>
      cardPaymentsPage(ctx, req, res, { values: { ...values, secret: '' }, errors, status }),
    redirect: '/configuration/card-payments?notice=saved',
  });
}

export function cardPaymentPages(ctx: ApiContext): Page[] {
  const access = { permission: 'configure' } as const;
  const base = '/configuration/card-payments';
  return [
    getPage(base, access, 'Card payments', (req, res) => cardPaymentsPage(ctx, req, res)),
    postPage(base, access, (req, res) => setCredential(ctx, req, res)),
    postPage(`${base}/remove`, access, async (req, res) => {
      const fundCode = field(req.body, 'fundCode');
      await apiFor(
        ctx,
        req,
        res,
      )('removePspCredential', {
        body: { kind: field(req.body, 'kind'), ...(fundCode === '' ? {} : { fundCode }) },
      });
      res.redirect(303, `${base}?notice=removed`);
    }),
    postPage(`${base}/rotate-key`, access, async (req, res) => {
      await apiFor(ctx, req, res)('rotateCouncilPayloadKey', { body: {} });
      res.redirect(303, `${base}?notice=rotated`);
    }),
  ];
}

import type { Request, Response } from 'express';
import type { ApiContext } from '../../../api/context';
import { ProblemError } from '../../../api/problem';
import { isIsoDate } from '../../../domain/financialPeriod';
import { apiFor } from '../../api';
import { dateFromParts } from '../../filters';
import { noErrors } from '../../forms';
import { getPage, type Page, param, postPage } from '../../page';
import { render } from '../../render';
import { submitForm } from '../../submit';
import { londonDayEnd } from '../audit';
import { type Section, text, type Values } from './fields';
import { type FormState, fieldMap, formView, noticeOf, readPosted } from './form';
import { fundGroupsOf, grantFields, grantLookups } from './grants';

/** API keys for integrations: create one (its secret shown once), list and revoke them. */

const apiKeySections: Section[] = [
  {
    fields: [
      text('principal', 'Principal', {
        required: 'Enter the principal',
        hint: 'Who acts when the key is used: what the audit trail records, for example pos-system',
        classes: 'govuk-input--width-20',
      }),
      text('description', 'Description', {
        required: 'Enter a description',
        hint: 'What the key is for',
      }),
      {
        id: 'expires',
        api: 'expiresAt',
        label: 'Expires on',
        kind: 'date',
        hint: 'Optional. The key stops working at the end of this day. For example, 31 3 2027',
      },
    ],
  },
  { fields: grantFields },
];

async function keyForm(ctx: ApiContext, req: Request, res: Response, state?: FormState) {
  const lookups = await grantLookups(apiFor(ctx, req, res));
  render(
    res,
    'admin/api-key-form.njk',
    formView(apiKeySections, state?.values ?? {}, lookups, state?.errors ?? noErrors, 'create'),
    state?.status ?? 200,
  );
}

/** The expiry date as the end of that day in London; '' for none; null when not a real date. */
function expiryOf(values: Values): string | null {
  const date = dateFromParts(
    String(values.expiresDay ?? ''),
    String(values.expiresMonth ?? ''),
    String(values.expiresYear ?? ''),
  );
  if (date === '') return '';
  return isIsoDate(date) ? londonDayEnd(date) : null;
}

async function createKey(ctx: ApiContext, req: Request, res: Response) {
  const { values, body, errors } = readPosted(apiKeySections, req.body, 'create');
  fundGroupsOf(body);
  const expiresAt = expiryOf(values);
  if (expiresAt === null)
    errors.push({ input: 'expires', message: 'Expires on must be a real date' });
  else if (expiresAt !== '') body.expiresAt = expiresAt;
  if ((body.permissions as string[]).length === 0)
    errors.push({ input: 'permissions', message: 'Select at least one permission' });
  await submitForm<{ apiKey: unknown; key: string }>(ctx, req, res, {
    checks: errors,
    operationId: 'createApiKey',
    input: { body },
    fields: fieldMap(apiKeySections, { 'body.expiresAt': 'expires' }),
    again: (errors, status) => keyForm(ctx, req, res, { values, errors, status }),
    // The secret is shown on this response only: never in a URL, never stored by the screen.
    respond: (created) => render(res, 'admin/api-key-created.njk', created, 201),
  });
}

type ApiKey = { keyId: string; revokedAt: string | null };

async function keyOf(ctx: ApiContext, req: Request, res: Response): Promise<ApiKey> {
  const keyId = param(req, 'keyId');
  const keys = await apiFor(ctx, req, res)<{ items: ApiKey[] }>('listApiKeys');
  const key = keys.items.find((item) => item.keyId === keyId);
  if (key === undefined) throw new ProblemError('not_found', `No API key ${keyId}`);
  return key;
}

export function apiKeyPages(ctx: ApiContext): Page[] {
  const access = { permission: 'configure' } as const;
  return [
    getPage('/configuration/api-keys', access, 'API keys', async (req, res) => {
      const keys = await apiFor(ctx, req, res)<{ items: ApiKey[] }>('listApiKeys');
      render(res, 'admin/api-keys.njk', { keys: keys.items, notice: noticeOf(req.query) });
    }),
    getPage('/configuration/api-keys/new', access, 'Create an API key', (req, res) =>
      keyForm(ctx, req, res),
    ),
    postPage('/configuration/api-keys/new', access, (req, res) => createKey(ctx, req, res)),
    getPage(
      '/configuration/api-keys/:keyId/revoke',
      access,
      'Revoke an API key',
      async (req, res) =>
        render(res, 'admin/api-key-revoke.njk', { key: await keyOf(ctx, req, res) }),
    ),
    postPage('/configuration/api-keys/:keyId/revoke', access, async (req, res) => {
      await apiFor(ctx, req, res)('revokeApiKey', { params: { keyId: param(req, 'keyId') } });
      res.redirect(303, '/configuration/api-keys?notice=revoked');
    }),
  ];
}

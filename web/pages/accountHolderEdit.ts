import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { apiFor, callApi } from '../api';
import { errorsFromProblem, type FormErrors, noErrors } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { screenNotices } from '../notices';
import { field, getPage, type Page, param, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

/**
 * One account holder: created or edited with a structured name and address, and put on or
 * taken off stop with one of the fund's reusable messages (or a new one, which can be saved
 * for reuse). Each form runs the API's own route, so the API's checks name the input.
 */

const detailFields = [
  'title',
  'forenames',
  'surname',
  'organisation',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
] as const;

const labels: Record<string, string> = {
  fundCode: 'Fund',
  reference: 'Account reference',
  title: 'Title',
  forenames: 'First names',
  surname: 'Surname',
  organisation: 'Organisation',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  town: 'Town or city',
  postcode: 'Postcode',
  stopMessage: 'On-stop message',
  saveAsCode: 'Code to save the message as',
};

const inputs = (apiField: string) => {
  const name = apiField.replace(/^(body|params)\./, '');
  if (name === 'code') return 'fundCode';
  if (name.startsWith('onStop')) return 'stopMessage';
  return name in labels ? name : undefined;
};
const fields = { inputs, labels };

const noticeOf = screenNotices({
  created: 'The account holder has been added.',
  saved: 'The changes have been saved.',
  stopped: 'The account is on stop.',
  unstopped: 'The account is no longer on stop.',
});

type Values = Record<string, string>;
const valuesOf = (source: unknown, names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, field(source, name)]));

async function newForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: { values: Values; errors: FormErrors; status: number },
) {
  const funds = (await fundsInScope(ctx, req, res)).filter((fund) => !fund.isSuspense);
  render(
    res,
    'account-holders/new.njk',
    { ...form, fundItems: fundSelectItems(funds, form.values.fundCode ?? '', 'Choose a fund') },
    form.status,
  );
}

async function create(ctx: ApiContext, req: Request, res: Response) {
  const values = valuesOf(req.body, ['fundCode', 'reference', ...detailFields]);
  const { fundCode = '', reference = '', ...details } = values;
  await submitForm<{ reference: string }>(ctx, req, res, {
    checks: [
      fundCode === '' && { input: 'fundCode', message: 'Choose the fund the account is in' },
      reference === '' && { input: 'reference', message: 'Enter the account reference' },
      values.surname === '' &&
        values.organisation === '' && {
          input: 'surname',
          message: 'Enter a surname or an organisation',
        },
    ],
    operationId: 'createAccountHolder',
    input: { params: { code: fundCode }, body: { reference, ...details } },
    fields,
    again: (errors, status) => newForm(ctx, req, res, { values, errors, status }),
    redirect: (holder) =>
      `/account-holders/${fundCode}/${encodeURIComponent(holder.reference)}?notice=created`,
  });
}

type DetailForm = { values: Values; errors: FormErrors; status: number };

async function detailPage(ctx: ApiContext, req: Request, res: Response, form?: DetailForm) {
  const code = param(req, 'fundCode');
  const reference = param(req, 'reference');
  const api = apiFor(ctx, req, res);
  const [holder, messages] = await Promise.all([
    api<Record<string, unknown>>('getAccountHolder', { params: { code, reference } }),
    api<{ items: { code: string; message: string }[] }>('listOnStopMessages', {
      params: { code },
    }),
  ]);
  const values =
    form?.values ??
    Object.fromEntries(detailFields.map((name) => [name, String(holder[name] ?? '')]));
  render(
    res,
    'account-holders/detail.njk',
    {
      fundCode: code,
      holder,
      values,
      errors: form?.errors ?? noErrors,
      messageItems: [
        ...messages.items.map((message) => ({
          value: message.code,
          text: message.message,
          checked: values.messageCode === message.code,
        })),
      ],
      notice: noticeOf(req.query),
      base: `/account-holders/${code}/${encodeURIComponent(reference)}`,
    },
    form?.status ?? 200,
  );
}

async function save(ctx: ApiContext, req: Request, res: Response) {
  const code = param(req, 'fundCode');
  const reference = param(req, 'reference');
  const values = valuesOf(req.body, detailFields);
  await submitForm(ctx, req, res, {
    checks: [
      values.surname === '' &&
        values.organisation === '' && {
          input: 'surname',
          message: 'Enter a surname or an organisation',
        },
    ],
    operationId: 'updateAccountHolder',
    input: { params: { code, reference }, body: values },
    fields,
    again: (errors, status) => detailPage(ctx, req, res, { values, errors, status }),
    redirect: `/account-holders/${code}/${encodeURIComponent(reference)}?notice=saved`,
  });
}

/**
 * On stop with a saved message, a new one (saved for reuse when given a code), or off stop.
 * Saving the new message runs first: if the stop is then refused, the message is still kept.
 */
async function stop(ctx: ApiContext, req: Request, res: Response) {
  const code = param(req, 'fundCode');
  const reference = param(req, 'reference');
  const values = valuesOf(req.body, ['action', 'messageCode', 'stopMessage', 'saveAsCode']);
  const again = (errors: FormErrors, status: number) =>
    detailPage(ctx, req, res, { values, errors, status });
  if (values.action === 'remove') {
    await callApi(
      ctx,
      'updateAccountHolder',
      { params: { code, reference }, body: { onStop: null } },
      req,
      res,
    );
    return res.redirect(
      303,
      `/account-holders/${code}/${encodeURIComponent(reference)}?notice=unstopped`,
    );
  }
  let onStop: { messageCode: string } | { message: string } | undefined;
  if (values.messageCode !== '') onStop = { messageCode: values.messageCode! };
  else if (values.stopMessage !== '' && values.saveAsCode !== '') {
    try {
      await callApi(
        ctx,
        'createOnStopMessage',
        {
          params: { code },
          body: { code: values.saveAsCode, message: values.stopMessage },
        },
        req,
        res,
      );
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      const errors = errorsFromProblem(error, {
        inputs: (apiField) => (apiField === 'body.code' ? 'saveAsCode' : 'stopMessage'),
        labels,
      });
      return again(errors, 400);
    }
    onStop = { messageCode: values.saveAsCode! };
  } else if (values.stopMessage !== '') onStop = { message: values.stopMessage! };
  await submitForm(ctx, req, res, {
    checks: [
      onStop === undefined && {
        input: 'messageCode',
        message: 'Choose a message, or write one, to put the account on stop',
      },
    ],
    operationId: 'updateAccountHolder',
    input: { params: { code, reference }, body: { onStop } },
    fields: { inputs: () => 'stopMessage', labels },
    again,
    redirect: `/account-holders/${code}/${encodeURIComponent(reference)}?notice=stopped`,
  });
}

export function accountHolderEditPages(ctx: ApiContext): Page[] {
  const viewer = { permission: 'view' } as const;
  const editor = { permission: 'configure' } as const;
  const one = '/account-holders/:fundCode/:reference';
  return [
    getPage('/account-holders/new', editor, 'Add an account holder', (req, res) =>
      newForm(ctx, req, res, {
        values: valuesOf(req.query, ['fundCode']),
        errors: noErrors,
        status: 200,
      }),
    ),
    postPage('/account-holders/new', editor, (req, res) => create(ctx, req, res)),
    getPage(one, viewer, 'Account holder', (req, res) => detailPage(ctx, req, res)),
    postPage(one, editor, (req, res) => save(ctx, req, res)),
    postPage(`${one}/stop`, editor, (req, res) => stop(ctx, req, res)),
  ];
}

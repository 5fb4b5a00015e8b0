import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { readUploadedTexts } from '../../api/upload';
import { apiFor, callApi } from '../api';
import {
  errorsFromProblem,
  type FormErrors,
  formErrors,
  isFormProblem,
  noErrors,
  selectItems,
  statusOf,
} from '../forms';
import { addressed, getPage, type Page, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';
import {
  csvColumnFields,
  definitionOf,
  type ProfileFormValues,
  profileFormKeys,
  valuesOfProfile,
} from './importProfileForm';

/**
 * Import profiles on screen: the list, and a form that creates or edits a CSV or fixed-width
 * profile. The form takes a sample file: "Preview" parses it with the profile as typed and
 * shows the rows it would make and the errors by line (previewImportProfile); "Save" saves it.
 */
type Profile = {
  id: string;
  name: string;
  kind: string;
  definition: Record<string, unknown>;
  methodOfPaymentCode: string;
  clearingAccountCode: string;
  disabled: boolean;
};
type Preview = { rows: unknown[]; rowCount: number; totalPence: number; errors: unknown[] };

const fields = {
  inputs: (apiField: string) => {
    if (apiField.startsWith('body.definition.columns')) return 'column-reference';
    if (apiField.startsWith('body.definition')) return 'definition';
    const name = apiField.replace(/^body\./, '');
    return name === 'sample' ? 'sample' : profileFormKeys.includes(name) ? name : undefined;
  },
  labels: {
    id: 'Profile id',
    name: 'Name',
    methodOfPaymentCode: 'Method of payment',
    clearingAccountCode: 'Clearing account',
    definition: 'The layout',
    'column-reference': 'Columns',
    sample: 'Sample file',
  },
};

async function methodItems(ctx: ApiContext, req: Request, res: Response, selected: string) {
  const { items } = await apiFor(
    ctx,
    req,
    res,
  )<{ items: { code: string; name: string }[] }>('listMethodsOfPayment', {
    query: { disabled: 'false' },
  });
  return selectItems(
    items.map((item) => ({ value: item.code, text: `${item.name} (${item.code})` })),
    selected,
    'Choose a method of payment',
  );
}

const choiceOptions: Record<string, [string, string][]> = {
  delimiter: [
    ['comma', 'Comma'],
    ['semicolon', 'Semicolon'],
    ['tab', 'Tab'],
    ['pipe', 'Vertical bar'],
  ],
  dateFormat: ['DD/MM/YYYY', 'DD/MM/YY', 'DD-MM-YYYY', 'YYYY-MM-DD', 'YYYYMMDD'].map((f) => [f, f]),
  amountFormat: [
    ['pounds', 'In pounds, for example 12.34'],
    ['pence', 'In pence, for example 1234'],
  ],
};

function choicesFor(values: ProfileFormValues) {
  return Object.fromEntries(
    Object.entries(choiceOptions).map(([key, options]) => [
      key,
      selectItems(
        options.map(([value, text]) => ({ value, text })),
        values[key] ?? '',
      ),
    ]),
  );
}

type FormState = {
  values: ProfileFormValues;
  errors: FormErrors;
  preview?: Preview;
  status: number;
  editing?: string;
};

async function showForm(ctx: ApiContext, req: Request, res: Response, state: FormState) {
  render(
    res,
    'imports/profile-form.njk',
    {
      values: state.values,
      errors: state.errors,
      preview: state.preview,
      editing: state.editing,
      columnFields: csvColumnFields,
      choices: choicesFor(state.values),
      methodItems: await methodItems(ctx, req, res, state.values.methodOfPaymentCode ?? ''),
      action: state.editing ? `/imports/profiles/${state.editing}` : '/imports/profiles/new',
    },
    state.status,
  );
}

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const { profiles } = await apiFor(ctx, req, res)<{ profiles: Profile[] }>('listImportProfiles');
  render(res, 'imports/profiles.njk', {
    profiles,
    notice: req.query.notice === 'saved' ? 'The profile has been saved.' : undefined,
  });
}

const blank: ProfileFormValues = {
  kind: 'csv',
  hasHeader: 'yes',
  clearingAccountCode: 'CTRL:BANK',
};

async function newPage(ctx: ApiContext, req: Request, res: Response) {
  const kind = req.query.kind === 'fixedWidth' ? 'fixedWidth' : 'csv';
  await showForm(ctx, req, res, { values: { ...blank, kind }, errors: noErrors, status: 200 });
}

const profileIdOf = (req: Request) =>
  addressed(req, 'profileId', (value) => /^[a-z0-9-]{1,40}$/.test(value), 'import profile');

/** The profile in the address, or a page that does not exist (another council's too). */
async function savedProfile(ctx: ApiContext, req: Request, res: Response): Promise<Profile> {
  const profileId = profileIdOf(req);
  const { profiles } = await apiFor(ctx, req, res)<{ profiles: Profile[] }>('listImportProfiles');
  const profile = profiles.find((each) => each.id === profileId);
  if (profile === undefined) throw new ProblemError('not_found', `No import profile ${profileId}`);
  return profile;
}

async function editPage(ctx: ApiContext, req: Request, res: Response) {
  const profile = await savedProfile(ctx, req, res);
  const profileId = profile.id;
  await showForm(ctx, req, res, {
    values: valuesOfProfile(profile),
    errors: noErrors,
    status: 200,
    editing: profileId,
  });
}

async function preview(
  ctx: ApiContext,
  req: Request,
  res: Response,
  state: FormState,
  definition: Record<string, unknown>,
  sample: string,
) {
  if (sample === '')
    return showForm(ctx, req, res, {
      ...state,
      status: 400,
      errors: formErrors([{ input: 'sample', message: 'Choose a sample file to preview' }]),
    });
  try {
    const shown = await callApi<Preview>(
      ctx,
      'previewImportProfile',
      { body: { kind: state.values.kind, definition, sample } },
      req,
      res,
    );
    await showForm(ctx, req, res, { ...state, preview: shown });
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    await showForm(ctx, req, res, {
      ...state,
      status: statusOf(error),
      errors: errorsFromProblem(error, fields),
    });
  }
}

async function save(ctx: ApiContext, req: Request, res: Response, editing?: string) {
  const texts = await readUploadedTexts(req, { partsMax: 40, bytesMax: 900_000 });
  const values = Object.fromEntries(profileFormKeys.map((key) => [key, (texts[key] ?? '').trim()]));
  if (editing) values.id = editing;
  const state: FormState = { values, errors: noErrors, status: 200, editing };
  const built = definitionOf(values);
  if (!built.ok)
    return showForm(ctx, req, res, {
      ...state,
      status: 400,
      errors: formErrors([{ input: 'definitionJson', message: built.message }]),
    });
  if (texts.action === 'preview')
    return preview(ctx, req, res, state, built.definition, texts.sample ?? '');
  const body = {
    name: values.name,
    definition: built.definition,
    methodOfPaymentCode: values.methodOfPaymentCode,
    clearingAccountCode: values.clearingAccountCode,
  };
  await submitForm(ctx, req, res, {
    operationId: editing ? 'updateImportProfile' : 'createImportProfile',
    input: editing
      ? { params: { profileId: editing }, body }
      : { body: { ...body, id: values.id, kind: values.kind } },
    fields,
    again: (errors, status) => showForm(ctx, req, res, { ...state, errors, status }),
    redirect: '/imports/profiles?notice=saved',
  });
}

export function importProfilePages(ctx: ApiContext): Page[] {
  const configure = { permission: 'configure' } as const;
  return [
    getPage('/imports/profiles', { permission: 'view' }, 'Import profiles', (req, res) =>
      listPage(ctx, req, res),
    ),
    getPage('/imports/profiles/new', configure, 'New import profile', (req, res) =>
      newPage(ctx, req, res),
    ),
    postPage('/imports/profiles/new', configure, (req, res) => save(ctx, req, res)),
    getPage('/imports/profiles/:profileId', configure, 'Edit import profile', (req, res) =>
      editPage(ctx, req, res),
    ),
    postPage('/imports/profiles/:profileId', configure, async (req, res) =>
      save(ctx, req, res, (await savedProfile(ctx, req, res)).id),
    ),
  ];
}

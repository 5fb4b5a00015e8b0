import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { isId } from '../../domain/ids';
import { apiFor } from '../api';
import { cursorPagination, hrefWith } from '../filters';
import {
  errorsFromProblem,
  type FormErrors,
  formErrors,
  isFormProblem,
  noErrors,
  selectItems,
  statusOf,
} from '../forms';
import { definePage, field, type Page, param } from '../page';
import { render } from '../render';

/**
 * Income files: the list, uploading one, following one while it imports (its errors by line
 * number) and reversing one. The upload form posts multipart/form-data to this screen, whose
 * handler hands the request stream to the API's own `uploadImport` route, so the file is
 * streamed to disk once, by the same code, with the same limits and duplicate check.
 */
type ImportView = {
  importId: string;
  fileName: string;
  profileId: string;
  state: string;
  rowsRead: number;
  totalPence: number;
  chunksTotal: number | null;
  chunksPosted: number | null;
};
type Profile = { id: string; name: string; kind: string; disabled: boolean };
type ImportError = { seq: number; lineNo: number; field: string | null; message: string };

/** States in which the workflow is still at work: the page offers a Refresh link. */
const runningStates = new Set(['received', 'parsing', 'posting']);
const errorsPageSize = 100;
const listPageSize = 25;

/** Fixed success messages after a redirect, chosen by `?notice=`: a link cannot say more. */
const notices: Record<string, string> = {
  uploaded: 'The file has been uploaded and is being imported.',
  reversed: 'The import has been reversed.',
};
const noticeOf = (req: Request) => {
  const key = field(req.query, 'notice');
  return Object.hasOwn(notices, key) ? notices[key] : undefined;
};

/** Upload refusals a person can fix on the form: no file, a duplicate, too large. */
const uploadProblemCodes = new Set(['payload_too_large', 'unsupported_media_type']);
const uploadFields = {
  inputs: { profileId: 'profileId', file: 'file', 'query.profileId': 'profileId' },
  labels: { profileId: 'Import profile', file: 'File' },
};

async function profiles(ctx: ApiContext, req: Request, res: Response) {
  return (await apiFor(ctx, req, res)<{ profiles: Profile[] }>('listImportProfiles')).profiles;
}

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const before = field(req.query, 'before');
  const query =
    before === '' ? { limit: String(listPageSize) } : { limit: String(listPageSize), before };
  const [page, known] = await Promise.all([
    api<{ imports: ImportView[]; nextCursor: string | null }>('listImports', { query }),
    profiles(ctx, req, res),
  ]);
  const profileName = new Map(known.map((profile) => [profile.id, profile.name]));
  render(res, 'imports/list.njk', {
    imports: page.imports.map((row) => ({
      ...row,
      profileName: profileName.get(row.profileId) ?? row.profileId,
    })),
    pagination: cursorPagination('/imports', {}, before, page.nextCursor),
    notice: noticeOf(req),
  });
}

async function uploadForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: { errors: FormErrors; profileId: string; status: number },
) {
  const enabled = (await profiles(ctx, req, res)).filter((profile) => !profile.disabled);
  render(
    res,
    'imports/new.njk',
    {
      errors: form.errors,
      profileItems: selectItems(
        enabled.map((profile) => ({ value: profile.id, text: profile.name })),
        form.profileId,
        'Choose the kind of file',
      ),
    },
    form.status,
  );
}

async function upload(ctx: ApiContext, req: Request, res: Response) {
  try {
    const created = await apiFor(ctx, req, res)<ImportView>('uploadImport');
    res.redirect(303, `/imports/${created.importId}?notice=uploaded`);
  } catch (error) {
    const fixable =
      isFormProblem(error) || (error instanceof ProblemError && uploadProblemCodes.has(error.code));
    if (!fixable) throw error;
    // The multipart fields were read by the API's parser, so the choice cannot be kept.
    const errors = errorsFromProblem(error as ProblemError, uploadFields);
    await uploadForm(ctx, req, res, {
      errors,
      profileId: '',
      status: statusOf(error as ProblemError),
    });
  }
}

/** The import named in the address; a malformed id is a page that does not exist. */
function importIdOf(req: Request): string {
  const importId = param(req, 'importId');
  if (!isId('import', importId)) throw new ProblemError('not_found', `No import ${importId}`);
  return importId;
}

async function detailPage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const importId = importIdOf(req);
  const after = field(req.query, 'errorsAfter');
  const errorQuery = { limit: String(errorsPageSize), ...(after === '' ? {} : { after }) };
  const [record, found, known] = await Promise.all([
    api<ImportView>('getImport', { params: { importId } }),
    api<{ errors: ImportError[] }>('listImportErrors', { params: { importId }, query: errorQuery }),
    profiles(ctx, req, res),
  ]);
  const last = found.errors.at(-1);
  render(res, 'imports/detail.njk', {
    record,
    profileName: known.find((profile) => profile.id === record.profileId)?.name ?? record.profileId,
    running: runningStates.has(record.state),
    importErrors: found.errors,
    errorsNextHref:
      found.errors.length === errorsPageSize && last !== undefined
        ? hrefWith(`/imports/${importId}`, { errorsAfter: String(last.seq) })
        : null,
    errorsFirstHref: after === '' ? null : `/imports/${importId}`,
    notice: noticeOf(req),
  });
}

async function reversePage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: { errors: FormErrors; reason: string; status: number },
) {
  const importId = importIdOf(req);
  const record = await apiFor(ctx, req, res)<ImportView>('getImport', { params: { importId } });
  render(
    res,
    'imports/reverse.njk',
    { record, errors: form.errors, reason: form.reason },
    form.status,
  );
}

async function reverse(ctx: ApiContext, req: Request, res: Response) {
  const importId = importIdOf(req);
  const reason = field(req.body, 'reason');
  if (reason === '') {
    const errors = formErrors([
      { input: 'reason', message: 'Enter why the import is being reversed' },
    ]);
    return reversePage(ctx, req, res, { errors, reason, status: 400 });
  }
  try {
    await apiFor(ctx, req, res)('reverseImport', { params: { importId }, body: { reason } });
    res.redirect(303, `/imports/${importId}?notice=reversed`);
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const errors = errorsFromProblem(error, {
      inputs: { 'body.reason': 'reason' },
      labels: { reason: 'Reason' },
    });
    await reversePage(ctx, req, res, { errors, reason, status: statusOf(error) });
  }
}

export function importPages(ctx: ApiContext): Page[] {
  return [
    definePage({
      method: 'get',
      path: '/imports',
      access: { permission: 'view' },
      title: 'Imports',
      handler: (req, res) => listPage(ctx, req, res),
    }),
    // Before '/imports/:importId', which would otherwise take 'new' for an id.
    definePage({
      method: 'get',
      path: '/imports/new',
      access: { permission: 'import' },
      title: 'Upload an income file',
      handler: (req, res) =>
        uploadForm(ctx, req, res, { errors: noErrors, profileId: '', status: 200 }),
    }),
    definePage({
      method: 'post',
      path: '/imports/new',
      access: { permission: 'import' },
      handler: (req, res) => upload(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/imports/:importId',
      access: { permission: 'view' },
      title: 'Import',
      handler: (req, res) => detailPage(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/imports/:importId/reverse',
      access: { permission: 'import' },
      title: 'Reverse an import',
      handler: (req, res) =>
        reversePage(ctx, req, res, { errors: noErrors, reason: '', status: 200 }),
    }),
    definePage({
      method: 'post',
      path: '/imports/:importId/reverse',
      access: { permission: 'import' },
      handler: (req, res) => reverse(ctx, req, res),
    }),
  ];
}

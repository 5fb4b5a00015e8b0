import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { isId } from '../../domain/ids';
import { apiFor } from '../api';
import { cursorPagination, hrefWith } from '../filters';
import {
  blankReasonForm,
  type FormErrors,
  noErrors,
  type ReasonForm,
  reasonInput,
  selectItems,
} from '../forms';
import { screenNotices } from '../notices';
import { addressed, field, getPage, type Page, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

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
const noticeOf = screenNotices({
  uploaded: 'The file has been uploaded and is being imported.',
  reversed: 'The import has been reversed.',
});

/** Upload refusals a person can fix on the form: no file, a duplicate, too large. */
const uploadProblemCodes = ['payload_too_large', 'unsupported_media_type'] as const;
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
    notice: noticeOf(req.query),
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
  await submitForm<ImportView>(ctx, req, res, {
    operationId: 'uploadImport',
    fields: uploadFields,
    alsoFixable: uploadProblemCodes,
    // The multipart fields were read by the API's parser, so the choice cannot be kept.
    again: (errors, status) => uploadForm(ctx, req, res, { errors, profileId: '', status }),
    redirect: (created) => `/imports/${created.importId}?notice=uploaded`,
  });
}

/** The import named in the address: a well-formed id, else a page that does not exist. */
const importIdOf = (req: Request) =>
  addressed(req, 'importId', (value) => isId('import', value), 'import');

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
    notice: noticeOf(req.query),
  });
}

async function reversePage(ctx: ApiContext, req: Request, res: Response, form: ReasonForm) {
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
  await submitForm(ctx, req, res, {
    checks: [
      reason === '' && { input: 'reason', message: 'Enter why the import is being reversed' },
    ],
    operationId: 'reverseImport',
    input: { params: { importId }, body: { reason } },
    fields: reasonInput,
    again: (errors, status) => reversePage(ctx, req, res, { errors, reason, status }),
    redirect: `/imports/${importId}?notice=reversed`,
  });
}

export function importPages(ctx: ApiContext): Page[] {
  const viewer = { permission: 'view' } as const;
  const importer = { permission: 'import' } as const;
  return [
    getPage('/imports', viewer, 'Imports', (req, res) => listPage(ctx, req, res)),
    // Before '/imports/:importId', which would otherwise take 'new' for an id.
    getPage('/imports/new', importer, 'Upload an income file', (req, res) =>
      uploadForm(ctx, req, res, { errors: noErrors, profileId: '', status: 200 }),
    ),
    postPage('/imports/new', importer, (req, res) => upload(ctx, req, res)),
    getPage('/imports/:importId', viewer, 'Import', (req, res) => detailPage(ctx, req, res)),
    getPage('/imports/:importId/reverse', importer, 'Reverse an import', (req, res) =>
      reversePage(ctx, req, res, blankReasonForm),
    ),
    postPage('/imports/:importId/reverse', importer, (req, res) => reverse(ctx, req, res)),
  ];
}

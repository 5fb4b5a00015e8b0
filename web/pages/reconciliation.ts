import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { businessDateOf } from '../../domain/businessDate';
import { isId } from '../../domain/ids';
import { apiFor } from '../api';
import { dateFromParts, type FilterValues, hrefWith, selectedFilters, tag } from '../filters';
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
 * Bank reconciliation: the open exceptions (expected money not seen, amounts that differ,
 * credits nobody expected) with their age, a day's card settlement, and the officer's tools:
 * match by hand, unmatch, write a note, run the matching now.
 */
type BankException = {
  id: string;
  kind: 'expected' | 'mismatched' | 'unexpected';
  statementLineId: string | null;
  expectedItemId: string | null;
  note: string | null;
};

const kinds = [
  { value: 'expected', text: 'Expected, not seen in the bank' },
  { value: 'mismatched', text: 'Amounts differ' },
  { value: 'unexpected', text: 'In the bank, not expected' },
];
const kindText = (value: string) => kinds.find((kind) => kind.value === value)?.text ?? value;

const filterKeys = ['kind', 'minAgeDays', 'dateDay', 'dateMonth', 'dateYear'] as const;
const filterTags = [
  tag('Kind', 'kind', kindText),
  tag('At least this many days old', 'minAgeDays'),
  {
    heading: 'Settlement date',
    keys: ['dateDay', 'dateMonth', 'dateYear'],
    text: (values: FilterValues) =>
      dateFromParts(values.dateDay ?? '', values.dateMonth ?? '', values.dateYear ?? ''),
  },
];
const filterFields = {
  inputs: {
    'query.kind': 'kind',
    'query.minAgeDays': 'minAgeDays',
    'query.date': 'date-day',
    'params.date': 'date-day',
  },
  labels: { kind: 'Kind', minAgeDays: 'Minimum age', 'date-day': 'Settlement date' },
};

const matchFields = {
  inputs: {
    'body.statementLineIds': 'statementLineIds',
    'body.expectedItemIds': 'expectedItemIds',
    'body.note': 'note',
  },
  labels: { statementLineIds: 'Statement lines', expectedItemIds: 'Expected items', note: 'Note' },
};

const notices: Record<string, string> = {
  matched: 'The statement lines and expected items have been matched.',
  unmatched: 'The match has been undone. Its lines and items are open again.',
  noted: 'Your note has been saved.',
  ran: 'Matching has run.',
  settled: 'The settlement has been reconciled.',
};
const noticeOf = (req: Request) => {
  const key = field(req.query, 'notice');
  return Object.hasOwn(notices, key) ? notices[key] : undefined;
};

/** Lists as the urlencoded parser gives them: one value is a string, several an array. */
function listOf(source: unknown, name: string): string[] {
  const value =
    typeof source === 'object' && source !== null
      ? (source as Record<string, unknown>)[name]
      : undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string' && item !== '');
}

type MatchForm = {
  errors: FormErrors;
  statementLineIds: string[];
  expectedItemIds: string[];
  note: string;
  status: number;
};

const emptyMatchForm: MatchForm = {
  errors: noErrors,
  statementLineIds: [],
  expectedItemIds: [],
  note: '',
  status: 200,
};

/** Each row's checkboxes; the first of each kind carries the id the error summary links to. */
function withInputIds(rows: readonly BankException[]) {
  let lines = 0;
  let items = 0;
  return rows.map((row) => ({
    ...row,
    lineInputId:
      row.statementLineId === null ? null : lines++ === 0 ? 'statementLineIds' : `line-${lines}`,
    itemInputId:
      row.expectedItemId === null ? null : items++ === 0 ? 'expectedItemIds' : `item-${items}`,
  }));
}

const filterValuesOf = (query: unknown): FilterValues =>
  Object.fromEntries(filterKeys.map((key) => [key, field(query, key)]));

async function listPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form = emptyMatchForm,
  values = filterValuesOf(req.query),
) {
  const api = apiFor(ctx, req, res);
  const date =
    dateFromParts(values.dateDay ?? '', values.dateMonth ?? '', values.dateYear ?? '') ||
    businessDateOf(Date.now());
  const exceptionQuery = Object.fromEntries(
    Object.entries({ kind: values.kind, minAgeDays: values.minAgeDays }).filter(
      ([, value]) => value !== '',
    ),
  );
  let errors = form.errors;
  let exceptions: BankException[] = [];
  let status: unknown = null;
  let settlement: unknown = null;
  try {
    [exceptions, status, settlement] = await Promise.all([
      api<{ exceptions: BankException[] }>('listBankExceptions', { query: exceptionQuery }).then(
        (found) => found.exceptions,
      ),
      api('reconciliationStatusReport', { query: { date } }),
      api('getSettlement', { params: { date } }).catch((error: unknown) => {
        if (error instanceof ProblemError && error.code === 'not_found') return null;
        throw error;
      }),
    ]);
  } catch (error) {
    if (!(error instanceof ProblemError) || error.code !== 'validation_failed') throw error;
    errors = errorsFromProblem(error, filterFields);
  }
  render(
    res,
    'reconciliation/list.njk',
    {
      values,
      date,
      errors,
      exceptions: withInputIds(exceptions),
      status,
      settlement,
      kindItems: selectItems(kinds, values.kind ?? '', 'Any kind'),
      kindText: Object.fromEntries(kinds.map((kind) => [kind.value, kind.text])),
      selectedFilters: selectedFilters('/reconciliation', values, filterTags),
      match: {
        statementLineIds: form.statementLineIds,
        expectedItemIds: form.expectedItemIds,
        note: form.note,
      },
      notice: noticeOf(req),
      matchedId: isId('bankMatch', field(req.query, 'match')) ? field(req.query, 'match') : null,
      madeCount: /^\d{1,6}$/.test(field(req.query, 'made')) ? field(req.query, 'made') : null,
    },
    errors.list.length > 0 && form.status === 200 ? 400 : form.status,
  );
}

async function matchByHand(ctx: ApiContext, req: Request, res: Response) {
  const form: MatchForm = {
    ...emptyMatchForm,
    statementLineIds: listOf(req.body, 'statementLineIds'),
    expectedItemIds: listOf(req.body, 'expectedItemIds'),
    note: field(req.body, 'note'),
  };
  const missing = [
    form.statementLineIds.length === 0 && {
      input: 'statementLineIds',
      message: 'Select at least one statement line',
    },
    form.expectedItemIds.length === 0 && {
      input: 'expectedItemIds',
      message: 'Select at least one expected item',
    },
    form.note === '' && { input: 'note', message: 'Enter a note saying why these match' },
  ].filter((error) => error !== false);
  if (missing.length > 0) {
    return listPage(ctx, req, res, { ...form, errors: formErrors(missing), status: 400 });
  }
  try {
    const match = await apiFor(
      ctx,
      req,
      res,
    )<{ id: string }>('matchBankManually', {
      body: {
        statementLineIds: form.statementLineIds,
        expectedItemIds: form.expectedItemIds,
        note: form.note,
      },
    });
    res.redirect(303, hrefWith('/reconciliation', { notice: 'matched', match: match.id }));
  } catch (error) {
    if (!isFormProblem(error) && !(error instanceof ProblemError && error.code === 'not_found'))
      throw error;
    const errors = errorsFromProblem(error as ProblemError, matchFields);
    await listPage(ctx, req, res, { ...form, errors, status: statusOf(error as ProblemError) });
  }
}

function unmatchPage(
  res: Response,
  form: { errors: FormErrors; matchId: string; reason: string; status: number },
) {
  render(res, 'reconciliation/unmatch.njk', form, form.status);
}

async function unmatch(ctx: ApiContext, req: Request, res: Response) {
  const matchId = field(req.body, 'matchId');
  const reason = field(req.body, 'reason');
  const missing = [
    matchId === '' && { input: 'matchId', message: 'Enter the match reference' },
    reason === '' && { input: 'reason', message: 'Enter why the match is being undone' },
  ].filter((error) => error !== false);
  if (missing.length > 0) {
    return unmatchPage(res, { errors: formErrors(missing), matchId, reason, status: 400 });
  }
  try {
    await apiFor(ctx, req, res)('unmatchBank', { params: { id: matchId }, body: { reason } });
    res.redirect(303, '/reconciliation?notice=unmatched');
  } catch (error) {
    const refused = error instanceof ProblemError && error.code === 'not_found';
    if (!isFormProblem(error) && !refused) throw error;
    const errors = refused
      ? formErrors([{ input: 'matchId', message: `There is no match ${matchId}` }])
      : errorsFromProblem(error as ProblemError, {
          inputs: { 'params.id': 'matchId', 'body.reason': 'reason' },
          labels: { matchId: 'Match reference', reason: 'Reason' },
        });
    await unmatchPage(res, {
      errors,
      matchId,
      reason,
      status: statusOf(error as ProblemError),
    });
  }
}

async function exceptionOf(ctx: ApiContext, req: Request, res: Response) {
  const exceptionId = param(req, 'exceptionId');
  const found = await apiFor(ctx, req, res)<{ exceptions: BankException[] }>('listBankExceptions');
  const exception = found.exceptions.find((row) => row.id === exceptionId);
  if (exception === undefined)
    throw new ProblemError('not_found', `No open bank exception ${exceptionId}`);
  return exception;
}

async function notePage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form?: { errors: FormErrors; note: string; status: number },
) {
  const exception = await exceptionOf(ctx, req, res);
  render(
    res,
    'reconciliation/note.njk',
    {
      exception,
      kindText: kindText(exception.kind),
      errors: form?.errors ?? noErrors,
      note: form?.note ?? exception.note ?? '',
    },
    form?.status ?? 200,
  );
}

async function annotate(ctx: ApiContext, req: Request, res: Response) {
  const note = field(req.body, 'note');
  if (note === '') {
    const errors = formErrors([{ input: 'note', message: 'Enter a note' }]);
    return notePage(ctx, req, res, { errors, note, status: 400 });
  }
  try {
    await apiFor(
      ctx,
      req,
      res,
    )('annotateBankException', {
      params: { id: param(req, 'exceptionId') },
      body: { note },
    });
    res.redirect(303, '/reconciliation?notice=noted');
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const errors = errorsFromProblem(error, {
      inputs: { 'body.note': 'note' },
      labels: { note: 'Note' },
    });
    await notePage(ctx, req, res, { errors, note, status: statusOf(error) });
  }
}

async function runMatching(ctx: ApiContext, req: Request, res: Response) {
  const run = await apiFor(ctx, req, res)<{ matches: unknown[] }>('runBankMatching', { body: {} });
  res.redirect(
    303,
    hrefWith('/reconciliation', { notice: 'ran', made: String(run.matches.length) }),
  );
}

async function reconcileSettlement(ctx: ApiContext, req: Request, res: Response) {
  const date = field(req.body, 'date');
  const [year = '', month = '', day = ''] = date.split('-');
  const back = { dateDay: day, dateMonth: month, dateYear: year };
  try {
    await apiFor(ctx, req, res)('reconcileSettlement', { body: { date } });
    res.redirect(303, hrefWith('/reconciliation', { ...back, notice: 'settled' }));
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const errors = errorsFromProblem(error, { inputs: {}, labels: {} });
    const form = { ...emptyMatchForm, errors, status: statusOf(error) };
    await listPage(ctx, req, res, form, filterValuesOf(back));
  }
}

export function reconciliationPages(ctx: ApiContext): Page[] {
  const reconcile = { permission: 'reconcile' } as const;
  return [
    definePage({
      method: 'get',
      path: '/reconciliation',
      access: { permission: 'view' },
      title: 'Reconciliation',
      handler: (req, res) => listPage(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/reconciliation/matches',
      access: reconcile,
      handler: (req, res) => matchByHand(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/reconciliation/unmatch',
      access: reconcile,
      title: 'Undo a match',
      handler: async (req, res) =>
        unmatchPage(res, {
          errors: noErrors,
          matchId: field(req.query, 'matchId'),
          reason: '',
          status: 200,
        }),
    }),
    definePage({
      method: 'post',
      path: '/reconciliation/unmatch',
      access: reconcile,
      handler: (req, res) => unmatch(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/reconciliation/exceptions/:exceptionId/note',
      access: reconcile,
      title: 'Note on a bank exception',
      handler: (req, res) => notePage(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/reconciliation/exceptions/:exceptionId/note',
      access: reconcile,
      handler: (req, res) => annotate(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/reconciliation/run',
      access: reconcile,
      handler: (req, res) => runMatching(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/reconciliation/settlements',
      access: reconcile,
      handler: (req, res) => reconcileSettlement(ctx, req, res),
    }),
  ];
}

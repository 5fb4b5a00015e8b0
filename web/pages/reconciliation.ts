import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { businessDateOf } from '../../domain/businessDate';
import { isId } from '../../domain/ids';
import { apiFor } from '../api';
import {
  dateFilter,
  dateKeys,
  dateTag,
  type FilterValues,
  filterValuesFrom,
  hrefWith,
  selectedFilters,
  tag,
} from '../filters';
import { type FormErrors, formErrors, hasErrors, noErrors, oneInput, selectItems } from '../forms';
import { loadFiltered } from '../lists';
import { screenNotices } from '../notices';
import { field, getPage, listOf, type Page, param, postPage, present } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

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

const filterKeys = ['kind', 'minAgeDays', ...dateKeys('date')];
const filterTags = [
  tag('Kind', 'kind', kindText),
  tag('At least this many days old', 'minAgeDays'),
  dateTag('Settlement date', 'date'),
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

const noticeOf = screenNotices({
  matched: 'The statement lines and expected items have been matched.',
  unmatched: 'The match has been undone. Its lines and items are open again.',
  noted: 'Your note has been saved.',
  ran: 'Matching has run.',
  settled: 'The settlement has been reconciled.',
});

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

const filterValuesOf = (query: unknown): FilterValues => filterValuesFrom(query, filterKeys);

async function listPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form = emptyMatchForm,
  values = filterValuesOf(req.query),
) {
  const api = apiFor(ctx, req, res);
  const date = dateFilter(values, 'date') || businessDateOf(Date.now());
  const exceptionQuery = present({ kind: values.kind, minAgeDays: values.minAgeDays });
  const loaded = await loadFiltered(
    () =>
      Promise.all([
        api<{ exceptions: BankException[] }>('listBankExceptions', { query: exceptionQuery }).then(
          (found) => found.exceptions,
        ),
        api('reconciliationStatusReport', { query: { date } }),
        api('getSettlement', { params: { date } }).catch((error: unknown) => {
          if (error instanceof ProblemError && error.code === 'not_found') return null;
          throw error;
        }),
      ]),
    [[], null, null],
    filterFields,
  );
  const [exceptions, status, settlement] = loaded.page;
  // A refused filter is shown in place of the match form's errors.
  const errors = hasErrors(loaded.errors) ? loaded.errors : form.errors;
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
      notice: noticeOf(req.query),
      matchedId: isId('bankMatch', field(req.query, 'match')) ? field(req.query, 'match') : null,
      madeCount: /^\d{1,6}$/.test(field(req.query, 'made')) ? field(req.query, 'made') : null,
    },
    hasErrors(errors) && form.status === 200 ? 400 : form.status,
  );
}

async function matchByHand(ctx: ApiContext, req: Request, res: Response) {
  const form: MatchForm = {
    ...emptyMatchForm,
    statementLineIds: listOf(req.body, 'statementLineIds'),
    expectedItemIds: listOf(req.body, 'expectedItemIds'),
    note: field(req.body, 'note'),
  };
  await submitForm<{ id: string }>(ctx, req, res, {
    checks: [
      form.statementLineIds.length === 0 && {
        input: 'statementLineIds',
        message: 'Select at least one statement line',
      },
      form.expectedItemIds.length === 0 && {
        input: 'expectedItemIds',
        message: 'Select at least one expected item',
      },
      form.note === '' && { input: 'note', message: 'Enter a note saying why these match' },
    ],
    operationId: 'matchBankManually',
    input: {
      body: {
        statementLineIds: form.statementLineIds,
        expectedItemIds: form.expectedItemIds,
        note: form.note,
      },
    },
    fields: matchFields,
    // A line or item that is not (or no longer) open is shown on the form, not as a lost page.
    alsoFixable: ['not_found'],
    again: (errors, status) => listPage(ctx, req, res, { ...form, errors, status }),
    redirect: (match) => hrefWith('/reconciliation', { notice: 'matched', match: match.id }),
  });
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
  await submitForm(ctx, req, res, {
    checks: [
      matchId === '' && { input: 'matchId', message: 'Enter the match reference' },
      reason === '' && { input: 'reason', message: 'Enter why the match is being undone' },
    ],
    operationId: 'unmatchBank',
    input: { params: { id: matchId }, body: { reason } },
    fields: {
      inputs: { 'params.id': 'matchId', 'body.reason': 'reason' },
      labels: { matchId: 'Match reference', reason: 'Reason' },
    },
    alsoFixable: ['not_found'],
    explain: (problem) =>
      problem.code === 'not_found'
        ? formErrors([{ input: 'matchId', message: `There is no match ${matchId}` }])
        : undefined,
    again: (errors, status) => unmatchPage(res, { errors, matchId, reason, status }),
    redirect: '/reconciliation?notice=unmatched',
  });
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
  await submitForm(ctx, req, res, {
    checks: [note === '' && { input: 'note', message: 'Enter a note' }],
    operationId: 'annotateBankException',
    input: { params: { id: param(req, 'exceptionId') }, body: { note } },
    fields: oneInput('body.note', 'note', 'Note'),
    again: (errors, status) => notePage(ctx, req, res, { errors, note, status }),
    redirect: '/reconciliation?notice=noted',
  });
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
  await submitForm(ctx, req, res, {
    operationId: 'reconcileSettlement',
    input: { body: { date } },
    fields: { inputs: {}, labels: {} },
    again: (errors, status) =>
      listPage(ctx, req, res, { ...emptyMatchForm, errors, status }, filterValuesOf(back)),
    redirect: hrefWith('/reconciliation', { ...back, notice: 'settled' }),
  });
}

export function reconciliationPages(ctx: ApiContext): Page[] {
  const reconcile = { permission: 'reconcile' } as const;
  return [
    getPage('/reconciliation', { permission: 'view' }, 'Reconciliation', (req, res) =>
      listPage(ctx, req, res),
    ),
    postPage('/reconciliation/matches', reconcile, (req, res) => matchByHand(ctx, req, res)),
    getPage('/reconciliation/unmatch', reconcile, 'Undo a match', async (req, res) =>
      unmatchPage(res, {
        errors: noErrors,
        matchId: field(req.query, 'matchId'),
        reason: '',
        status: 200,
      }),
    ),
    postPage('/reconciliation/unmatch', reconcile, (req, res) => unmatch(ctx, req, res)),
    getPage(
      '/reconciliation/exceptions/:exceptionId/note',
      reconcile,
      'Note on a bank exception',
      (req, res) => notePage(ctx, req, res),
    ),
    postPage('/reconciliation/exceptions/:exceptionId/note', reconcile, (req, res) =>
      annotate(ctx, req, res),
    ),
    postPage('/reconciliation/run', reconcile, (req, res) => runMatching(ctx, req, res)),
    postPage('/reconciliation/settlements', reconcile, (req, res) =>
      reconcileSettlement(ctx, req, res),
    ),
  ];
}

import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { isId } from '../../domain/ids';
import { apiFor } from '../api';
import { filterValuesFrom, tag } from '../filters';
import { blankReasonForm, type ReasonForm, reasonInput, selectItems } from '../forms';
import { renderFilteredList } from '../lists';
import { screenNotices } from '../notices';
import { addressed, field, getPage, type Page, postPage, present } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';
import { journalApprovalPages } from './journalApprovals';
import { journalFormPages } from './journalForms';

/**
 * Journals on screen (docs/journals.md): the list, one journal with where it came from and what
 * reversed it, and undoing a move or transfer by reversal. Moves and transfers are posted from
 * their own forms (journalForms.ts); those above the approval threshold wait for a second
 * person (journalApprovals.ts).
 */

export type JournalView = {
  id: string;
  kind: string;
  description: string;
  postingDate: string;
  causedBy: string;
  sourceType: string | null;
  sourceId: string | null;
  reversesJournalId: string | null;
  reversedBy: string | null;
  totalPence: number;
  lines: {
    accountCode: string;
    accountReference?: string | null;
    debitPence: number;
    creditPence: number;
  }[];
};

export const journalNotices = screenNotices({
  moved: 'The money has been moved.',
  transferred: 'The transfer has been posted.',
  reversed: 'The journal has been reversed.',
  'allocated-together': 'The items have been allocated together in this journal.',
  'approval-approved': 'The journal has been approved and posted.',
});

const kindItems = [
  { value: 'transfer', text: 'Move or transfer' },
  { value: 'reversal', text: 'Reversal' },
  { value: 'allocation', text: 'Allocation' },
  { value: 'payment', text: 'Card payment' },
  { value: 'import', text: 'Import' },
  { value: 'refund', text: 'Refund' },
  { value: 'write_off', text: 'Write-off' },
];
const kindText = (value: string) => kindItems.find((item) => item.value === value)?.text ?? value;

const filterKeys = ['kind', 'sourceId', 'from', 'to'];
const filterFields = {
  inputs: {
    'query.kind': 'kind',
    'query.sourceId': 'sourceId',
    'query.from': 'from',
    'query.to': 'to',
    'query.before': 'sourceId',
  },
  labels: {
    kind: 'Kind',
    sourceId: 'Payment, suspense item or import',
    from: 'Posted from',
    to: 'Posted to',
  },
};

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, filterKeys);
  const before = field(req.query, 'before');
  await renderFilteredList(res, {
    path: '/journals',
    template: 'journals/list.njk',
    values,
    before,
    tags: [
      tag('Kind', 'kind', kindText),
      tag('Source', 'sourceId'),
      tag('Posted from', 'from'),
      tag('Posted to', 'to'),
    ],
    fields: filterFields,
    load: () =>
      apiFor(
        ctx,
        req,
        res,
      )<{ items: unknown[]; nextCursor: string | null }>('listJournals', {
        query: present({ ...values, before, limit: '25' }),
      }),
    empty: { items: [], nextCursor: null },
    view: (page) => ({
      items: page.items,
      kindItems: selectItems(kindItems, values.kind ?? '', 'Any kind'),
      notice: journalNotices(req.query),
    }),
  });
}

const journalIdOf = (req: Request) =>
  addressed(req, 'journalId', (value) => isId('journal', value), 'journal');

async function detailPage(ctx: ApiContext, req: Request, res: Response, form: ReasonForm) {
  const journalId = journalIdOf(req);
  const journal = await apiFor(ctx, req, res)<JournalView>('getJournal', { params: { journalId } });
  render(
    res,
    'journals/detail.njk',
    {
      journal,
      reversible: journal.kind === 'transfer' && journal.reversedBy === null,
      errors: form.errors,
      reason: form.reason,
      notice: journalNotices(req.query),
    },
    form.status,
  );
}

type Reply = { journalId?: string; approvalId?: string };

/** After a move, transfer or reversal: the journal posted, or the approval it waits for. */
export function afterJournal(notice: string) {
  return (reply: Reply) =>
    reply.approvalId !== undefined
      ? `/journals/approvals/${reply.approvalId}?notice=held`
      : `/journals/${reply.journalId}?notice=${notice}`;
}

async function reverse(ctx: ApiContext, req: Request, res: Response) {
  const journalId = journalIdOf(req);
  const reason = field(req.body, 'reason');
  await submitForm<Reply>(ctx, req, res, {
    checks: [
      reason === '' && { input: 'reason', message: 'Enter why the journal is being reversed' },
    ],
    operationId: 'reverseJournal',
    input: { params: { journalId }, body: { reason } },
    fields: reasonInput,
    again: (errors, status) => detailPage(ctx, req, res, { errors, reason, status }),
    redirect: afterJournal('reversed'),
  });
}

export function journalPages(ctx: ApiContext): Page[] {
  const viewer = { permission: 'view' } as const;
  return [
    getPage('/journals', viewer, 'Journals', (req, res) => listPage(ctx, req, res)),
    // The fixed paths before /journals/:journalId, which would otherwise take them.
    ...journalFormPages(ctx),
    ...journalApprovalPages(ctx),
    getPage('/journals/:journalId', viewer, 'Journal', (req, res) =>
      detailPage(ctx, req, res, blankReasonForm),
    ),
    postPage('/journals/:journalId/reverse', { permission: 'journal.post' }, (req, res) =>
      reverse(ctx, req, res),
    ),
  ];
}

import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { isId } from '../../domain/ids';
import { apiFor } from '../api';
import { filterValuesFrom, tag } from '../filters';
import { type FormErrors, fourEyesRefusal, noErrors, oneInput, selectItems } from '../forms';
import { renderFilteredList } from '../lists';
import { screenNotices } from '../notices';
import { addressed, field, getPage, type Page, postPage, present } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';
import { humanise } from '../timeline';

/**
 * Four-eyes on journals above the approval threshold: the queue, one held journal with what it
 * will post, and the approve and reject forms, which the requester is never offered (and the
 * API refuses them anyway).
 */

type Approval = { approvalId: string; requestedBy: string; state: string };

const noticeOf = screenNotices({
  held: 'This journal is over the approval limit: someone else must approve it before it is posted.',
  approved: 'The journal has been approved and posted.',
  rejected: 'The journal has been rejected. Nothing was posted.',
});

const states = ['awaiting_approval', 'approved', 'rejected'];

async function queuePage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, ['state']);
  const before = field(req.query, 'before');
  await renderFilteredList(res, {
    path: '/journals/approvals',
    template: 'journals/approvals.njk',
    values,
    before,
    tags: [tag('State', 'state', humanise)],
    fields: {
      inputs: { 'query.state': 'state', 'query.before': 'state' },
      labels: { state: 'State' },
    },
    load: () =>
      apiFor(
        ctx,
        req,
        res,
      )<{ items: unknown[]; nextCursor: string | null }>('listJournalApprovals', {
        query: present({ state: values.state, before, limit: '25' }),
      }),
    empty: { items: [], nextCursor: null },
    view: (page) => ({
      items: page.items,
      stateItems: selectItems(
        states.map((state) => ({ value: state, text: humanise(state) })),
        values.state ?? '',
        'Any state',
      ),
    }),
  });
}

const approvalIdOf = (req: Request) =>
  addressed(req, 'approvalId', (value) => isId('journalApproval', value), 'journal approval');

type DecisionForm = { errors: FormErrors; values: Record<string, string>; status: number };

async function approvalPage(ctx: ApiContext, req: Request, res: Response, form?: DecisionForm) {
  const approvalId = approvalIdOf(req);
  const approval = await apiFor(
    ctx,
    req,
    res,
  )<Approval>('getJournalApproval', {
    params: { approvalId },
  });
  render(
    res,
    'journals/approval.njk',
    {
      approval,
      errors: form?.errors ?? noErrors,
      values: form?.values ?? {},
      notice: noticeOf(req.query),
    },
    form?.status ?? 200,
  );
}

function decide(ctx: ApiContext, decision: 'approve' | 'reject') {
  return async (req: Request, res: Response) => {
    const approvalId = approvalIdOf(req);
    const input = decision === 'approve' ? 'approveReason' : 'rejectReason';
    const reason = field(req.body, input);
    await submitForm(ctx, req, res, {
      checks: [
        decision === 'reject' &&
          reason === '' && { input, message: 'Enter why the journal is being rejected' },
      ],
      operationId: decision === 'approve' ? 'approveJournal' : 'rejectJournal',
      input: { params: { approvalId }, body: reason === '' ? {} : { reason } },
      fields: oneInput('body.reason', input, 'Reason'),
      explain: (problem) =>
        fourEyesRefusal(problem, `You asked for this journal, so someone else must ${decision} it`),
      again: (errors, status) =>
        approvalPage(ctx, req, res, { errors, values: { [input]: reason }, status }),
      redirect: `/journals/approvals/${approvalId}?notice=${decision === 'approve' ? 'approved' : 'rejected'}`,
    });
  };
}

export function journalApprovalPages(ctx: ApiContext): Page[] {
  const viewer = { permission: 'view' } as const;
  const approver = { permission: 'journal.approve' } as const;
  return [
    getPage('/journals/approvals', viewer, 'Journals awaiting approval', (req, res) =>
      queuePage(ctx, req, res),
    ),
    getPage('/journals/approvals/:approvalId', viewer, 'Journal awaiting approval', (req, res) =>
      approvalPage(ctx, req, res),
    ),
    postPage('/journals/approvals/:approvalId/approve', approver, decide(ctx, 'approve')),
    postPage('/journals/approvals/:approvalId/reject', approver, decide(ctx, 'reject')),
  ];
}

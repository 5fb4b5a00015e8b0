import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { refundSearchQuery } from '../../api/schemas/refunds';
import { requireCouncil } from '../../db/councils';
import { refundWorkflowId } from '../../workflows/refund';
import { apiFor } from '../api';
import { filterValuesFrom, tag } from '../filters';
import { type FormErrors, fourEyesRefusal, noErrors, oneInput, selectItems } from '../forms';
import { renderFilteredList } from '../lists';
import { noticeFor } from '../notices';
import { field, getPage, type Page, param, postPage, present } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';
import { auditTimeline, humanise, newestFirst, workflowTimeline } from '../timeline';
import { refundRequestPages } from './refundNew';

/** The refunds queue and one refund, with the second person's approve or reject. */

type Refund = { refundId: string; state: string; requestedBy: string };

export const refundStates = refundSearchQuery.shape.state.unwrap().options;

const filterTags = [tag('State', 'state', humanise), tag('Payment or suspense item', 'sourceId')];

const filterFields = {
  inputs: { 'query.state': 'state', 'query.sourceId': 'sourceId', 'query.before': 'sourceId' },
  labels: { state: 'State', sourceId: 'Payment or suspense item' },
};

type QueuePage = { refunds: Refund[]; nextCursor: string | null; awaiting: Refund[] };

async function queuePage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const values = filterValuesFrom(req.query, ['state', 'sourceId']);
  const before = field(req.query, 'before');
  const query = present({ ...values, before, limit: '25' });
  // Work waiting for a decision comes first, above the full list, unless a filter is chosen.
  const showAwaiting = values.state === '' && values.sourceId === '' && before === '';
  await renderFilteredList<QueuePage>(res, {
    path: '/refunds',
    template: 'refunds/list.njk',
    values,
    before,
    tags: filterTags,
    fields: filterFields,
    load: async () => {
      const [page, awaiting] = await Promise.all([
        api<{ refunds: Refund[]; nextCursor: string | null }>('listRefunds', { query }),
        showAwaiting
          ? api<{ refunds: Refund[] }>('listRefunds', {
              query: { state: 'awaiting_approval', limit: '200' },
            }).then((found) => found.refunds)
          : Promise.resolve([]),
      ]);
      return { refunds: page.refunds, nextCursor: page.nextCursor, awaiting };
    },
    empty: { refunds: [], nextCursor: null, awaiting: [] },
    view: (page) => ({
      awaiting: page.awaiting,
      showAwaiting,
      refunds: page.refunds,
      stateItems: selectItems(
        refundStates.map((state) => ({ value: state, text: humanise(state) })),
        values.state ?? '',
        'Any state',
      ),
    }),
  });
}

async function detailPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: { errors: FormErrors; values: Record<string, string>; status: number } = {
    errors: noErrors,
    values: {},
    status: 200,
  },
) {
  const refundId = param(req, 'refundId');
  const refund = await apiFor(ctx, req, res)<Refund>('getRefund', { params: { refundId } });
  const [history, audit] = await Promise.all([
    workflowTimeline(ctx, refundWorkflowId(requireCouncil(), refundId)),
    auditTimeline(ctx, req, res, refundId),
  ]);
  render(
    res,
    'refunds/detail.njk',
    {
      refund,
      errors: form.errors,
      values: form.values,
      notice: noticeFor(req.query),
      historyUnavailable: history === null,
      timeline: newestFirst([...(history ?? []), ...audit]),
    },
    form.status,
  );
}

const decisionLabels = { approveReason: 'Comment', rejectReason: 'Reason for rejecting' };

function decide(ctx: ApiContext, approve: boolean) {
  const input = approve ? 'approveReason' : 'rejectReason';
  return async (req: Request, res: Response) => {
    const refundId = param(req, 'refundId');
    const reason = field(req.body, input);
    const values = { [input]: reason };
    await submitForm(ctx, req, res, {
      checks: [
        !approve &&
          reason === '' && { input, message: 'Enter the reason for rejecting the refund' },
      ],
      operationId: approve ? 'approveRefund' : 'rejectRefund',
      input: { params: { refundId }, body: reason === '' ? {} : { reason } },
      fields: oneInput('body.reason', input, decisionLabels[input]),
      // Four-eyes is the refusal people will meet: say it in words.
      explain: (problem) =>
        fourEyesRefusal(
          problem,
          'You requested this refund, so someone else must approve or reject it',
        ),
      again: (errors, status) => detailPage(ctx, req, res, { errors, values, status }),
      redirect: `/refunds/${refundId}?notice=${approve ? 'approved' : 'rejected'}`,
    });
  };
}

export function refundPages(ctx: ApiContext): Page[] {
  const approver = { permission: 'refund.approve' } as const;
  return [
    getPage('/refunds', { permission: 'view' }, 'Refunds', (req, res) => queuePage(ctx, req, res)),
    // Before '/refunds/:refundId', which would otherwise take 'new' for an id.
    ...refundRequestPages(ctx),
    getPage('/refunds/:refundId', { permission: 'view' }, 'Refund', (req, res) =>
      detailPage(ctx, req, res),
    ),
    postPage('/refunds/:refundId/approve', approver, decide(ctx, true)),
    postPage('/refunds/:refundId/reject', approver, decide(ctx, false)),
  ];
}

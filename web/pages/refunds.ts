import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { refundSearchQuery } from '../../api/schemas/refunds';
import { refundWorkflowId } from '../../workflows/refund';
import { apiFor } from '../api';
import { cursorPagination, type FilterValues, selectedFilters, tag } from '../filters';
import {
  errorsFromProblem,
  type FormErrors,
  formErrors,
  isFormProblem,
  noErrors,
  selectItems,
  statusOf,
} from '../forms';
import { noticeFor } from '../notices';
import { definePage, field, type Page, param } from '../page';
import { render } from '../render';
import { auditTimeline, humanise, newestFirst, workflowTimeline } from '../timeline';
import { refundRequestPages } from './refundNew';

/** The refunds queue and one refund, with the second person's approve or reject. */

type Refund = { refundId: string; state: string; requestedBy: string };

export const refundStates = refundSearchQuery.shape.state.unwrap().options;

const filterTags = [tag('State', 'state', humanise), tag('Payment or suspense item', 'sourceId')];

async function queuePage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const values: FilterValues = {
    state: field(req.query, 'state'),
    sourceId: field(req.query, 'sourceId'),
  };
  const before = field(req.query, 'before');
  const query = Object.fromEntries(
    Object.entries({ ...values, before, limit: '25' }).filter(([, value]) => value !== ''),
  );
  // Work waiting for a decision comes first, above the full list, unless a filter is chosen.
  const showAwaiting = values.state === '' && values.sourceId === '' && before === '';
  let errors: FormErrors = noErrors;
  let page: { refunds: Refund[]; nextCursor: string | null } = { refunds: [], nextCursor: null };
  let awaiting: Refund[] = [];
  try {
    [page, awaiting] = await Promise.all([
      api<typeof page>('listRefunds', { query }),
      showAwaiting
        ? api<{ refunds: Refund[] }>('listRefunds', {
            query: { state: 'awaiting_approval', limit: '200' },
          }).then((found) => found.refunds)
        : Promise.resolve([]),
    ]);
  } catch (error) {
    if (!(error instanceof ProblemError) || error.code !== 'validation_failed') throw error;
    errors = errorsFromProblem(error, {
      inputs: { 'query.state': 'state', 'query.sourceId': 'sourceId', 'query.before': 'sourceId' },
      labels: { state: 'State', sourceId: 'Payment or suspense item' },
    });
  }
  render(
    res,
    'refunds/list.njk',
    {
      values,
      errors,
      awaiting,
      showAwaiting,
      refunds: page.refunds,
      stateItems: selectItems(
        refundStates.map((state) => ({ value: state, text: humanise(state) })),
        values.state ?? '',
        'Any state',
      ),
      selectedFilters: selectedFilters('/refunds', values, filterTags),
      pagination: cursorPagination('/refunds', values, before, page.nextCursor),
    },
    errors.list.length > 0 ? 400 : 200,
  );
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
    workflowTimeline(ctx, refundWorkflowId(refundId)),
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

/** The API's refusal of a decision, in words: four-eyes is the one people will meet. */
function decisionErrors(
  problem: ProblemError,
  input: 'approveReason' | 'rejectReason',
): FormErrors {
  if (problem.code === 'forbidden' && problem.errors.some((error) => /actor$/i.test(error.field))) {
    return formErrors([
      {
        input: null,
        message: 'You requested this refund, so someone else must approve or reject it',
      },
    ]);
  }
  return errorsFromProblem(problem, { inputs: { 'body.reason': input }, labels: decisionLabels });
}

function decide(ctx: ApiContext, approve: boolean) {
  const input = approve ? 'approveReason' : 'rejectReason';
  return async (req: Request, res: Response) => {
    const refundId = param(req, 'refundId');
    const reason = field(req.body, input);
    const values = { [input]: reason };
    if (!approve && reason === '') {
      const errors = formErrors([{ input, message: 'Enter the reason for rejecting the refund' }]);
      return detailPage(ctx, req, res, { errors, values, status: 400 });
    }
    try {
      await apiFor(
        ctx,
        req,
        res,
      )(approve ? 'approveRefund' : 'rejectRefund', {
        params: { refundId },
        body: reason === '' ? {} : { reason },
      });
      res.redirect(303, `/refunds/${refundId}?notice=${approve ? 'approved' : 'rejected'}`);
    } catch (error) {
      if (!isFormProblem(error)) throw error;
      await detailPage(ctx, req, res, {
        errors: decisionErrors(error, input),
        values,
        status: statusOf(error),
      });
    }
  };
}

export function refundPages(ctx: ApiContext): Page[] {
  return [
    definePage({
      method: 'get',
      path: '/refunds',
      access: { permission: 'view' },
      title: 'Refunds',
      handler: (req, res) => queuePage(ctx, req, res),
    }),
    // Before '/refunds/:refundId', which would otherwise take 'new' for an id.
    ...refundRequestPages(ctx),
    definePage({
      method: 'get',
      path: '/refunds/:refundId',
      access: { permission: 'view' },
      title: 'Refund',
      handler: (req, res) => detailPage(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/refunds/:refundId/approve',
      access: { permission: 'refund.approve' },
      handler: decide(ctx, true),
    }),
    definePage({
      method: 'post',
      path: '/refunds/:refundId/reject',
      access: { permission: 'refund.approve' },
      handler: decide(ctx, false),
    }),
  ];
}

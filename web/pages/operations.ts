import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { requireCouncil } from '../../db/councils';
import { councilOfWorkflowId } from '../../domain/council';
import { apiFor } from '../api';
import { blankReasonForm, type ReasonForm, reasonInput } from '../forms';
import { screenNotices } from '../notices';
import { addressed, field, getPage, type Page, param, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

/**
 * Operations: the running workflows that need a person (an activity failing over and over, or a
 * workflow running far longer than its kind should), each linked into the Temporal Web UI, and
 * the two actions the API allows, cancel and retry, each behind a page that asks why.
 */
type StuckWorkflow = {
  workflowId: string;
  runId: string;
  workflowType: string;
  runningMs: number;
  flagged: boolean;
};

const actions = {
  cancel: {
    operationId: 'cancelWorkflow',
    title: 'Cancel a workflow',
    notice: 'cancelled',
    missing: 'Enter why the workflow is being cancelled',
  },
  retry: {
    operationId: 'retryWorkflow',
    title: 'Retry a workflow',
    notice: 'retried',
    missing: 'Enter why the workflow is being retried',
  },
} as const;

type Action = keyof typeof actions;

const noticeOf = screenNotices({
  cancelled: 'Cancellation has been requested. The workflow stops at its next step.',
  retried: 'The workflow has been reset to its last completed step and is retrying from there.',
});

const minuteMs = 60_000;

/** '3 days 4 hours', '2 hours 5 minutes', '7 minutes': how long a workflow has been running. */
export function durationText(ms: number): string {
  const minutes = Math.floor(ms / minuteMs);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts: [number, string][] =
    days > 0
      ? [
          [days, 'day'],
          [hours, 'hour'],
        ]
      : hours > 0
        ? [
            [hours, 'hour'],
            [minutes % 60, 'minute'],
          ]
        : [[minutes, 'minute']];
  return parts
    .filter(([count], index) => index === 0 || count !== 0)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`)
    .join(' ');
}

type OverdueReturn = {
  officeCode: string;
  cashier: string;
  businessDate: string;
  closesAt: string;
  returnId: string | null;
  state: string;
};

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const [found, overdue] = await Promise.all([
    api<{
      scannedCount: number;
      scanLimit: number;
      truncated: boolean;
      workflows: StuckWorkflow[];
    }>('listStuckWorkflows'),
    api<{ overdue: OverdueReturn[] }>('listOverdueCashReturns'),
  ]);
  render(res, 'operations/list.njk', {
    ...found,
    overdueReturns: overdue.overdue,
    flaggedCount: found.workflows.filter((row) => row.flagged).length,
    workflows: found.workflows.map((row) => ({
      ...row,
      runningText: durationText(row.runningMs),
      path: encodeURIComponent(row.workflowId),
    })),
    notice: noticeOf(req.query),
  });
}

/** Another council's workflow is, for this caller, one that does not exist (as in the API). */
const ownWorkflowId = (req: Request) =>
  addressed(req, 'workflowId', (id) => councilOfWorkflowId(id) === requireCouncil(), 'workflow');

function actionPage(req: Request, res: Response, action: Action, form: ReasonForm) {
  const workflowId = ownWorkflowId(req);
  render(
    res,
    'operations/action.njk',
    {
      action,
      title: actions[action].title,
      workflowId,
      path: encodeURIComponent(workflowId),
      errors: form.errors,
      reason: form.reason,
    },
    form.status,
  );
}

function act(ctx: ApiContext, action: Action) {
  return async (req: Request, res: Response) => {
    const reason = field(req.body, 'reason');
    await submitForm(ctx, req, res, {
      checks: [reason === '' && { input: 'reason', message: actions[action].missing }],
      operationId: actions[action].operationId,
      input: { params: { workflowId: param(req, 'workflowId') }, body: { reason } },
      fields: reasonInput,
      again: (errors, status) => actionPage(req, res, action, { errors, reason, status }),
      redirect: `/operations?notice=${actions[action].notice}`,
    });
  };
}

export function operationsPages(ctx: ApiContext): Page[] {
  const access = { permission: 'operations' } as const;
  return [
    getPage('/operations', access, 'Operations', (req, res) => listPage(ctx, req, res)),
    ...(['cancel', 'retry'] as const).flatMap((action) => [
      getPage(
        `/operations/workflows/:workflowId/${action}`,
        access,
        actions[action].title,
        async (req, res) => actionPage(req, res, action, blankReasonForm),
      ),
      postPage(`/operations/workflows/:workflowId/${action}`, access, act(ctx, action)),
    ]),
  ];
}

import {
  type ActivityOptions,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  type CashReturnState,
  type ReturnContent,
  type ReturnProblem,
  returnContentProblems,
} from '../domain/cashReturn';
import { councilWorkflowId } from '../domain/council';
import { textProblem, updateRefusals } from '../domain/suspense';
import { imsKindKey, imsStateKey } from './searchAttributes';

/**
 * One cashier's return (eReturn) for one office and day, from the first count to approval. The
 * cashier saves the count as often as they like while it is a draft, then submits it; someone
 * else approves it (four-eyes) or rejects it with a reason, which makes it a draft again to be
 * corrected and resubmitted. It can be voided with a reason until it is approved. Approval
 * posts the over/short and ends the workflow; so does a void.
 */
export type CashReturnWorkflowInput = {
  returnId: string;
  cashier: string;
  officeCode: string;
  businessDate: string;
};

export type CashReturnStatus = { returnId: string; state: CashReturnState; submissions: number };

type Acting = { actor: string };
export const saveReturnUpdate = defineUpdate<
  CashReturnStatus,
  [Acting & { content: ReturnContent }]
>('save');
export const noteReturnUpdate = defineUpdate<CashReturnStatus, [Acting & { text: string }]>('note');
export const submitReturnUpdate = defineUpdate<CashReturnStatus, [Acting]>('submit');
export const approveReturnUpdate = defineUpdate<CashReturnStatus, [Acting]>('approve');
export const rejectReturnUpdate = defineUpdate<CashReturnStatus, [Acting & { reason: string }]>(
  'reject',
);
export const voidReturnUpdate = defineUpdate<CashReturnStatus, [Acting & { reason: string }]>(
  'void',
);
export const cashReturnStatusQuery = defineQuery<CashReturnStatus>('status');

export function cashReturnWorkflowId(councilId: string, returnId: string): string {
  return councilWorkflowId(councilId, returnId);
}

const databaseActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
  },
};
const {
  saveCashReturn,
  noteCashReturn,
  submitCashReturn,
  approveCashReturn,
  rejectCashReturn,
  voidCashReturn,
} = proxyActivities<Activities>(databaseActivityOptions);

function refuse(type: string, problems: ReturnProblem[]): never {
  throw ApplicationFailure.create({
    type,
    message: problems.map((problem) => `${problem.field} ${problem.message}`).join('; '),
    details: problems,
    nonRetryable: true,
  });
}

export async function cashReturnWorkflow(
  input: CashReturnWorkflowInput,
): Promise<CashReturnStatus> {
  const { returnId } = input;
  const status: CashReturnStatus = { returnId, state: 'draft', submissions: 0 };
  // Set as a handler starts, so a racing second submit or decision meets it in its validator.
  let busy = false;
  const setState = (state: CashReturnState) => {
    status.state = state;
    upsertSearchAttributes([{ key: imsStateKey, value: state }]);
  };
  const requireState = (allowed: CashReturnState[], message: string) => {
    if (busy || !allowed.includes(status.state))
      refuse(updateRefusals.wrongState, [
        { field: 'state', message: `${message} (it is ${status.state})` },
      ]);
  };
  const requireCashier = (actor: string) => {
    if (actor !== input.cashier)
      refuse(updateRefusals.fourEyes, [
        { field: 'actor', message: 'only its cashier may change a return' },
      ]);
  };
  const requireOther = (actor: string) => {
    if (actor === input.cashier)
      refuse(updateRefusals.fourEyes, [
        { field: 'actor', message: 'must not be the cashier who submitted the return' },
      ]);
  };
  const requireText = (field: string, value: string) => {
    const problem = textProblem(field, value, 500);
    if (problem !== null) refuse(updateRefusals.invalid, [problem]);
  };
  const run = async (work: () => Promise<void>) => {
    busy = true;
    try {
      await work();
    } finally {
      busy = false;
    }
    return status;
  };

  setHandler(cashReturnStatusQuery, () => status);
  setHandler(saveReturnUpdate, ({ content }) => run(() => saveCashReturn({ returnId, content })), {
    validator: ({ actor, content }) => {
      requireState(['draft'], 'only a draft can be changed');
      requireCashier(actor);
      const problems = returnContentProblems(content);
      if (problems.length > 0) refuse(updateRefusals.invalid, problems);
    },
  });
  setHandler(
    noteReturnUpdate,
    ({ actor, text }) => run(() => noteCashReturn({ returnId, actor, text })),
    {
      validator: ({ text }) => requireText('text', text),
    },
  );
  setHandler(
    submitReturnUpdate,
    () =>
      run(async () => {
        const problems = await submitCashReturn({ returnId });
        if (problems.length > 0) refuse(updateRefusals.invalid, problems);
        status.submissions += 1;
        setState('submitted');
      }),
    {
      validator: ({ actor }) => {
        requireState(['draft'], 'it has been submitted already');
        requireCashier(actor);
      },
    },
  );
  setHandler(
    approveReturnUpdate,
    ({ actor }) =>
      run(async () => {
        await approveCashReturn({ returnId, actor });
        setState('approved');
      }),
    {
      validator: ({ actor }) => {
        requireState(['submitted'], 'only a submitted return can be approved');
        requireOther(actor);
      },
    },
  );
  setHandler(
    rejectReturnUpdate,
    ({ actor, reason }) =>
      run(async () => {
        await rejectCashReturn({ returnId, actor, reason });
        setState('draft');
      }),
    {
      validator: ({ actor, reason }) => {
        requireState(['submitted'], 'only a submitted return can be rejected');
        requireOther(actor);
        requireText('reason', reason);
      },
    },
  );
  setHandler(
    voidReturnUpdate,
    ({ actor, reason }) =>
      run(async () => {
        await voidCashReturn({ returnId, actor, reason });
        setState('voided');
      }),
    {
      validator: ({ reason }) => {
        requireState(['draft', 'submitted'], 'an approved return cannot be voided');
        requireText('reason', reason);
      },
    },
  );

  upsertSearchAttributes([
    { key: imsKindKey, value: 'cash_return' },
    { key: imsStateKey, value: 'draft' },
  ]);
  await condition(() => status.state === 'approved' || status.state === 'voided');
  await condition(allHandlersFinished);
  return status;
}

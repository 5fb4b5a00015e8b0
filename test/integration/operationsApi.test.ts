// Proves the operations API on the real Temporal dev server: a payment whose PSP calls keep
// failing is listed as stuck with its failing activity and a link into the Temporal Web UI; a
// retry resets it to its last completed workflow task (a new run, attempts counted afresh) and
// a cancel asks Temporal to cancel with the reason, each leaving an audit row with the reason;
// closed or unknown workflows are refused, and only the `operations` permission may do any of it.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { expectProblem } from '../harness/writes';

// No PSP is configured, so every createPspPayment attempt fails and Temporal retries it.
const stack = useTestStack();

type StuckRow = {
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  kind: string | null;
  flagged: boolean;
  failing: boolean;
  reasons: string[];
  pendingActivities: { activityType: string; attempt: number; lastFailure: string | null }[];
  temporalUiUrl: string;
};

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stuckRow(workflowId: string): Promise<StuckRow | undefined> {
  const listed = await stack.request('GET', '/v1/operations/stuck');
  expect(listed.status).toBe(200);
  return (listed.body.workflows as StuckRow[]).find((row) => row.workflowId === workflowId);
}

async function auditRows(workflowId: string) {
  const found = await stack.request(
    'GET',
    `/v1/audit?entityType=workflow&entityId=${encodeURIComponent(workflowId)}`,
  );
  return found.body.items as { action: string; actor: string; reason: string | null }[];
}

let paymentId = '';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const created = await stack.request('POST', '/v1/payments', {
    lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 4_200 }],
    description: 'Council tax',
    returnUrl: 'https://council.example/paid',
  });
  // No PSP answers, so its first failure is answered at once: 503, the payment kept.
  expect(created.status).toBe(503);
  paymentId = created.body.paymentId;
}, 30_000);

describe('operations.happy', () => {
  it('lists a payment whose PSP call keeps failing, naming the activity and linking to Temporal', async () => {
    const row = await until(
      () => stuckRow(paymentId),
      (found) => (found?.pendingActivities[0]?.attempt ?? 0) >= 3,
    );
    expect(row).toMatchObject({
      workflowType: 'paymentWorkflow',
      taskQueue: stack.taskQueue,
      kind: 'payment',
      flagged: true,
      failing: true,
    });
    expect(row?.pendingActivities[0]).toMatchObject({ activityType: 'createPspPayment' });
    expect(row?.pendingActivities[0]?.lastFailure).toMatch(/configured no PSP/);
    expect(row?.reasons.join(' ')).toMatch(/createPspPayment on attempt \d+/);
    expect(row?.temporalUiUrl).toMatch(
      new RegExp(`^https?://[^/]+/namespaces/${stack.info.namespace}/workflows/${paymentId}$`),
    );
  });

  it('retries it from its last completed workflow task: a new run, attempts counted afresh', async () => {
    const before = await stack.temporal.workflow.getHandle(paymentId).describe();
    const retried = await stack.request(
      'POST',
      `/v1/operations/workflows/${paymentId}/retry`,
      { reason: 'PSP credentials fixed' },
      { 'X-Actor': 'ops-alice' },
    );
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ workflowId: paymentId, runId: before.runId });
    expect(retried.body.newRunId).toMatch(/\S/);
    expect(retried.body.newRunId).not.toBe(before.runId);
    expect(retried.body.resetToEventId).toBeGreaterThan(0);

    const after = await stack.temporal.workflow.getHandle(paymentId).describe();
    expect(after.runId).toBe(retried.body.newRunId);
    expect(after.status.name).toBe('RUNNING');
    const previous = await stack.temporal.workflow.getHandle(paymentId, before.runId).describe();
    expect(previous.status.name).toBe('TERMINATED');
    // The reset run schedules the PSP call again from attempt 1.
    const pending = await until(
      () => stack.temporal.workflow.getHandle(paymentId).describe(),
      (description) => (description.raw.pendingActivities ?? []).length > 0,
    );
    expect(pending.raw.pendingActivities?.[0]?.attempt).toBeLessThan(
      before.raw.pendingActivities?.[0]?.attempt ?? 0,
    );

    const audit = await auditRows(paymentId);
    expect(audit[0]).toMatchObject({
      action: 'workflow.reset',
      actor: 'ops-alice',
      reason: 'PSP credentials fixed',
    });
  });

  it('cancels it with the reason, recorded in the audit trail and in the workflow history', async () => {
    const cancelled = await stack.request(
      'POST',
      `/v1/operations/workflows/${paymentId}/cancel`,
      { reason: 'Payer paid by phone instead' },
      { 'X-Actor': 'ops-bob' },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ workflowId: paymentId, newRunId: null });
    expect(cancelled.body.auditId).toMatch(/^aud_/);
    const twice = await stack.request('POST', `/v1/operations/workflows/${paymentId}/cancel`, {
      reason: 'again, before it has stopped',
    });
    expect(twice.status).toBe(409);

    const handle = stack.temporal.workflow.getHandle(paymentId);
    const closed = await until(
      () => handle.describe(),
      (description) => description.status.name !== 'RUNNING',
    );
    expect(closed.status.name).toBe('CANCELLED');
    const history = await handle.fetchHistory();
    const requested = history.events?.find(
      (event) => event.workflowExecutionCancelRequestedEventAttributes,
    );
    expect(requested?.workflowExecutionCancelRequestedEventAttributes).toMatchObject({
      identity: 'ims-api:ops-bob',
      cause: 'Payer paid by phone instead',
    });

    const audit = await auditRows(paymentId);
    expect(audit[0]).toMatchObject({
      action: 'workflow.cancel',
      actor: 'ops-bob',
      reason: 'Payer paid by phone instead',
    });
    expect(await stuckRow(paymentId)).toBeUndefined();
  });
});

describe('operations.error', () => {
  it('refuses to act on a workflow that is not running, or that does not exist', async () => {
    const auditBefore = (await auditRows(paymentId)).length;
    const again = await stack.request('POST', `/v1/operations/workflows/${paymentId}/cancel`, {
      reason: 'twice',
    });
    expectProblem(again, 409, []);
    const retry = await stack.request('POST', `/v1/operations/workflows/${paymentId}/retry`, {
      reason: 'too late',
    });
    expectProblem(retry, 409, []);
    expect(await auditRows(paymentId)).toHaveLength(auditBefore);

    const unknown = await stack.request('POST', '/v1/operations/workflows/pay_nosuch/cancel', {
      reason: 'x',
    });
    expectProblem(unknown, 404, []);
  });

  it('requires a reason', async () => {
    const blank = await stack.request('POST', `/v1/operations/workflows/${paymentId}/cancel`, {
      reason: '  ',
    });
    expectProblem(blank, 400, ['body.reason']);
    const missing = await stack.request('POST', `/v1/operations/workflows/${paymentId}/retry`, {});
    expectProblem(missing, 400, ['body.reason']);
  });
});

describe('operations.security', () => {
  it('needs the operations permission to look or to act', async () => {
    const viewer = await stack.keyFor('viewer', ['view', 'audit.read', 'configure']);
    for (const [method, path, body] of [
      ['GET', '/v1/operations/stuck', undefined],
      ['POST', `/v1/operations/workflows/${paymentId}/cancel`, { reason: 'x' }],
      ['POST', `/v1/operations/workflows/${paymentId}/retry`, { reason: 'x' }],
    ] as const) {
      expectProblem(await stack.request(method, path, body, viewer), 403, ['permission']);
      expectProblem(await stack.request(method, path, body, { Authorization: '' }), 401, []);
    }
  });
});

// The pure rules behind the operations screen's stuck list (domain/stuckWorkflows.ts).
import { describe, expect, it } from 'vitest';
import { classifyWorkflow } from '../../domain/stuckWorkflows';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

describe('which running workflows are listed', () => {
  const base = { state: null, pendingActivities: [], workflowTaskAttempt: null };

  it('flags a payment running over two hours and an import over one', () => {
    expect(
      classifyWorkflow({ ...base, workflowType: 'paymentWorkflow', runningMs: 2 * hourMs + 1 }),
    ).toMatchObject({ overdue: true, flagged: true, failing: false });
    expect(
      classifyWorkflow({ ...base, workflowType: 'paymentWorkflow', runningMs: 2 * hourMs }),
    ).toMatchObject({ overdue: false, flagged: false });
    expect(
      classifyWorkflow({ ...base, workflowType: 'importWorkflow', runningMs: hourMs + 1 }),
    ).toMatchObject({ overdue: true, flagged: true });
  });

  it('lists a refund awaiting approval for over five days without flagging it', () => {
    const waiting = classifyWorkflow({
      ...base,
      workflowType: 'refundWorkflow',
      state: 'awaiting_approval',
      runningMs: 6 * dayMs,
    });
    expect(waiting).toMatchObject({ overdue: true, waitingIsNormal: true, flagged: false });
    const submitting = classifyWorkflow({
      ...base,
      workflowType: 'refundWorkflow',
      state: 'submitting',
      runningMs: 6 * dayMs,
    });
    expect(submitting).toMatchObject({ overdue: true, waitingIsNormal: false, flagged: true });
  });

  it('never lists a healthy suspense item for its age, but flags failing activities anywhere', () => {
    const old = { ...base, workflowType: 'suspenseWorkflow', runningMs: 400 * dayMs };
    expect(classifyWorkflow(old)).toMatchObject({ overdue: false, failing: false, flagged: false });
    const activity = {
      activityId: '1',
      activityType: 'ageSuspenseItem',
      state: 'scheduled',
      attempt: 3,
      lastFailure: null,
      nextAttemptAt: null,
    };
    expect(classifyWorkflow({ ...old, pendingActivities: [activity] })).toMatchObject({
      failing: true,
      flagged: true,
    });
    const once = { ...activity, attempt: 2, lastFailure: 'database unavailable' };
    expect(classifyWorkflow({ ...old, pendingActivities: [once] }).failing).toBe(true);
    const fine = { ...activity, attempt: 2 };
    expect(classifyWorkflow({ ...old, pendingActivities: [fine] }).failing).toBe(false);
    expect(classifyWorkflow({ ...old, workflowTaskAttempt: 5 }).failing).toBe(true);
  });
});

// Proves the SuspenseWorkflow's update validators: only open items are worked, money held for
// refunds in flight or awaiting a write-off cannot move, and four-eyes refuses the requester.
import { describe, expect, it } from 'vitest';
import {
  allocateRefusal,
  approveWriteOffRefusal,
  noteRefusal,
  refundRefusal,
  type SuspenseStatus,
  writeOffRefusal,
} from '../../domain/suspenseRules';

const open = (overrides: Partial<SuspenseStatus> = {}): SuspenseStatus => ({
  suspenseId: 'sus_x',
  state: 'open',
  amountPence: 1_000,
  remainingPence: 1_000,
  reservedPence: 0,
  holds: {},
  priority: 'normal',
  overdue: false,
  assignedTo: null,
  writeOff: null,
  notes: [],
  history: [],
  ...overrides,
});

const split = (amountPence: number) => ({
  parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence }],
  totalPence: amountPence,
});

describe('suspense update rules', () => {
  it('allocate what is available, not what is reserved for a refund', () => {
    expect(allocateRefusal(open(), split(1_000))).toBeNull();
    expect(allocateRefusal(open({ reservedPence: 1 }), split(1_000))?.problem.field).toBe(
      'totalPence',
    );
  });

  it('refuse every change to a closed item, as wrong state', () => {
    const closed = open({ state: 'allocated', remainingPence: 0 });
    expect(allocateRefusal(closed, split(1))?.type).toBe('WrongState');
    expect(noteRefusal(closed, 'hello')?.type).toBe('WrongState');
  });

  it('block money moving while a write-off awaits approval, but allow notes', () => {
    const pending = open({ writeOff: { requestedBy: 'alice', reason: 'r', amountPence: 1_000 } });
    expect(allocateRefusal(pending, split(1))?.problem.message).toBe(
      'a write-off is awaiting approval',
    );
    expect(refundRefusal(pending, 1)?.type).toBe('WrongState');
    expect(noteRefusal(pending, 'still looking')).toBeNull();
  });

  it('need a reason and no refund in flight to request a write-off', () => {
    expect(writeOffRefusal(open(), '')?.problem.field).toBe('reason');
    expect(writeOffRefusal(open({ reservedPence: 5 }), 'gone')?.problem.message).toBe(
      'a refund is in flight',
    );
    expect(writeOffRefusal(open(), 'untraceable')).toBeNull();
  });

  it('approve a write-off only by someone other than the requester', () => {
    const pending = open({ writeOff: { requestedBy: 'alice', reason: 'r', amountPence: 1_000 } });
    expect(approveWriteOffRefusal(pending, 'alice')).toEqual({
      type: 'FourEyesRequired',
      problem: {
        field: 'actor',
        message: 'must not be the person who requested the write-off',
      },
    });
    expect(approveWriteOffRefusal(pending, 'bob')).toBeNull();
    expect(approveWriteOffRefusal(open(), 'bob')?.type).toBe('WrongState');
  });

  it('refund at most what is available, in whole pence', () => {
    expect(refundRefusal(open({ reservedPence: 400 }), 600)).toBeNull();
    expect(refundRefusal(open({ reservedPence: 400 }), 601)?.problem.field).toBe('amountPence');
    expect(refundRefusal(open(), 0)?.problem.field).toBe('amountPence');
    expect(refundRefusal(open(), 1.5)?.type).toBe('InvalidRequest');
  });
});

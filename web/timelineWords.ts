import { humanise } from './format';

/**
 * What each step of a workflow means to a finance officer. The timeline reads Temporal's
 * history by event names only (payloads may be encrypted); these words replace the names, so a
 * payment's story says "Payment page asked for from GOV.UK Pay", not "Step completed:
 * create psp payment". A name with no words here is shown humanised, never hidden.
 */
const stepWords: Record<string, { done: string; failed: string }> = {
  validatePaymentBasket: {
    done: 'Basket checked against the fund rules',
    failed: 'Checking the basket failed; trying again',
  },
  createPspPayment: {
    done: 'Payment page asked for from the card payment provider',
    failed: 'The card payment provider did not answer; asking again',
  },
  readPspPayment: {
    done: 'Payment status read from the card payment provider',
    failed: 'Reading the payment status failed; trying again',
  },
  cancelPspPayment: {
    done: 'Payment cancelled at the card payment provider',
    failed: 'Cancelling at the card payment provider failed; trying again',
  },
  allocatePayment: {
    done: 'Money allocated and posted to the ledger',
    failed: 'Posting to the ledger failed; trying again',
  },
  completePayment: {
    done: 'Payment record closed',
    failed: 'Closing the record failed; trying again',
  },
  decideRefund: {
    done: 'Refund decision recorded',
    failed: 'Recording the decision failed; trying again',
  },
  submitCardRefund: {
    done: 'Refund sent to the card payment provider',
    failed: 'Sending the refund failed; trying again',
  },
  readCardRefund: {
    done: 'Refund status read from the card payment provider',
    failed: 'Reading the refund status failed; trying again',
  },
  postRefund: {
    done: 'Refund posted to the ledger',
    failed: 'Posting the refund failed; trying again',
  },
  moveRefund: { done: 'Refund record updated', failed: 'Updating the refund failed; trying again' },
  recordSuspenseWork: {
    done: 'Work on the item recorded',
    failed: 'Recording the work failed; trying again',
  },
  writeOffSuspense: {
    done: 'Written off and posted to the ledger',
    failed: 'Writing off failed; trying again',
  },
  markSuspenseAgeing: {
    done: 'Item aged: priority reviewed',
    failed: 'Ageing the item failed; trying again',
  },
};

const messageWords: Record<string, string> = {
  pspEvent: 'News from the card payment provider',
  checkout: 'Payment page requested',
  approve: 'Approval received',
  reject: 'Rejection received',
  allocate: 'Allocation requested',
  addNote: 'Note added',
  assign: 'Item assigned',
  writeOff: 'Write-off requested',
  approveWriteOff: 'Write-off approval received',
  rejectWriteOff: 'Write-off rejection received',
  refund: 'Refund requested',
};

export function stepDone(activityType: string): string {
  return stepWords[activityType]?.done ?? `Step done: ${humanise(activityType)}`;
}

export function stepFailed(activityType: string): string {
  return stepWords[activityType]?.failed ?? `Step failed: ${humanise(activityType)}`;
}

/** A signal or an update the workflow received, by its name. */
export function messageReceived(name: string): string {
  return messageWords[name] ?? humanise(name);
}

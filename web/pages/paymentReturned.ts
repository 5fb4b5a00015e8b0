import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { apiFor } from '../api';
import { getPage, type Page, param } from '../page';
import { render } from '../render';

/**
 * Where the clerk's browser comes back to from the PSP's page. Coming back proves nothing: the
 * payer may have paid, declined or given up, and the IMS knows only once its workflow has read
 * the payment from the PSP. So the page shows the payment's real state and says the money has
 * been received only when the ledger has it (allocated, with its journal). Until the state is
 * final it warns against taking the card again and checks again: by itself with JavaScript
 * (web/static/app.js), with a link without.
 */

type Payment = {
  paymentId: string;
  state: string;
  amountPence: number;
  description: string;
  failureCode: string | null;
  journal: { journalId: string } | null;
};

export type Outcome = 'received' | 'not_taken' | 'waiting';

/** Final states in which no money was taken, and what each means for the person on the phone. */
const notTaken: Record<string, string> = {
  rejected: 'The payment was refused before it reached the card payment provider.',
  failed: 'The card was declined or the payment failed.',
  cancelled: 'The payment was cancelled.',
  expired: 'The payment timed out before it was completed.',
  error: 'The card payment provider had a problem and did not take the money.',
};

/** Received only once the ledger has the money: allocated, with the journal posted. */
export function outcomeOf(payment: Pick<Payment, 'state' | 'journal'>): Outcome {
  if (payment.state === 'allocated' && payment.journal !== null) return 'received';
  if (Object.hasOwn(notTaken, payment.state)) return 'not_taken';
  return 'waiting';
}

const titles: Record<Outcome, string> = {
  received: 'Payment received',
  not_taken: 'The payment was not taken',
  waiting: 'Waiting for the payment to be confirmed',
};

async function returnedPage(ctx: ApiContext, req: Request, res: Response) {
  const payment = await apiFor(
    ctx,
    req,
    res,
  )<Payment>('getPayment', { params: { paymentId: param(req, 'paymentId') } });
  const outcome = outcomeOf(payment);
  render(res, 'payments/returned.njk', {
    payment,
    outcome,
    title: titles[outcome],
    why: notTaken[payment.state] ?? '',
    checkAgain: `/payments/${payment.paymentId}/returned`,
  });
}

export function returnedPages(
  ctx: ApiContext,
  findByFormId: (req: Request, res: Response) => Promise<string | undefined>,
): Page[] {
  return [
    getPage(
      '/payments/returned/:formId',
      { permission: 'view' },
      'Back from the payment page',
      async (req, res) => {
        const paymentId = await findByFormId(req, res);
        res.redirect(
          303,
          paymentId === undefined ? '/payments' : `/payments/${paymentId}/returned`,
        );
      },
    ),
    getPage(
      '/payments/:paymentId/returned',
      { permission: 'view' },
      'Payment outcome',
      (req, res) => returnedPage(ctx, req, res),
    ),
  ];
}

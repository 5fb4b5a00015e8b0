// Proves the staff screens' forms end to end on the real stack, as a browser without JavaScript
// would use them: taking a payment (amounts refused with the reason named on the field, the
// officer sent to the sandbox PSP's page and back), a refund requested on screen and approved
// only by a second person, and suspense worked on screen (split allocation with 'add another
// row', notes, write-off with four-eyes approval).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import type { PaymentServiceProvider } from '../../psp';
import type { SandboxServer } from '../../psp/sandbox/sandboxPsp';
import { startSandboxPsp } from '../harness/sandbox';
import { useTestStack } from '../harness/stack';
import { errorSummary, h1Of, hrefOf, inlineError, textOf, webClient } from './webHelpers';

// Read when the routes are built: poll the PSP quickly so refunds finish promptly.
process.env.REFUND_POLL_INITIAL_MS = '100';
process.env.REFUND_POLL_MAX_MS = '400';

let provider: PaymentServiceProvider;
let sandbox: SandboxServer;
const stack = useTestStack({ worker: false, psp: () => provider });
const page = webClient(stack);

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const started = await startSandboxPsp(stack, () => new Date());
  provider = started.provider;
  sandbox = started.sandbox;
  await stack.startWorker();
});

afterAll(async () => {
  await sandbox?.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const paymentForm = (overrides: Record<string, string> = {}) => ({
  fundCode: 'CTAX',
  reference: '123456780',
  amount: '125.50',
  description: 'Council tax',
  method: 'CPH',
  formId: crypto.randomUUID(),
  ...overrides,
});

/** Takes a payment on screen and pays it on the sandbox's page; returns the payment id. */
async function takeAndPay(amount: string): Promise<string> {
  const posted = await page('POST', '/payments/new', { form: paymentForm({ amount }) });
  expect(posted.status).toBe(303);
  const paymentId = /^\/payments\/(pay_[0-9a-z]{20})\/pay$/.exec(posted.location ?? '')?.[1];
  expect(paymentId).toBeDefined();
  const pay = await page('GET', posted.location!);
  const nextUrl = hrefOf(pay.html, 'go-to-payment-page')!;
  await fetch(`${nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await until(
    () => stack.request('GET', `/v1/payments/${paymentId}`),
    (response) => response.body.state === 'allocated',
  );
  return paymentId!;
}

describe('take a payment', () => {
  it.each([
    ['12.345', 'Amount must not have more than 2 decimal places'],
    [
      '1,23.00',
      'Amount must be a number of pounds, with commas only between thousands, for example 1,234.56',
    ],
    ['-5.00', 'Amount must be more than £0'],
    ['0', 'Amount must be more than £0'],
    ['twelve', 'Amount must be a number of pounds, for example 12.34'],
    ['', 'Enter the amount'],
  ])('refuses the amount %j, saying why on the field', async (amount, message) => {
    const response = await page('POST', '/payments/new', { form: paymentForm({ amount }) });
    expect(response.status).toBe(400);
    expect(errorSummary(response.html)).toEqual([{ href: '#amount', text: message }]);
    expect(inlineError(response.html, 'amount')).toBe(message);
    expect(response.html).toContain(`value="${amount.replace(/&/g, '&amp;')}"`); // kept as typed
    expect(h1Of(response.html)).toBe('Take a payment');
  });

  it.each(['5,000', '£5,000.00'])(
    'takes the amount %j as pounds people write them',
    async (amount) => {
      const response = await page('POST', '/payments/new', { form: paymentForm({ amount }) });
      expect(response.status).toBe(303);
      const paymentId = /^\/payments\/(pay_[0-9a-z]{20})\/pay$/.exec(response.location ?? '')?.[1];
      const payment = await stack.request('GET', `/v1/payments/${paymentId}`);
      expect(payment.body.amountPence).toBe(500_000);
    },
  );

  it('shows the money core refusing a reference on the reference field', async () => {
    const response = await page('POST', '/payments/new', {
      form: paymentForm({ reference: '123456789' }),
    });
    expect(response.status).toBe(422);
    const summary = errorSummary(response.html);
    expect(summary.map((entry) => entry.href)).toContain('#reference');
    expect(inlineError(response.html, 'reference')).toMatch(/^Reference is not valid/);
  });

  it('sends the officer to the PSP page, back to the payment, and shows what happened', async () => {
    const form = paymentForm({ amount: '125.50' });
    const posted = await page('POST', '/payments/new', { form });
    expect(posted.status).toBe(303);
    // A double-clicked button posts the same form again: it is the same payment.
    const again = await page('POST', '/payments/new', { form });
    expect(again.location).toBe(posted.location);
    const paymentId = /^\/payments\/(pay_[0-9a-z]{20})\/pay$/.exec(posted.location ?? '')?.[1];

    const pay = await page('GET', posted.location!);
    expect(pay.status).toBe(200);
    expect(h1Of(pay.html)).toBe('Continue to the payment page');
    const nextUrl = hrefOf(pay.html, 'go-to-payment-page');
    expect(nextUrl).toMatch(new RegExp(`^${sandbox.url}/pay/`));

    const paid = await fetch(`${nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
    const returnUrl = new URL(paid.headers.get('location')!);
    expect(returnUrl.origin).toBe(stack.baseUrl);
    const back = await page('GET', returnUrl.pathname);
    expect(back.status).toBe(303);
    expect(back.location).toBe(`/payments/${paymentId}/returned`);

    await until(
      () => stack.request('GET', `/v1/payments/${paymentId}`),
      (response) => response.body.state === 'allocated',
    );
    const outcome = await page('GET', back.location!);
    expect(outcome.status).toBe(200);
    expect(h1Of(outcome.html)).toBe('Payment received');
    expect(textOf(outcome.html)).toContain('£125.50');
    expect(outcome.html).not.toContain('id="check-again"');
    const detail = await page('GET', `/payments/${paymentId}`);
    expect(detail.status).toBe(200);
    expect(h1Of(detail.html)).toBe(paymentId);
    const text = textOf(detail.html);
    expect(text).toContain('State: Allocated');
    expect(text).toContain('£125.50');
    // Who took it, not "IMS": on screen, in the API and in the audit trail.
    expect(detail.html).toMatch(/id="payment-taken-by">tester</);
    expect((await stack.request('GET', `/v1/payments/${paymentId}`)).body.takenBy).toBe('tester');
    const audit = await stack.request('GET', `/v1/audit?entityType=payment&entityId=${paymentId}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'payment.create', actor: 'tester' }),
    ]);
    expect(text).toContain('FUND:CTAX');
    // The story in a finance officer's words, not Temporal's event names.
    expect(text).toContain('Processing started');
    expect(text).toContain('Payment page asked for from the card payment provider');
    expect(text).toContain('Money allocated and posted to the ledger');
    expect(text).not.toMatch(/Workflow started|Step completed|Signal received|Update accepted/);
    expect(detail.html).toContain('class="moj-timeline"');
    expect(hrefOf(detail.html, 'request-refund')).toBe(`/refunds/new?paymentId=${paymentId}`);

    // Found again by its reference.
    const found = await page('GET', '/payments?reference=123456780&state=allocated');
    expect(found.html).toContain(`href="/payments/${paymentId}"`);
  });

  it('says a declined payment was not taken, never that it was received', async () => {
    const posted = await page('POST', '/payments/new', { form: paymentForm({ amount: '9.99' }) });
    const paymentId = /^\/payments\/(pay_[0-9a-z]{20})\/pay$/.exec(posted.location ?? '')?.[1];
    const nextUrl = hrefOf((await page('GET', posted.location!)).html, 'go-to-payment-page');
    const declined = await fetch(`${nextUrl}/decline`, { method: 'POST', redirect: 'manual' });
    const back = await page('GET', new URL(declined.headers.get('location')!).pathname);
    expect(back.location).toBe(`/payments/${paymentId}/returned`);
    await until(
      () => stack.request('GET', `/v1/payments/${paymentId}`),
      (response) => response.body.state === 'failed',
    );
    const outcome = await page('GET', back.location!);
    expect(h1Of(outcome.html)).toBe('The payment was not taken');
    const text = textOf(outcome.html);
    expect(text).toContain('State: Failed');
    expect(text).toContain('No money was taken for £9.99.');
    expect(text).not.toContain('Payment received');
    expect(outcome.html).not.toContain('id="check-again"');
    expect(outcome.html).toContain('data-app-final="true"');
  });
});

describe('refunds on screen', () => {
  it('are requested by one person and approved only by another', async () => {
    const paymentId = await takeAndPay('600.00');
    const form = await page('GET', `/refunds/new?paymentId=${paymentId}`);
    expect(form.status).toBe(200);
    expect(h1Of(form.html)).toBe('Request a refund');

    const noReason = await page('POST', '/refunds/new', {
      form: { paymentId, amount: '550.00', reason: '' },
    });
    expect(noReason.status).toBe(400);
    expect(errorSummary(noReason.html)).toEqual([
      { href: '#reason', text: 'Enter the reason for the refund' },
    ]);
    const tooMuch = await page('POST', '/refunds/new', {
      form: { paymentId, amount: '700.00', reason: 'Paid twice' },
    });
    expect(tooMuch.status).toBe(422);
    expect(errorSummary(tooMuch.html)[0]?.href).toBe('#amount');

    const requested = await page('POST', '/refunds/new', {
      form: { paymentId, amount: '550.00', reason: 'Paid twice' },
    });
    expect(requested.status).toBe(303);
    const refundId = /^\/refunds\/(rfd_[0-9a-z]{20})\?notice=requested$/.exec(
      requested.location ?? '',
    )?.[1];
    expect(refundId).toBeDefined();
    const refundPath = `/refunds/${refundId}`;
    const detail = await until(
      () => page('GET', refundPath),
      (response) => textOf(response.html).includes('State: Awaiting approval'),
    );
    expect(textOf(detail.html)).toContain('You requested this refund, so someone else must');

    const queue = await page('GET', '/refunds');
    const awaiting = /id="refunds-awaiting-approval"[\s\S]*?<\/table>/.exec(queue.html)?.[0] ?? '';
    expect(awaiting).toContain(refundId);

    const own = await page('POST', `${refundPath}/approve`, { form: { approveReason: '' } });
    expect(own.status).toBe(403);
    expect(errorSummary(own.html)).toEqual([
      { href: null, text: 'You requested this refund, so someone else must approve or reject it' },
    ]);

    const bareReject = await page('POST', `${refundPath}/reject`, {
      as: 'bob',
      form: { rejectReason: '' },
    });
    expect(bareReject.status).toBe(400);
    expect(errorSummary(bareReject.html)[0]?.href).toBe('#rejectReason');

    const approved = await page('POST', `${refundPath}/approve`, {
      as: 'bob',
      form: { approveReason: 'Checked the bank statement' },
    });
    expect(approved.status).toBe(303);
    expect(approved.location).toBe(`${refundPath}?notice=approved`);
    const after = textOf((await page('GET', approved.location!)).html);
    expect(after).toContain('The refund has been approved.');
    expect(after).toContain('Decided by bob: Checked the bank statement');
    expect(after).not.toContain('State: Awaiting approval');
  });
});

async function suspenseItem(amountPence: number): Promise<string> {
  const created = await stack.request('POST', '/v1/suspense', {
    amountPence,
    receivedReference: 'CHQ 000123',
    reason: 'Cheque with no slip',
  });
  expect(created.status).toBe(201);
  return created.body.suspenseId as string;
}

describe('suspense on screen', () => {
  it('allocates a split, adding a row without JavaScript, and names refused rows', async () => {
    const suspenseId = await suspenseItem(10_000);
    const path = `/suspense/${suspenseId}`;
    const shown = await page('GET', path);
    expect(shown.status).toBe(200);
    expect(h1Of(shown.html)).toBe(suspenseId);
    expect(shown.html).toContain('id="fundCode-2"');
    expect(shown.html).not.toContain('id="fundCode-3"');

    const rows = {
      rowCount: '3',
      'fundCode-0': 'CTAX',
      'reference-0': '123456780',
      'amount-0': '60.00',
      'fundCode-1': 'PCN',
      'reference-1': 'BJ12345673',
      'amount-1': '40.00',
    };
    const longer = await page('POST', `${path}/allocate`, { form: { ...rows, action: 'addRow' } });
    expect(longer.status).toBe(200);
    expect(longer.html).toContain('id="fundCode-3"');
    expect(longer.html).toContain('value="BJ12345673"');
    // The new row's first field takes the focus, and Enter presses Allocate, the form's first
    // submit button, not 'Add another row'.
    expect(longer.html).toMatch(/<select[^>]*id="fundCode-3"[^>]*\sautofocus[\s>]/);
    const form = /<form[^>]*\/allocate#allocate"[\s\S]*?<\/form>/.exec(longer.html)?.[0] ?? '';
    expect(/<button[^>]*type="submit"[^>]*>/.exec(form)?.[0]).toContain('value="allocate"');

    const badAmount = await page('POST', `${path}/allocate`, {
      form: { ...rows, 'amount-1': '40.001', total: '100.00', action: 'allocate' },
    });
    expect(badAmount.status).toBe(400);
    expect(errorSummary(badAmount.html)).toEqual([
      { href: '#amount-1', text: 'Amount in row 2 must not have more than 2 decimal places' },
    ]);

    const wrongTotal = await page('POST', `${path}/allocate`, {
      form: { ...rows, total: '90.00', action: 'allocate' },
    });
    expect(wrongTotal.status).toBe(422);
    expect(errorSummary(wrongTotal.html)[0]?.href).toBe('#total');

    const done = await page('POST', `${path}/allocate`, {
      form: {
        ...rows,
        total: '100.00',
        allocateReason: 'Letter from the payer',
        action: 'allocate',
      },
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${path}?notice=allocated`);
    const after = textOf((await page('GET', done.location!)).html);
    expect(after).toContain('The money has been allocated.');
    expect(after).toContain('State: Allocated');
    expect(after).toContain('BJ12345673');
  });

  it('takes notes and writes off only with a second person', async () => {
    const suspenseId = await suspenseItem(2_500);
    const path = `/suspense/${suspenseId}`;
    const empty = await page('POST', `${path}/notes`, { form: { noteText: '' } });
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.html)).toEqual([{ href: '#noteText', text: 'Enter a note' }]);
    const noted = await page('POST', `${path}/notes`, { form: { noteText: 'Rang the bank' } });
    expect(noted.status).toBe(303);
    expect(textOf((await page('GET', path)).html)).toContain('Rang the bank');

    const assigned = await page('POST', `${path}/assign`, { form: { assignee: 'not a user!' } });
    expect(assigned.status).toBe(400);
    expect(errorSummary(assigned.html)[0]?.href).toBe('#assignee');

    const asked = await page('POST', `${path}/write-off`, {
      form: { writeOffReason: 'Nobody has claimed it in a year' },
    });
    expect(asked.status).toBe(303);
    // The requester is told someone else decides, and offered no button that would refuse them.
    const ownView = await page('GET', path);
    expect(textOf(ownView.html)).toContain(
      'You asked for this write-off, so someone else must approve or reject it.',
    );
    expect(ownView.html).not.toContain('id="approve-write-off"');
    expect(ownView.html).not.toContain('id="reject-write-off"');
    const othersView = await page('GET', path, { as: 'bob' });
    expect(othersView.html).toContain('id="approve-write-off"');
    expect(othersView.html).toContain('id="reject-write-off"');
    const queue = await page('GET', '/suspense?writeOff=requested', { as: 'bob' });
    expect(queue.html).toContain(suspenseId);
    const own = await page('POST', `${path}/write-off/approve`, { form: {} });
    expect(own.status).toBe(403);
    expect(errorSummary(own.html)[0]?.text).toBe(
      'You asked for this write-off, so someone else must approve it',
    );
    const approved = await page('POST', `${path}/write-off/approve`, { as: 'bob', form: {} });
    expect(approved.status).toBe(303);
    expect(textOf((await page('GET', path)).html)).toContain('State: Written off');
  });

  it('rejects a write-off with a reason, leaving the money to be worked', async () => {
    const suspenseId = await suspenseItem(1_500);
    const path = `/suspense/${suspenseId}`;
    await page('POST', `${path}/write-off`, { form: { writeOffReason: 'No trace' } });
    const dashboard = await page('GET', '/', { as: 'bob' });
    expect(dashboard.html).toContain('id="write-offs-awaiting"');
    const blank = await page('POST', `${path}/write-off/reject`, {
      as: 'bob',
      form: { rejectWriteOffReason: '' },
    });
    expect(blank.status).toBe(400);
    expect(errorSummary(blank.html)).toEqual([
      { href: '#rejectWriteOffReason', text: 'Enter the reason for rejecting the write-off' },
    ]);
    const rejected = await page('POST', `${path}/write-off/reject`, {
      as: 'bob',
      form: { rejectWriteOffReason: 'The payer has been found' },
    });
    expect(rejected.status).toBe(303);
    expect(rejected.location).toBe(`${path}?notice=write-off-rejected`);
    const after = textOf((await page('GET', rejected.location!)).html);
    expect(after).toContain('The write-off has been rejected. The money stays in suspense.');
    expect(after).toContain('State: Open');
  });

  it('lists items by state and age', async () => {
    const list = await page('GET', '/suspense?state=written_off');
    expect(list.status).toBe(200);
    expect(list.html).toContain('id="suspense-items"');
  });
});

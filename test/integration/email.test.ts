// Proves payer email through GOV.UK Notify (issue 13): a card payment made with an email address
// (or with one the payer typed at the PSP) produces a receipt at the local Notify simulator whose
// values match the payment, VAT included; a refund produces its confirmation; Notify's status
// callbacks end each email delivered or failed in the email log; Notify down is retried until it
// is back, and a refusal ends the email as failed; the address is never in a log line, a workflow
// history, a search attribute, the outbox or the email log, and the sweep erases it once its
// retention ends.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import {
  createNotifySimulator,
  type NotifySimulator,
  type SimulatedEmail,
} from '../../notify/simulator/notifySimulator';
import { createLogger } from '../../platform/logger';
import { outboxSweepWorkflow, outboxWorkflowId } from '../../workflows/outbox';
import { paymentWorkflowId } from '../../workflows/payment';
import { eventually } from '../harness/eventually';
import { decodedHistoryJSON } from '../harness/histories';
import { useSandboxStack } from '../harness/sandbox';
import { signInSession } from './webHelpers';

const serviceId = '26785a09-ab16-4eb0-8407-a37497a57506';
const notifyKey = `ims_test-${serviceId}-3d844edf-8d35-48ac-975b-e847b4f122b0`;
const callbackToken = 'notify-callback-token-for-tests';

// Read by the worker's activities and the API's routes at each call.
process.env.OUTBOX_RETRY_FOR_MS = '20000';
process.env.OUTBOX_RETRY_INITIAL_MS = '200';
process.env.OUTBOX_RETRY_MAX_INTERVAL_MS = '500';
process.env.NOTIFY_API_KEY = notifyKey;
process.env.NOTIFY_CALLBACK_TOKEN = callbackToken;
process.env.REFUND_POLL_INITIAL_MS = '100';
process.env.REFUND_POLL_MAX_MS = '400';

const logLines: string[] = [];
const logger = createLogger(
  'debug',
  {},
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);
const stack = useSandboxStack({ logger });

const templates = {
  receipt: '11111111-1111-4111-8111-111111111111',
  libraryReceipt: '22222222-2222-4222-8222-222222222222',
  refund: '33333333-3333-4333-8333-333333333333',
  returnVoided: '66666666-6666-4666-8666-666666666666',
};

let simulator: NotifySimulator;
let notify: { url: string; close(): Promise<void> };
const simulatorOptions = {
  apiKeys: [notifyKey],
  callbackUrl: '',
  callbackBearerToken: callbackToken,
  deliveryDelayMs: 30,
};

async function startNotify(port = 0): Promise<void> {
  simulator = createNotifySimulator(simulatorOptions);
  notify = await simulator.start(port);
  process.env.NOTIFY_BASE_URL = notify.url;
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  simulatorOptions.callbackUrl = `${stack.baseUrl}/v1/notify/callbacks`;
  await startNotify();
  const saved = await stack.request('PUT', '/v1/notify-templates', {
    templates: [
      { purpose: 'payment_receipt', fundCode: null, templateId: templates.receipt },
      { purpose: 'payment_receipt', fundCode: 'LIB', templateId: templates.libraryReceipt },
      { purpose: 'refund_confirmation', fundCode: null, templateId: templates.refund },
      { purpose: 'ereturn_voided', fundCode: null, templateId: templates.returnVoided },
    ],
    reason: 'Receipts by email',
  });
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await notify?.close();
});

type Line = { fundCode: string; reference: string; amountPence: number };

/** A card payment paid on the sandbox's page; `typedEmail` is what the payer types there. */
async function paidPayment(lines: Line[], email?: string, typedEmail?: string) {
  const created = await stack.request('POST', '/v1/payments', {
    lines,
    description: 'Email test',
    returnUrl: 'https://council.example/paid',
    ...(email === undefined ? {} : { email }),
  });
  expect(created.status).toBe(201);
  await fetch(`${created.body.nextUrl}/pay`, {
    method: 'POST',
    redirect: 'manual',
    ...(typedEmail === undefined
      ? {}
      : {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email: typedEmail }).toString(),
        }),
  });
  const paymentId = created.body.paymentId as string;
  await eventually('allocation', async () => {
    const payment = await stack.request('GET', `/v1/payments/${paymentId}`);
    return payment.body.state === 'allocated' ? true : undefined;
  });
  return paymentId;
}

const emailTo = (address: string, templateId: string) =>
  eventually(`an email to ${address}`, async () =>
    simulator
      .sent()
      .find((email) => email.emailAddress === address && email.templateId === templateId),
  );

async function logEntry(paymentId: string, purpose: string, status: string) {
  return eventually(`${purpose} ${status} for ${paymentId}`, async () => {
    const page = await stack.request('GET', `/v1/emails?paymentId=${paymentId}`);
    return (page.body.items as { purpose: string; status: string }[]).find(
      (item) => item.purpose === purpose && item.status === status,
    );
  });
}

/** Every payload of the workflow's history, decoded to text. */
async function historyText(workflowId: string): Promise<string> {
  const json = await decodedHistoryJSON(stack, workflowId);
  const datas = [...json.matchAll(/"data":"([A-Za-z0-9+/=]*)"/g)].map((match) =>
    Buffer.from(match[1] ?? '', 'base64').toString('utf8'),
  );
  return `${json}\n${datas.join('\n')}`;
}

describe('payment receipts', () => {
  const address = 'resident.one@example.org';
  let paymentId: string;
  let receipt: SimulatedEmail;

  it('sends a VAT receipt whose values match the payment, and logs it delivered', async () => {
    paymentId = await paidPayment(
      [
        { fundCode: 'CTAX', reference: '123456780', amountPence: 12_345 },
        { fundCode: 'LIB', reference: 'LOAN-9', amountPence: 1_200 },
      ],
      address,
    );
    receipt = await emailTo(address, templates.libraryReceipt);
    expect(receipt.personalisation).toEqual({
      council_name: expect.any(String),
      payment_reference: paymentId,
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      amount: '£135.45',
      lines:
        '* Council tax, reference 123456780: £123.45\n' +
        '* Library charges, reference LOAN-9: £12.00 (includes VAT at 20%: £2.00)',
      vat_receipt: 'yes',
      vat_total: '£2.00',
    });
    expect(receipt.reference).toMatch(/^default:eml_[0-9a-z]{20}$/);
    const logged = await logEntry(paymentId, 'payment_receipt', 'delivered');
    expect(logged).toMatchObject({
      templateId: templates.libraryReceipt,
      notifyId: receipt.id,
      attempts: 0,
      lastError: null,
    });
    expect(simulator.sent().filter((email) => email.emailAddress === address)).toHaveLength(1);
  });

  it('sends the refund’s confirmation once the refund has succeeded', async () => {
    const requested = await stack.request('POST', '/v1/refunds', {
      paymentId,
      amountPence: 1_200,
      reason: 'Book returned',
    });
    expect(requested.status).toBe(201);
    const confirmation = await emailTo(address, templates.refund);
    expect(confirmation.personalisation).toMatchObject({
      refund_reference: requested.body.refundId,
      payment_reference: paymentId,
      amount: '£12.00',
      method: 'to the card you paid with',
    });
    await logEntry(paymentId, 'refund_confirmation', 'delivered');
  });

  it('keeps the address out of logs, histories, search attributes, the outbox and the email log', async () => {
    const [outboxRow] = await stack.database
      .sql`select id, payload::text as payload from outbox where payload->>'paymentId' = ${paymentId}`;
    expect(outboxRow).toBeDefined();
    const workflowIds = [
      paymentWorkflowId('default', paymentId),
      outboxWorkflowId('default', outboxRow!.id as string),
    ];
    for (const workflowId of workflowIds) {
      expect(await historyText(workflowId)).not.toContain(address);
      const described = await stack.temporal.workflow.getHandle(workflowId).describe();
      expect(
        JSON.stringify(described.raw.workflowExecutionInfo?.searchAttributes ?? {}),
      ).not.toContain(address);
      expect(JSON.stringify(described.typedSearchAttributes)).not.toContain(address);
    }
    expect(outboxRow!.payload).not.toContain(address);
    const emails = await stack.database.sql`select * from email_messages`;
    expect(JSON.stringify(emails)).not.toContain(address);
    const [contact] = await stack.database
      .sql`select sealed_email from payer_contacts where source_id = ${paymentId}`;
    expect(contact?.sealed_email).not.toContain(address);
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('')).not.toContain(address);
    expect(logLines.join('')).not.toContain(Buffer.from(address).toString('base64'));
  });
});

describe('capture and failures', () => {
  it('uses the address the payer typed at the PSP when the service sent none', async () => {
    const typed = 'typed.at.pay@example.org';
    const paymentId = await paidPayment(
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: 500 }],
      undefined,
      typed,
    );
    const receipt = await emailTo(typed, templates.receipt);
    expect(receipt.personalisation).toMatchObject({
      payment_reference: paymentId,
      amount: '£5.00',
      vat_receipt: 'no',
    });
    const [contact] = await stack.database
      .sql`select captured_from from payer_contacts where source_id = ${paymentId}`;
    expect(contact?.captured_from).toBe('psp');
  });

  it('sends nothing, and logs nothing, for a payment without an address', async () => {
    const paymentId = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 501 },
    ]);
    await eventually('the receipt relayed', async () => {
      const [row] = await stack.database
        .sql`select sent_at from outbox where payload->>'paymentId' = ${paymentId}`;
      return row?.sent_at ? true : undefined;
    });
    const page = await stack.request('GET', `/v1/emails?paymentId=${paymentId}`);
    expect(page.body.items).toEqual([]);
  });

  it('logs Notify’s failure word from its callback', async () => {
    const paymentId = await paidPayment(
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: 502 }],
      'perm-fail@simulator.notify',
    );
    await logEntry(paymentId, 'payment_receipt', 'permanent-failure');
  });

  it('retries while Notify is down and sends once it is back', async () => {
    const port = Number(new URL(notify.url).port);
    await notify.close();
    const address = 'while.down@example.org';
    const paymentId = await paidPayment(
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: 503 }],
      address,
    );
    await eventually('a failed try', async () => {
      const page = await stack.request('GET', `/v1/emails?paymentId=${paymentId}`);
      const item = page.body.items[0];
      return item?.attempts > 0 && item.status === 'pending' ? item : undefined;
    });
    await startNotify(port);
    await emailTo(address, templates.receipt);
    const logged = await logEntry(paymentId, 'payment_receipt', 'delivered');
    expect(logged).toMatchObject({ lastError: null });
  });

  it('ends an email Notify refuses as failed, with Notify’s words', async () => {
    process.env.NOTIFY_API_KEY = `ims_test-${serviceId}-00000000-0000-4000-8000-000000000000`;
    try {
      const paymentId = await paidPayment(
        [{ fundCode: 'CTAX', reference: '123456780', amountPence: 504 }],
        'refused@example.org',
      );
      const failed = await logEntry(paymentId, 'payment_receipt', 'failed');
      expect(failed).toMatchObject({ lastError: expect.stringContaining('403') });
    } finally {
      process.env.NOTIFY_API_KEY = notifyKey;
    }
  });

  it('erases addresses past their retention in the sweep', async () => {
    const paymentId = await paidPayment(
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: 505 }],
      'short.lived@example.org',
    );
    await stack.database
      .sql`update payer_contacts set erase_after = now() - interval '1 second' where source_id = ${paymentId}`;
    await stack.temporal.workflow.execute(outboxSweepWorkflow, {
      workflowId: `email-test-sweep-${paymentId}`,
      taskQueue: stack.taskQueue,
    });
    const left = await stack.database
      .sql`select 1 from payer_contacts where source_id = ${paymentId}`;
    expect(left).toHaveLength(0);
  });
});

describe('cash desk', () => {
  let asCashier: Record<string, string> = {};
  it('tells the cashier by email, at their staff account’s address, that a return was voided', async () => {
    const password = 'cashier with an email address';
    const user = await stack.request('POST', '/v1/users', {
      username: 'mailed.cashier',
      displayName: 'Mailed Cashier',
      email: 'mailed.cashier@council.example',
      password,
      permissions: ['view', 'payment.take'],
      fundGroups: null,
    });
    expect(user.status, user.text).toBe(201);
    const assigned = await stack.request('PUT', '/v1/cashiers/mailed.cashier', {
      officeCode: 'CC',
      methodOfPaymentCodes: ['CSH'],
    });
    expect(assigned.status, assigned.text).toBe(200);
    const template = await stack.request('POST', '/v1/cash-return-templates', {
      id: 'CC_MAIL',
      officeCode: 'CC',
      name: 'Civic Centre return',
      fundCodes: ['CTAX'],
      closesAt: '17:00',
    });
    expect(template.status, template.text).toBe(201);
    const session = await signInSession(stack, 'mailed.cashier', password);
    const me = await stack.request('GET', '/v1/me', undefined, session);
    asCashier = { ...session, 'X-CSRF-Token': me.body.csrfToken as string };
    const started = await stack.request('POST', '/v1/cash-returns', {}, asCashier);
    expect(started.status, started.text).toBe(201);
    const returnId = started.body.cashReturn.returnId as string;
    const voided = await stack.request(
      'POST',
      `/v1/cash-returns/${returnId}/void`,
      { reason: 'Started on the wrong till' },
      asCashier,
    );
    expect(voided.status, voided.text).toBe(200);
    await stack.temporal.workflow.execute(outboxSweepWorkflow, {
      workflowId: `email-test-sweep-${returnId}`,
      taskQueue: stack.taskQueue,
    });
    const email = await emailTo('mailed.cashier@council.example', templates.returnVoided);
    expect(email.personalisation).toMatchObject({
      return_reference: returnId,
      office: 'CC',
      voided_by: 'mailed.cashier',
      reason: 'Started on the wrong till',
    });
  });

  it('emails a counter payment’s receipt to the address the cashier keyed in', async () => {
    const address = 'at.the.counter@example.org';
    const taken = await stack.request(
      'POST',
      '/v1/counter-payments',
      {
        methodOfPaymentCode: 'CSH',
        tender: { kind: 'cash', tenderedPence: 2_000 },
        lines: [{ fundCode: 'LIB', reference: 'LOAN-3', amountPence: 1_200 }],
        email: address,
      },
      asCashier,
    );
    expect(taken.status, taken.text).toBe(201);
    const counterPaymentId = taken.body.counterPaymentId as string;
    await stack.temporal.workflow.execute(outboxSweepWorkflow, {
      workflowId: `email-test-sweep-${counterPaymentId}`,
      taskQueue: stack.taskQueue,
    });
    const receipt = await emailTo(address, templates.libraryReceipt);
    expect(receipt.personalisation).toMatchObject({
      payment_reference: counterPaymentId,
      amount: '£12.00',
      lines: '* Library charges, reference LOAN-3: £12.00 (includes VAT at 20%: £2.00)',
      vat_receipt: 'yes',
    });
    const [contact] = await stack.database
      .sql`select captured_from from payer_contacts where source_id = ${counterPaymentId}`;
    expect(contact?.captured_from).toBe('staff');
  });
});

describe('bad input and callbacks', () => {
  it('refuses an address that is not one, naming the field', async () => {
    const response = await stack.request('POST', '/v1/payments', {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 100 }],
      description: 'Bad email',
      returnUrl: 'https://council.example/paid',
      email: 'not an address',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('body.email');
  });

  it('refuses templates that are not UUIDs, unknown funds and duplicates', async () => {
    const response = await stack.request('PUT', '/v1/notify-templates', {
      templates: [{ purpose: 'payment_receipt', fundCode: null, templateId: 'not-a-uuid' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('body.templates[0].templateId');
    const twice = await stack.request('PUT', '/v1/notify-templates', {
      templates: [
        { purpose: 'payment_receipt', fundCode: 'NOPE', templateId: templates.receipt },
        { purpose: 'payment_receipt', fundCode: 'NOPE', templateId: templates.receipt },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'body.templates[1]',
      'body.templates[0].fundCode',
    ]);
  });

  it('refuses a callback without the token, and acknowledges one that is not ours', async () => {
    const post = (authorization: string, body: unknown) =>
      fetch(`${stack.baseUrl}/v1/notify/callbacks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(body),
      });
    const wrong = await post('Bearer wrong-token-wrong-token', { id: 'x', status: 'delivered' });
    expect(wrong.status).toBe(401);
    const unknown = await post(`Bearer ${callbackToken}`, {
      id: 'x',
      reference: 'somebody-else',
      status: 'delivered',
    });
    expect(unknown.status).toBe(200);
  });
});

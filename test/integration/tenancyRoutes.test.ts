// Issue 15, done when: every API route and every screen, walked with one council's credentials
// against another council's ids, answers 404. Council B (the owner of the data) is the default
// council: it gets the demo seeds and the harness's every-permission key, and the owner's
// connection writes its rows without binding. Council A (the intruder) is "southshire",
// onboarded through the provider API as tenancy.test.ts does, with a key holding every council
// permission and a signed-in staff session.
//
// B holds one of each thing a path can name, made through its API: a probe, a paid card payment
// (made with a web form's Idempotency-Key, so it has a form id), a manual journal, a refund
// awaiting approval, a suspense item (with its running workflow), a Post Office import, a bank
// statement import matched against a settlement (a match and exceptions), a closed day, a user,
// an API key, an import profile, and a VAT code, method of payment, office, fund (with its
// ledger account and an account holder), fund group and import rule that only B has. The
// settlement row is inserted as the owner (B's settlement would otherwise need the PSP's report).
//
// Every route and screen with a path parameter is in an explicit table of what A must get: a
// route or screen added later without an entry fails the test. After each state-changing call,
// every B row of every table (as the owner sees it) and B's workflows are as they were.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../api/app';
import type { AnyRoute } from '../../api/route';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { providerCouncilId } from '../../domain/council';
import { demoCouncilBundle } from '../../domain/councilBundle';
import { demoCouncil } from '../../domain/demoCouncil';
import { newId } from '../../domain/ids';
import { generateCollectionFile } from '../../domain/imports';
import { councilPermissions, type Permission } from '../../domain/permissions';
import type { PaymentServiceProvider } from '../../psp';
import { webPages } from '../../web/app';
import type { Page } from '../../web/page';
import { keyInCouncil } from '../harness/councils';
import { startSandboxPsp } from '../harness/sandbox';
import { request, type TestResponse, useTestStack } from '../harness/stack';
import { mt940Statement, uploadFile, waitForImport } from './fullDayHelpers';

let provider: PaymentServiceProvider;
let closeSandbox: (() => Promise<void>) | undefined;
const stack = useTestStack({ worker: false, psp: () => provider });

// Its own council id: test files share one Temporal server, where schedule ids are global.
const councilA = 'southshire';
const councilB = 'default';
const closedDate = '2026-01-15';
const settledDate = '2026-03-02';
const password = 'southshire staff passphrase';

/** B's things, by what names them in a path. */
type Ids = {
  probeId: string;
  paymentId: string;
  formId: string;
  journalId: string;
  approvalId: string;
  refundId: string;
  suspenseId: string;
  importedSuspenseIds: string[];
  importId: string;
  bankImportId: string;
  profileId: string;
  matchId: string;
  exceptionIds: string[];
  statementLineIds: string[];
  userId: string;
  keyId: string;
  vatCode: string;
  methodCode: string;
  officeCode: string;
  fundCode: string;
  ledgerAccount: string;
  holderReference: string;
  fundGroupCode: string;
  ruleId: string;
  checkCode: string;
  subscriptionId: string;
  deliveryId: string;
  emailId: string;
  notifyTemplateId: string;
  counterPaymentId: string;
  cashReturnId: string;
  templateId: string;
};
const b = {
  profileId: 'bonly-mt940',
  formId: 'bonly-form-0001',
  vatCode: 'BONLYVAT',
  methodCode: 'BONLYMOP',
  officeCode: 'QB',
  fundCode: 'BONLYFUND',
  ledgerAccount: 'FUND:BONLYFUND',
  holderReference: '87650001',
  fundGroupCode: 'BONLYGRP',
  ruleId: 'BONLY_RULE',
  checkCode: 'BONLYCHECK',
  userId: 'bonly.clerk',
  templateId: 'BONLY_TPL',
} as Ids;
/** Strings that are B's alone: none may appear in anything A is shown. */
let bTokens: string[] = [];

let asA: Record<string, string>;
let sessionA: { cookie: string; csrf: string };

const keyIn = (councilId: string, granted: readonly Permission[]) =>
  keyInCouncil(stack, councilId, granted);

/** B's call (the harness's default-council key); fails unless it answered `status`. */
async function asB(method: string, path: string, body: unknown, status: number | number[]) {
  const response = await stack.request(method, path, body);
  expect([status].flat(), `${method} ${path}: ${response.text}`).toContain(response.status);
  return response.body;
}

async function waitFor(path: string, done: (body: TestResponse['body']) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await stack.request('GET', path);
    if (done(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`${path} stuck: ${response.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function makeCouncilBThings() {
  const probe = await asB('POST', '/v1/probes', { requestedBy: 'council-b' }, 202);
  b.probeId = probe.probeId;
  await asB('GET', `/v1/probes/${b.probeId}?waitMs=20000`, undefined, 200);

  await asB('POST', '/v1/vat-codes', { code: b.vatCode, name: 'B only', rateBasisPoints: 0 }, 201);
  await asB(
    'POST',
    '/v1/methods-of-payment',
    { code: b.methodCode, name: 'B only', minPence: 1, maxPence: 1_000 },
    201,
  );
  await asB('POST', '/v1/offices', { code: b.officeCode, name: 'B only office' }, 201);
  await asB(
    'POST',
    '/v1/funds',
    {
      code: b.fundCode,
      name: 'B only fund',
      validator: { minLength: 8, maxLength: 8, characterClass: 'digits' },
      vatCode: 'O',
      maxPence: 100_000,
      ledgerCode: 'L100',
      costCentre: 'CC100',
    },
    201,
  );
  await asB(
    'POST',
    '/v1/fund-groups',
    { code: b.fundGroupCode, name: 'B only group', fundCodes: [b.fundCode] },
    201,
  );
  await asB(
    'PUT',
    '/v1/council/psp-credentials',
    { kind: 'apiKey', fundCode: b.fundCode, secret: 'bonly-pay-key-5555' },
    200,
  );
  await asB(
    'POST',
    '/v1/reference-validators',
    {
      code: b.checkCode,
      name: 'B only check',
      validator: { minLength: 8, maxLength: 8, characterClass: 'digits' },
    },
    201,
  );
  await asB(
    'POST',
    '/v1/import-rules',
    {
      id: b.ruleId,
      name: 'B only rule',
      position: 10,
      conditionGroups: [[{ field: 'narrative', operator: 'contains', value: 'b-only-rule' }]],
      actions: { setFundCode: b.fundCode },
    },
    201,
  );
  const holders = await request(
    stack.baseUrl,
    'PUT',
    `/v1/funds/${b.fundCode}/account-holders`,
    `reference,name,address,balance_pence,on_stop_message\n${b.holderReference},Bea Only,,,\n`,
    { ...(await stack.authHeaders()), 'content-type': 'text/csv' },
  );
  expect(holders.status, holders.text).toBe(200);
  await asB(
    'POST',
    '/v1/import-profiles',
    {
      id: b.profileId,
      name: 'B only MT940',
      kind: 'mt940',
      definition: { kind: 'mt940' },
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
    },
    201,
  );
  const user = await asB(
    'POST',
    '/v1/users',
    {
      username: b.userId,
      displayName: 'Bea Clerk',
      password: 'a long enough passphrase',
      permissions: ['view'],
      fundGroups: null,
    },
    201,
  );
  b.userId = user.userId;
  const key = await asB(
    'POST',
    '/v1/api-keys',
    {
      principal: 'bonly-feed',
      description: 'B only feed',
      permissions: ['view'],
      fundGroups: null,
    },
    201,
  );
  b.keyId = key.apiKey.keyId;

  // A card payment, paid on the sandbox's page, made as the payment form makes one.
  const created = await stack.request(
    'POST',
    '/v1/payments',
    {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 70_000 }],
      description: 'Council tax',
      returnUrl: 'https://council.example/paid',
    },
    { ...(await stack.authHeaders()), 'Idempotency-Key': `web:${b.formId}` },
  );
  expect(created.status, created.text).toBe(201);
  b.paymentId = created.body.paymentId;
  const { origin, pathname } = new URL(created.body.nextUrl);
  await fetch(`${origin}${pathname}/pay`, { method: 'POST', redirect: 'manual' });
  await waitFor(`/v1/payments/${b.paymentId}`, (body) => body.state === 'allocated');

  const moved = await asB(
    'POST',
    '/v1/journals/move',
    {
      source: { type: 'payment', id: b.paymentId },
      from: { fundCode: 'CTAX', reference: '123456780' },
      to: { fundCode: b.fundCode, reference: b.holderReference },
      amountPence: 1_000,
      reason: 'Paid to the wrong account',
    },
    201,
  );
  b.journalId = moved.journalId;
  // Over the approval threshold: held for a second person, nothing posted.
  const held = await asB(
    'POST',
    '/v1/journals/transfer',
    {
      from: { fundCode: 'CTAX', reference: '123456780' },
      to: { fundCode: b.fundCode, reference: b.holderReference },
      amountPence: 150_000,
      reason: 'Large transfer',
    },
    202,
  );
  b.approvalId = held.approvalId;

  const refund = await asB(
    'POST',
    '/v1/refunds',
    { paymentId: b.paymentId, amountPence: 60_000, reason: 'Paid twice' },
    201,
  );
  b.refundId = refund.refundId;
  await waitFor(`/v1/refunds/${b.refundId}`, (body) => body.state === 'awaiting_approval');

  const item = await asB(
    'POST',
    '/v1/suspense',
    { amountPence: 4_321, receivedReference: 'unknown 42', reason: 'Cheque with no slip' },
    201,
  );
  b.suspenseId = item.suspenseId;
  await stack.temporal.workflow.getHandle(b.suspenseId).describe();

  const collection = [
    ...generateCollectionFile({
      rows: 20,
      unidentifiableRatio: 0.3,
      seed: 15,
      transactionDate: '2026-11-21',
    }),
  ].join('');
  const imported = await uploadFile(stack, collection, 'post-office', 'po-20261121.txt');
  b.importId = imported.body.importId;
  expect((await waitForImport(stack, b.importId)).state).toBe('completed');
  const suspended = await stack.database.sql<{ id: string }[]>`
    select id from suspense_items where council_id = ${councilB} and source_id = ${b.importId}`;
  b.importedSuspenseIds = suspended.map((row) => row.id);

  // Bank: a settled day paid out in two credits, and a credit nobody expected.
  await stack.database.sql`
    insert into psp_settlements (settled_date, payment_count, gross_pence, fee_pence, refund_pence,
                                 expected_payout_pence, differences)
    values (${settledDate}, 3, 10100, 100, 0, 10000, '[]'::jsonb),
           ('2026-01-05', 1, 5000, 75, 0, 4925, '[]'::jsonb)`;
  const statement = mt940Statement([
    { date: '2026-03-03', amountPence: 6_000, reference: 'PAYOUT PART 1' },
    { date: '2026-03-03', amountPence: 4_000, reference: 'PAYOUT PART 2' },
    { date: '2026-03-04', amountPence: 1_234, reference: 'UNKNOWN CREDIT' },
  ]);
  const bank = await uploadFile(stack, statement, b.profileId, 'bonly.mt940');
  b.bankImportId = bank.body.importId;
  expect((await waitForImport(stack, b.bankImportId)).state).toBe('completed');
  await asB('POST', '/v1/reconciliation/bank/match', { asOf: '2026-03-05' }, 200);
  const [match] = await stack.database.sql<{ id: string }[]>`
    select id from bank_matches where council_id = ${councilB}`;
  b.matchId = String(match?.id);
  b.exceptionIds = (
    await stack.database.sql<{ id: string }[]>`
      select id from bank_exceptions where council_id = ${councilB} order by id`
  ).map((row) => row.id);
  expect(b.exceptionIds.length).toBeGreaterThan(0);
  b.statementLineIds = (
    await stack.database.sql<{ id: string }[]>`
      select id from bank_statement_lines where council_id = ${councilB} order by line_no`
  ).map((row) => row.id);

  await asB('POST', '/v1/close-of-day', { date: closedDate, reason: 'B closes the day' }, 201);

  // A webhook subscription, made after B's payment was relayed (to nobody), and a dead delivery
  // of that payment's receipt to it, as the owner: nothing runs for either.
  const subscribed = await asB(
    'POST',
    '/v1/webhook-subscriptions',
    { url: 'https://crm.bonly.example/hook', events: ['payment.allocated'], description: 'B' },
    201,
  );
  b.subscriptionId = subscribed.subscription.id;
  b.deliveryId = newId('webhookDelivery');
  await stack.database.sql`
    insert into webhook_deliveries (id, outbox_id, subscription_id, event, status, last_error)
    select ${b.deliveryId}, id, ${b.subscriptionId}, 'payment.allocated', 'dead', 'HTTP 500'
      from outbox where council_id = ${councilB} and dedupe_key = ${`receipt:${b.paymentId}`}`;
  // An email of that receipt in B's log, and B's Notify template.
  b.emailId = newId('email');
  await stack.database.sql`
    insert into email_messages (id, outbox_id, purpose, source_id, status)
    select ${b.emailId}, id, 'payment_receipt', ${b.paymentId}, 'delivered'
      from outbox where council_id = ${councilB} and dedupe_key = ${`receipt:${b.paymentId}`}`;
  b.notifyTemplateId = 'b0b0b0b0-b0b0-4b0b-8b0b-b0b0b0b0b0b0';
  await asB(
    'PUT',
    '/v1/notify-templates',
    {
      templates: [{ purpose: 'payment_receipt', fundCode: null, templateId: b.notifyTemplateId }],
    },
    200,
  );

  // The cash desk: B's cashier (the harness's principal) takes a payment at B's own office and
  // starts the day's return.
  await asB(
    'PUT',
    '/v1/cashiers/tester',
    { officeCode: b.officeCode, methodOfPaymentCodes: ['CSH'] },
    200,
  );
  await asB(
    'POST',
    '/v1/cash-return-templates',
    { id: b.templateId, officeCode: b.officeCode, name: 'B only return', closesAt: '00:00' },
    201,
  );
  const counter = await asB(
    'POST',
    '/v1/counter-payments',
    {
      methodOfPaymentCode: 'CSH',
      tender: { kind: 'cash', tenderedPence: 1_000 },
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1_000 }],
    },
    201,
  );
  b.counterPaymentId = counter.counterPaymentId;
  const started = await asB('POST', '/v1/cash-returns', {}, 201);
  b.cashReturnId = started.cashReturn.returnId;

  bTokens = [
    b.counterPaymentId,
    b.cashReturnId,
    b.templateId,
    b.probeId,
    b.paymentId,
    b.formId,
    b.journalId,
    b.approvalId,
    b.refundId,
    b.suspenseId,
    ...b.importedSuspenseIds,
    b.importId,
    b.bankImportId,
    b.profileId,
    b.matchId,
    ...b.exceptionIds,
    ...b.statementLineIds,
    b.userId,
    'bonly-feed',
    b.keyId,
    b.vatCode,
    b.methodCode,
    `"${b.officeCode}"`,
    b.fundCode,
    b.holderReference,
    b.fundGroupCode,
    b.ruleId,
    b.checkCode,
    b.subscriptionId,
    b.deliveryId,
    b.emailId,
    b.notifyTemplateId,
  ];
}

/** Staff of council A, signed in on A's sign-in page: a session cookie and its CSRF token. */
async function signInToA() {
  const created = await stack.request(
    'POST',
    '/v1/users',
    {
      username: 'north.admin',
      displayName: 'Northshire Admin',
      password,
      permissions: [...councilPermissions],
      fundGroups: null,
    },
    asA,
  );
  expect(created.status, created.text).toBe(201);
  const signedIn = await fetch(`${stack.baseUrl}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'north.admin', password, council: councilA }),
    redirect: 'manual',
  });
  expect(signedIn.status).toBe(303);
  const cookie = String(signedIn.headers.get('set-cookie')).split(';')[0] ?? '';
  const me = await stack.request('GET', '/v1/me', undefined, { cookie, Authorization: '' });
  expect(me.body).toMatchObject({ id: 'north.admin', kind: 'user' });
  sessionA = { cookie, csrf: me.body.csrfToken };
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const providerAuth = await keyIn(providerCouncilId, ['provider']);
  const onboarded = await stack.request(
    'POST',
    '/v1/provider/councils',
    demoCouncilBundle({ id: councilA, name: 'Northshire Council' }, demoCouncil),
    providerAuth,
  );
  expect(onboarded.status, onboarded.text).toBe(201);
  asA = await keyIn(councilA, councilPermissions);
  const sandbox = await startSandboxPsp(stack, () => new Date());
  provider = sandbox.provider;
  closeSandbox = () => sandbox.sandbox.close();
  await stack.startWorker();
  await makeCouncilBThings();
  await signInToA();
  await settled();
}, 240_000);

/** Waits until B's workflows have stopped writing (the import's suspense items start theirs). */
async function settled() {
  let last = await stateOfB();
  for (let quiet = 0, polls = 0; quiet < 3; polls++) {
    if (polls > 100)
      throw new Error(`B's state keeps changing: ${changed(last, await stateOfB())}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await stateOfB();
    quiet = changed(last, now).length === 0 ? quiet + 1 : 0;
    last = now;
  }
}

afterAll(async () => {
  await closeSandbox?.();
});

/** B's tokens in a response, but for those A itself sent (a 404 names what was asked for). */
function leakedIn(text: string, sent: string): string[] {
  return bTokens.filter((token) => text.includes(token) && !sent.includes(token.replace(/"/g, '')));
}

let councilTables: string[] | undefined;
/** Every B row of every table with a council, as the owner sees it, digested per table. */
async function stateOfB(): Promise<Record<string, string>> {
  councilTables ??= (
    await stack.database.sql<{ table_name: string }[]>`
      select table_name from information_schema.columns
       where table_schema = 'public' and column_name = 'council_id'
       order by table_name`
  ).map((row) => row.table_name);
  const digests = await Promise.all(
    councilTables.map(async (table) => {
      const [row] = await stack.database.sql<{ n: number; digest: string | null }[]>`
        select count(*)::int as n,
               md5(string_agg(to_jsonb(t)::text, '|' order by to_jsonb(t)::text)) as digest
          from ${stack.database.sql(table)} t where council_id = ${councilB}`;
      return [table, `${row?.n}:${row?.digest}`] as const;
    }),
  );
  const workflows = await Promise.all(
    [b.suspenseId, b.refundId, b.paymentId].map(async (workflowId) => {
      const described = await stack.temporal.workflow.getHandle(workflowId).describe();
      return [
        `workflow ${workflowId}`,
        [
          described.runId,
          described.status.name,
          described.historyLength,
          described.raw.workflowExtendedInfo?.cancelRequested === true,
        ].join(':'),
      ] as const;
    }),
  );
  return Object.fromEntries([...digests, ...workflows]);
}

/** The tables (and workflows) whose B state differs. */
function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((key) => before[key] !== after[key]);
}

type Case = {
  /** Each path parameter's value: B's. */
  params: Record<string, string>;
  query?: string;
  body?: unknown;
  contentType?: string;
  /** What A must get: 404 unless said otherwise (with why). */
  status?: number;
  why?: string;
};

/**
 * Every API route with a path parameter. The body is one B could send successfully, so that a
 * 404 comes from the lookup and not from validation.
 */
function apiCases(): Record<string, Case> {
  const code = (value: string, body?: unknown): Case => ({ params: { code: value }, body });
  const reason = { reason: 'council A tries' };
  return {
    getProbe: { params: { probeId: b.probeId } },
    getPayment: { params: { paymentId: b.paymentId } },
    getImport: { params: { importId: b.importId } },
    listImportErrors: { params: { importId: b.importId } },
    reverseImport: { params: { importId: b.importId }, body: reason },
    disableImportProfile: { params: { profileId: b.profileId } },
    updateImportProfile: {
      params: { profileId: b.profileId },
      body: {
        name: 'Taken',
        definition: { kind: 'mt940' },
        methodOfPaymentCode: 'BT',
        clearingAccountCode: 'CTRL:BANK',
      },
    },
    getAccountStatement: {
      params: { accountCode: b.ledgerAccount },
      query: `from=2026-01-01&to=${businessDateOf(Date.now())}`,
    },
    getJournal: { params: { journalId: b.journalId } },
    getTransaction: { params: { journalId: b.journalId, lineNo: '1' } },
    getVatCode: code(b.vatCode),
    updateVatCode: code(b.vatCode, { name: 'Taken', ...reason }),
    disableVatCode: code(b.vatCode, reason),
    enableVatCode: code(b.vatCode, reason),
    getMethodOfPayment: code(b.methodCode),
    updateMethodOfPayment: code(b.methodCode, { name: 'Taken', ...reason }),
    disableMethodOfPayment: code(b.methodCode, reason),
    enableMethodOfPayment: code(b.methodCode, reason),
    getOffice: code(b.officeCode),
    updateOffice: code(b.officeCode, { name: 'Taken', ...reason }),
    disableOffice: code(b.officeCode, reason),
    enableOffice: code(b.officeCode, reason),
    getFund: code(b.fundCode),
    updateFund: code(b.fundCode, { name: 'Taken', ...reason }),
    disableFund: code(b.fundCode, reason),
    enableFund: code(b.fundCode, reason),
    getFundGroup: code(b.fundGroupCode),
    updateFundGroup: code(b.fundGroupCode, { name: 'Taken', ...reason }),
    disableFundGroup: code(b.fundGroupCode, reason),
    enableFundGroup: code(b.fundGroupCode, reason),
    getReferenceValidator: code(b.checkCode),
    updateReferenceValidator: code(b.checkCode, { name: 'Taken', ...reason }),
    disableReferenceValidator: code(b.checkCode, reason),
    enableReferenceValidator: code(b.checkCode, reason),
    replaceAccountHolders: {
      params: { code: b.fundCode },
      body: 'reference,name,address,balance_pence,on_stop_message\n99990000,Taken,,,\n',
      contentType: 'text/csv',
    },
    listAccountHolders: { params: { code: b.fundCode } },
    getAccountHolder: { params: { code: b.fundCode, reference: b.holderReference } },
    createAccountHolder: {
      params: { code: b.fundCode },
      body: { reference: '87650002', surname: 'Taken' },
    },
    updateAccountHolder: {
      params: { code: b.fundCode, reference: b.holderReference },
      body: { town: 'Taken' },
    },
    listOnStopMessages: { params: { code: b.fundCode } },
    createOnStopMessage: { params: { code: b.fundCode }, body: { code: 'TAKEN', message: 'A' } },
    getJournalApproval: { params: { approvalId: b.approvalId } },
    approveJournal: { params: { approvalId: b.approvalId }, body: {} },
    rejectJournal: { params: { approvalId: b.approvalId }, body: reason },
    getImportRule: { params: { id: b.ruleId } },
    updateImportRule: { params: { id: b.ruleId }, body: { position: 20, ...reason } },
    disableImportRule: { params: { id: b.ruleId }, body: reason },
    enableImportRule: { params: { id: b.ruleId }, body: reason },
    getSuspenseItem: { params: { suspenseId: b.suspenseId } },
    allocateSuspenseItem: {
      params: { suspenseId: b.suspenseId },
      body: {
        parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 4_321 }],
        totalPence: 4_321,
      },
    },
    addSuspenseNote: { params: { suspenseId: b.suspenseId }, body: { text: 'council A was here' } },
    assignSuspenseItem: { params: { suspenseId: b.suspenseId }, body: { assignee: 'north.admin' } },
    requestSuspenseWriteOff: { params: { suspenseId: b.suspenseId }, body: reason },
    approveSuspenseWriteOff: { params: { suspenseId: b.suspenseId }, body: reason },
    rejectSuspenseWriteOff: { params: { suspenseId: b.suspenseId }, body: reason },
    getRefund: { params: { refundId: b.refundId } },
    approveRefund: { params: { refundId: b.refundId }, body: {} },
    rejectRefund: { params: { refundId: b.refundId }, body: reason },
    reverseJournal: { params: { journalId: b.journalId }, body: reason },
    // A date names a day of the caller's own council: A has closed and settled none.
    getClosedDay: { params: { date: closedDate } },
    getGlExport: { params: { date: closedDate } },
    getFundFeed: { params: { date: closedDate } },
    getSettlement: { params: { date: settledDate } },
    unmatchBank: { params: { id: b.matchId }, body: reason },
    annotateBankException: { params: { id: b.exceptionIds[0] ?? '' }, body: { note: 'A' } },
    getUser: { params: { userId: b.userId } },
    updateUser: { params: { userId: b.userId }, body: { displayName: 'Taken', disabled: true } },
    revokeApiKey: { params: { keyId: b.keyId } },
    getWebhookSubscription: { params: { id: b.subscriptionId } },
    updateWebhookSubscription: { params: { id: b.subscriptionId }, body: { description: 'A' } },
    disableWebhookSubscription: { params: { id: b.subscriptionId }, body: reason },
    enableWebhookSubscription: { params: { id: b.subscriptionId }, body: reason },
    rotateWebhookSecret: { params: { id: b.subscriptionId }, body: reason },
    testWebhookSubscription: { params: { id: b.subscriptionId }, body: {} },
    listWebhookSubscriptionDeliveries: { params: { id: b.subscriptionId } },
    getEmail: { params: { id: b.emailId } },
    redeliverWebhookSubscriptionDelivery: {
      params: { id: b.subscriptionId, deliveryId: b.deliveryId },
      body: reason,
    },
    redeliverWebhookDelivery: { params: { id: b.deliveryId }, body: reason },
    cancelWorkflow: { params: { workflowId: b.suspenseId }, body: reason },
    retryWorkflow: { params: { workflowId: b.suspenseId }, body: reason },
    putCashier: {
      params: { actorId: 'tester' },
      body: { officeCode: b.officeCode, methodOfPaymentCodes: ['CSH'] },
      status: 422,
      why: 'a cashier is named by a username of the caller’s own council; B’s office is unknown to A',
    },
    getCounterPayment: { params: { counterPaymentId: b.counterPaymentId } },
    voidCounterPayment: { params: { counterPaymentId: b.counterPaymentId }, body: reason },
    getCounterPaymentReceiptPdf: { params: { counterPaymentId: b.counterPaymentId } },
    getCashReturn: { params: { returnId: b.cashReturnId } },
    saveCashReturnCount: {
      params: { returnId: b.cashReturnId },
      body: { bags: [{ bagNo: 'B1', counts: { '500': 2 } }] },
    },
    noteCashReturn: { params: { returnId: b.cashReturnId }, body: { text: 'A' } },
    submitCashReturn: { params: { returnId: b.cashReturnId }, body: {} },
    approveCashReturn: { params: { returnId: b.cashReturnId }, body: {} },
    rejectCashReturn: { params: { returnId: b.cashReturnId }, body: reason },
    voidCashReturn: { params: { returnId: b.cashReturnId }, body: reason },
    offboardCouncil: {
      params: { councilId: councilB },
      status: 403,
      why: 'only the service provider offboards a council; no council key can hold that permission',
    },
  };
}

/**
 * Every API route without a path parameter that reads, with the query that shows B's own data
 * to B: A must see none of it. `mine`: B's own answer shows some of B's ids (so the search
 * means something).
 */
type ListCase = {
  query?: string;
  status?: number;
  mine?: boolean;
  /** For totals, which name no ids: A's answer counts nothing (A has posted nothing). */
  nothing?: (body: TestResponse['body']) => boolean;
};

function listCases(): Record<string, ListCase> {
  const day = businessDateOf(Date.now());
  return {
    getHealth: {},
    getMetrics: {},
    listPayments: { mine: true },
    listCashiers: { mine: true },
    listCounterPayments: { mine: true },
    listCashReturnTemplates: { mine: true },
    listCashReturns: { mine: true },
    listOverdueCashReturns: { mine: true },
    listImports: { mine: true },
    listImportProfiles: { mine: true },
    listLedgerAccounts: { mine: true },
    getTrialBalance: { nothing: (body) => body.debitPence === 0 && body.creditPence === 0 },
    getDailyTotals: { query: `from=2026-01-01&to=${day}` },
    searchTransactions: { query: 'limit=200', mine: true },
    exportTransactions: { mine: true },
    summariseTransactions: { nothing: (body) => body.count === 0 },
    searchAudit: { query: 'limit=200', mine: true },
    listVatCodes: { mine: true },
    listMethodsOfPayment: { mine: true },
    listOffices: { mine: true },
    listFunds: { mine: true },
    listFundGroups: { mine: true },
    listReferenceValidators: { mine: true },
    listPspCredentials: { mine: true },
    // The default council's key is the deployment's: B has no rows, A sees only its own.
    listCouncilPayloadKeys: {},
    getReferenceRoutes: {},
    listImportRules: { mine: true },
    listSuspenseItems: { query: 'limit=100', mine: true },
    searchAccountHolders: { query: 'q=bea%20only', mine: true },
    listJournals: { query: 'limit=200', mine: true },
    listJournalApprovals: { mine: true },
    listRefunds: { mine: true },
    getGlLayout: {},
    getBankMatchRules: {},
    listBankExceptions: { mine: true },
    dailyCashReport: { query: `date=${day}` },
    reconciliationStatusReport: { query: `date=${day}` },
    exceptionsByAgeReport: {
      nothing: (body) => body.buckets.every((bucket: { count: number }) => bucket.count === 0),
    },
    getCurrentPrincipal: {},
    listUsers: { mine: true },
    listApiKeys: { mine: true },
    listWebhookSubscriptions: { mine: true },
    listWebhookDeliveries: { mine: true },
    listEmails: { mine: true },
    listNotifyTemplates: { mine: true },
    listStuckWorkflows: {},
    listCouncils: { status: 403 },
    listCouncilWorkflows: { status: 403 },
    exportCouncil: { mine: true },
  };
}

const hasParams = (path: string) => path.includes(':');
const pageName = (page: { method: string; path: string }) =>
  `${page.method.toUpperCase()} ${page.path}`;

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_all, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}

describe('council A against council B', () => {
  it('holds B’s things, visible to B (so that A’s 404s mean something)', async () => {
    for (const path of [
      `/v1/payments/${b.paymentId}`,
      `/v1/refunds/${b.refundId}`,
      `/v1/suspense/${b.suspenseId}`,
      `/v1/imports/${b.importId}`,
      `/v1/ledger/journals/${b.journalId}`,
      `/v1/users/${b.userId}`,
      `/v1/close-of-day/${closedDate}`,
      `/v1/reconciliation/settlements/${settledDate}`,
      `/v1/funds/${b.fundCode}/account-holders/${b.holderReference}`,
      `/v1/offices/${b.officeCode}`,
    ]) {
      expect((await stack.request('GET', path)).status, path).toBe(200);
    }
    expect(b.importedSuspenseIds.length).toBeGreaterThan(0);
    const workflow = await stack.temporal.workflow.getHandle(b.suspenseId).describe();
    expect(workflow.status.name).toBe('RUNNING');
  });

  it('lists none of B’s ids on any list route', async () => {
    const routes = routeTable(stack.api).filter(
      (route) => route.method === 'get' && !hasParams(route.path),
    );
    const cases = listCases();
    expect(routes.map((route) => route.operationId).sort()).toEqual(Object.keys(cases).sort());
    const problems: string[] = [];
    for (const route of routes) {
      const { query, status = 200, mine = false, nothing } = cases[route.operationId] ?? {};
      const path = query === undefined ? route.path : `${route.path}?${query}`;
      const theirs = await request(stack.baseUrl, 'GET', path, undefined, asA);
      if (theirs.status !== status) problems.push(`${path}: ${theirs.status} ${theirs.text}`);
      if (nothing !== undefined) {
        if (!nothing(theirs.body)) problems.push(`${path} counts something for A: ${theirs.text}`);
        if (nothing((await stack.request('GET', path)).body))
          problems.push(`${path} counts nothing for B either`);
      }
      const leaked = leakedIn(theirs.text, '');
      if (leaked.length > 0) problems.push(`${path} shows A: ${leaked.join(', ')}`);
      if (mine) {
        const own = await stack.request('GET', path);
        if (leakedIn(own.text, '').length === 0) problems.push(`${path} shows B none of B's ids`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers 404 on every API route named with B’s ids, and changes nothing of B’s', async () => {
    const routes = routeTable(stack.api).filter((route) => hasParams(route.path));
    const cases = apiCases();
    expect(routes.map((route) => route.operationId).sort()).toEqual(Object.keys(cases).sort());
    const problems: string[] = [];
    const walk = async (route: AnyRoute) => {
      const spec = cases[route.operationId] as Case;
      const filled = fill(route.path, spec.params);
      const path = spec.query === undefined ? filled : `${filled}?${spec.query}`;
      const method = route.method.toUpperCase();
      const expected = spec.status ?? 404;
      const before = route.method === 'get' ? undefined : await stateOfB();
      const headers = spec.contentType ? { ...asA, 'content-type': spec.contentType } : asA;
      const response = await request(stack.baseUrl, method, path, spec.body, headers);
      const name = `${route.operationId} ${method} ${path}`;
      if (response.status !== expected)
        problems.push(`${name}: ${response.status}, not ${expected}: ${response.text}`);
      const leaked = leakedIn(response.text, path);
      if (leaked.length > 0) problems.push(`${name} shows A: ${leaked.join(', ')}`);
      if (before !== undefined) {
        const touched = changed(before, await stateOfB());
        if (touched.length > 0) problems.push(`${name} changed B's ${touched.join(', ')}`);
      }
    };
    for (const route of routes) await walk(route);
    expect(problems).toEqual([]);
    const councils = await stack.database.sql`select id from councils where id = ${councilB}`;
    expect(councils).toHaveLength(1);
  });

  it('finds none of B’s things by an id in the query', async () => {
    const problems: string[] = [];
    for (const path of [
      `/v1/payments?idempotencyKey=${encodeURIComponent(`web:${b.formId}`)}`,
      `/v1/audit?entityId=${b.paymentId}`,
      `/v1/audit?entityType=office&entityId=${b.officeCode}`,
      `/v1/suspense?limit=100&importId=${b.importId}`,
      `/v1/refunds?sourceId=${b.paymentId}`,
    ]) {
      const response = await request(stack.baseUrl, 'GET', path, undefined, asA);
      if (response.status !== 200) problems.push(`${path}: ${response.status} ${response.text}`);
      const leaked = leakedIn(response.text, path);
      if (leaked.length > 0) problems.push(`${path} shows A: ${leaked.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses B’s ids given in a body: a refund, a move, a manual bank match', async () => {
    const before = await stateOfB();
    const attempts: [string, string, unknown][] = [
      ['POST', '/v1/refunds', { paymentId: b.paymentId, amountPence: 100, reason: 'A tries' }],
      [
        'POST',
        '/v1/journals/move',
        {
          source: { type: 'payment', id: b.paymentId },
          from: { fundCode: 'CTAX', reference: '123456780' },
          to: { fundCode: 'PCN', reference: 'BJ12345673' },
          amountPence: 100,
          reason: 'A tries',
        },
      ],
      [
        'POST',
        '/v1/reconciliation/bank/matches',
        {
          statementLineIds: b.statementLineIds.slice(2),
          expectedItemIds: ['psp_payout:2026-01-05'],
          note: 'A tries',
        },
      ],
    ];
    const problems: string[] = [];
    for (const [method, path, body] of attempts) {
      const response = await request(stack.baseUrl, method, path, body, asA);
      if (response.status !== 404 && response.status !== 422)
        problems.push(`${method} ${path}: ${response.status} ${response.text}`);
      const leaked = leakedIn(response.text, JSON.stringify(body));
      if (leaked.length > 0) problems.push(`${method} ${path} shows A: ${leaked.join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(changed(before, await stateOfB())).toEqual([]);
  });
});

/**
 * A's signed-in browser: HTML, forms with the session's CSRF token and a one-time token as a
 * freshly drawn form has, redirects not followed.
 */
async function screenAsA(method: string, path: string, form: Record<string, string> = {}) {
  const headers: Record<string, string> = { accept: 'text/html', cookie: sessionA.cookie };
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ _csrf: sessionA.csrf, _form: randomUUID(), ...form }).toString();
  }
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    body,
    redirect: 'manual',
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    text: await response.text(),
  };
}

type ScreenCase = {
  params: Record<string, string>;
  form?: Record<string, string>;
  /** 404 unless said otherwise (with why). */
  status?: number;
  location?: string;
  why?: string;
};

/** Every screen with a path parameter, with a form B could post successfully. */
function screenCases(): Record<string, ScreenCase> {
  const reason = { reason: 'council A tries' };
  const toggle = { toggleReason: 'council A tries' };
  const entity = (base: string, key: string): Record<string, ScreenCase> => ({
    [`GET /configuration/${base}/:key`]: { params: { key } },
    [`POST /configuration/${base}/:key`]: { params: { key }, form: { name: 'Taken', ...reason } },
    [`POST /configuration/${base}/:key/disable`]: { params: { key }, form: toggle },
    [`POST /configuration/${base}/:key/enable`]: { params: { key }, form: toggle },
  });
  const suspense = { suspenseId: b.suspenseId };
  const refund = { refundId: b.refundId };
  const user = { userId: b.userId };
  const workflow = { workflowId: b.suspenseId };
  const counterPayment = { counterPaymentId: b.counterPaymentId };
  const cashReturn = { returnId: b.cashReturnId };
  return {
    'GET /payments/returned/:formId': {
      params: { formId: b.formId },
      status: 303,
      location: '/payments',
      why: 'coming back from the payment page with a form id of no payment of ours goes to the list, as for any unknown form id',
    },
    'GET /payments/:paymentId/pay': { params: { paymentId: b.paymentId } },
    'GET /payments/:paymentId/returned': { params: { paymentId: b.paymentId } },
    'GET /payments/:paymentId': { params: { paymentId: b.paymentId } },
    'GET /transactions/:journalId/:lineNo': { params: { journalId: b.journalId, lineNo: '1' } },
    'GET /imports/profiles/:profileId': { params: { profileId: b.profileId } },
    'POST /imports/profiles/:profileId': {
      params: { profileId: b.profileId },
      form: { name: 'Taken' },
    },
    'GET /refunds/:refundId': { params: refund },
    'POST /refunds/:refundId/approve': { params: refund, form: {} },
    'POST /refunds/:refundId/reject': { params: refund, form: reason },
    'GET /cash-desk/payments/:counterPaymentId': { params: counterPayment },
    'POST /cash-desk/payments/:counterPaymentId/void': { params: counterPayment, form: reason },
    'GET /cash-returns/:returnId': { params: cashReturn },
    'POST /cash-returns/:returnId/count': {
      params: cashReturn,
      form: { bag0No: 'B1', c0_500: '2' },
    },
    'POST /cash-returns/:returnId/submit': { params: cashReturn, form: {} },
    'POST /cash-returns/:returnId/notes': { params: cashReturn, form: { note: 'A was here' } },
    'POST /cash-returns/:returnId/void': { params: cashReturn, form: reason },
    'POST /cash-returns/:returnId/approve': { params: cashReturn, form: {} },
    'POST /cash-returns/:returnId/reject': { params: cashReturn, form: reason },
    'GET /suspense/:suspenseId': { params: suspense },
    'POST /suspense/:suspenseId/allocate': {
      params: suspense,
      form: {
        'fundCode-0': 'CTAX',
        'reference-0': '123456780',
        'amount-0': '43.21',
        total: '43.21',
      },
    },
    'POST /suspense/:suspenseId/notes': { params: suspense, form: { noteText: 'A was here' } },
    'POST /suspense/:suspenseId/assign': { params: suspense, form: { assignee: 'north.admin' } },
    'POST /suspense/:suspenseId/write-off': { params: suspense, form: { writeOffReason: 'A' } },
    'POST /suspense/:suspenseId/write-off/approve': { params: suspense, form: {} },
    'POST /suspense/:suspenseId/write-off/reject': {
      params: suspense,
      form: { rejectWriteOffReason: 'A' },
    },
    'GET /journals/:journalId': { params: { journalId: b.journalId } },
    'POST /journals/:journalId/reverse': { params: { journalId: b.journalId }, form: reason },
    'GET /journals/approvals/:approvalId': { params: { approvalId: b.approvalId } },
    'POST /journals/approvals/:approvalId/approve': {
      params: { approvalId: b.approvalId },
      form: {},
    },
    'POST /journals/approvals/:approvalId/reject': {
      params: { approvalId: b.approvalId },
      form: { rejectReason: 'A' },
    },
    'GET /account-holders/:fundCode/:reference': {
      params: { fundCode: b.fundCode, reference: b.holderReference },
    },
    'POST /account-holders/:fundCode/:reference': {
      params: { fundCode: b.fundCode, reference: b.holderReference },
      form: { surname: 'Taken' },
    },
    'POST /account-holders/:fundCode/:reference/stop': {
      params: { fundCode: b.fundCode, reference: b.holderReference },
      form: { stopMessage: 'Taken' },
    },
    'GET /imports/:importId': { params: { importId: b.importId } },
    'GET /imports/:importId/reverse': { params: { importId: b.importId } },
    'POST /imports/:importId/reverse': { params: { importId: b.importId }, form: reason },
    'GET /reconciliation/exceptions/:exceptionId/note': {
      params: { exceptionId: b.exceptionIds[0] ?? '' },
    },
    'POST /reconciliation/exceptions/:exceptionId/note': {
      params: { exceptionId: b.exceptionIds[0] ?? '' },
      form: { note: 'A was here' },
    },
    // A date names a day of the caller's own council, not B's: A sees and closes its own day.
    'GET /close-of-day/:date/close': {
      params: { date: closedDate },
      status: 200,
      why: 'the day is A’s own (not closed); the page shows A’s totals, none of B’s',
    },
    'POST /close-of-day/:date/close': {
      params: { date: closedDate },
      form: reason,
      status: 303,
      location: '/close-of-day?notice=closed',
      why: 'A closes its own day of that date; B’s closed day is untouched',
    },
    'GET /configuration/users/:userId': { params: user },
    'POST /configuration/users/:userId': {
      params: user,
      form: { displayName: 'Taken', permissions: 'view', ...reason },
    },
    'GET /configuration/users/:userId/password': { params: user },
    'POST /configuration/users/:userId/password': {
      params: user,
      form: { password: 'a password council A chose', ...reason },
    },
    'POST /configuration/users/:userId/disable': { params: user, form: toggle },
    'POST /configuration/users/:userId/enable': { params: user, form: toggle },
    'GET /configuration/api-keys/:keyId/revoke': { params: { keyId: b.keyId } },
    'POST /configuration/api-keys/:keyId/revoke': { params: { keyId: b.keyId }, form: reason },
    ...entity('funds', b.fundCode),
    ...entity('fund-groups', b.fundGroupCode),
    ...entity('reference-checks', b.checkCode),
    ...entity('methods-of-payment', b.methodCode),
    ...entity('vat-codes', b.vatCode),
    ...entity('offices', b.officeCode),
    ...entity('import-rules', b.ruleId),
    'GET /operations/workflows/:workflowId/cancel': { params: workflow },
    'POST /operations/workflows/:workflowId/cancel': { params: workflow, form: reason },
    'GET /operations/workflows/:workflowId/retry': { params: workflow },
    'POST /operations/workflows/:workflowId/retry': { params: workflow, form: reason },
    'GET /configuration/webhooks/:id': { params: { id: b.subscriptionId } },
    'GET /configuration/webhooks/:id/edit': { params: { id: b.subscriptionId } },
    'POST /configuration/webhooks/:id/edit': {
      params: { id: b.subscriptionId },
      form: { url: 'https://a.example/hook', events: 'payment.allocated', description: 'A' },
    },
    'POST /configuration/webhooks/:id/disable': { params: { id: b.subscriptionId }, form: {} },
    'POST /configuration/webhooks/:id/enable': { params: { id: b.subscriptionId }, form: {} },
    'POST /configuration/webhooks/:id/test': { params: { id: b.subscriptionId }, form: {} },
    'POST /configuration/webhooks/:id/rotate-secret': {
      params: { id: b.subscriptionId },
      form: {},
    },
    'POST /configuration/webhooks/:id/deliveries/:deliveryId/redeliver': {
      params: { id: b.subscriptionId, deliveryId: b.deliveryId },
      form: {},
    },
    'POST /operations/webhook-deliveries/:id/redeliver': {
      params: { id: b.deliveryId },
      form: {},
    },
  };
}

describe('council A’s screens against council B', () => {
  it('shows none of B’s ids on any screen without a path parameter', async () => {
    const pages = webPages(stack.api).filter(
      (page) => page.method === 'get' && !hasParams(page.path),
    );
    expect(pages.length).toBeGreaterThan(20);
    const problems: string[] = [];
    // Without ?paymentId= or ?suspenseId=, the refund form has nothing to refund: not found.
    // Someone signed in is sent on from the sign-in page.
    const expected: Record<string, number> = { '/refunds/new': 404, '/sign-in': 303 };
    for (const page of pages) {
      const response = await screenAsA('GET', page.path);
      if (response.status !== (expected[page.path] ?? 200))
        problems.push(`${pageName(page)}: ${response.status}`);
      const leaked = leakedIn(response.text, '');
      if (leaked.length > 0) problems.push(`${pageName(page)} shows A: ${leaked.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('answers 404 on every screen named with B’s ids, and changes nothing of B’s', async () => {
    const pages = webPages(stack.api).filter((page) => hasParams(page.path));
    const cases = screenCases();
    expect(pages.map(pageName).sort()).toEqual(Object.keys(cases).sort());
    const problems: string[] = [];
    const walk = async (page: Page) => {
      const spec = cases[pageName(page)] as ScreenCase;
      const path = fill(page.path, spec.params);
      const method = page.method.toUpperCase();
      const expected = spec.status ?? 404;
      const before = page.method === 'get' ? undefined : await stateOfB();
      const response = await screenAsA(method, path, spec.form);
      const name = `${method} ${path}`;
      if (response.status !== expected)
        problems.push(`${name}: ${response.status}, not ${expected} ${response.location ?? ''}`);
      if (spec.location !== undefined && response.location !== spec.location)
        problems.push(`${name}: to ${response.location}, not ${spec.location}`);
      const leaked = leakedIn(response.text, path);
      if (leaked.length > 0) problems.push(`${name} shows A: ${leaked.join(', ')}`);
      if (before !== undefined) {
        const touched = changed(before, await stateOfB());
        if (touched.length > 0) problems.push(`${name} changed B's ${touched.join(', ')}`);
      }
    };
    for (const page of pages) await walk(page);
    expect(problems).toEqual([]);
  });

  it('answers 404 on the refund form addressed with B’s payment or suspense item', async () => {
    const before = await stateOfB();
    const problems: string[] = [];
    for (const query of [`paymentId=${b.paymentId}`, `suspenseId=${b.suspenseId}`]) {
      const response = await screenAsA('GET', `/refunds/new?${query}`);
      if (response.status !== 404) problems.push(`GET /refunds/new?${query}: ${response.status}`);
    }
    const posted = await screenAsA('POST', '/refunds/new', {
      paymentId: b.paymentId,
      amount: '1.00',
      reason: 'A tries',
    });
    if (posted.status !== 404) problems.push(`POST /refunds/new: ${posted.status}`);
    expect(problems).toEqual([]);
    expect(changed(before, await stateOfB())).toEqual([]);
  });

  it('refuses B’s match given in the unmatch form', async () => {
    const before = await stateOfB();
    const response = await screenAsA('POST', '/reconciliation/unmatch', {
      matchId: b.matchId,
      reason: 'A tries',
    });
    expect(response.status).not.toBe(303);
    expect(response.text).toContain(`There is no match ${b.matchId}`);
    expect(changed(before, await stateOfB())).toEqual([]);
  });
});

describe('the check of B’s state', () => {
  it('sees a change B makes itself, so an unchanged state means nothing was written', async () => {
    const before = await stateOfB();
    await asB('PATCH', `/v1/offices/${b.officeCode}`, { name: 'Renamed by B' }, 200);
    expect(changed(before, await stateOfB())).toEqual(expect.arrayContaining(['offices']));
  });
});

// Proves the finance and operations screens on the real stack, used as a browser without
// JavaScript would: uploading an income file (multipart, straight to the API's upload route),
// following it, its line-numbered errors and reversing it with a reason; bank reconciliation
// (run matching, match by hand, undo, annotate, errors on the fields); closing a day after a
// confirmation and downloading its files; and the operations screen retrying and cancelling a
// stuck workflow. Each screen refuses a person without its permission.
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/auth/passwords';
import { createUser } from '../../db/identity';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { generateCollectionFile } from '../../domain/imports';
import { useTestStack } from '../harness/stack';
import { createMt940Profile, mt940Statement, uploadFile, waitForImport } from './fullDayHelpers';
import { errorSummary, h1Of, hrefOf, inlineError, textOf, webClient } from './webHelpers';

// No PSP: a payment's PSP call fails on every attempt, which makes a stuck workflow to look at.
const stack = useTestStack();
const page = webClient(stack);

const collectionFile = (rows: number, seed: number) =>
  [
    ...generateCollectionFile({
      rows,
      unidentifiableRatio: 0.05,
      seed,
      transactionDate: '2026-11-21',
    }),
  ].join('');

/** Posts the upload form as a browser does: multipart, redirects not followed. */
async function uploadOnScreen(
  fields: Record<string, string>,
  file?: { content: string; name: string },
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file !== undefined) form.append('file', new Blob([file.content]), file.name);
  const response = await fetch(`${stack.baseUrl}/imports/new?_csrf=`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { Accept: 'text/html', ...(await stack.authHeaders()) },
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let viewer: Record<string, string>;
let stuckPaymentId = '';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  viewer = await stack.keyFor('viewer', ['view']);
  const payment = await stack.request('POST', '/v1/payments', {
    lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1_500 }],
    description: 'Council tax',
    returnUrl: 'https://council.example/paid',
  });
  stuckPaymentId = payment.body.paymentId;
}, 30_000);

describe('imports screens', () => {
  let importId = '';

  it('lists imports and offers the upload only to those who may import', async () => {
    const list = await page('GET', '/imports');
    expect(list.status).toBe(200);
    expect(h1Of(list.html)).toBe('Imports');
    expect(hrefOf(list.html, 'upload-file')).toBe('/imports/new');
    const asViewer = await page('GET', '/imports', { headers: viewer });
    expect(asViewer.status).toBe(200);
    expect(hrefOf(asViewer.html, 'upload-file')).toBeNull();
    expect((await page('GET', '/imports/new', { headers: viewer })).status).toBe(403);
  });

  it('uploads a file through the form, then shows its progress and totals', async () => {
    const form = await page('GET', '/imports/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain('enctype="multipart/form-data"');
    expect(form.html).toContain('value="post-office"');
    const posted = await uploadOnScreen(
      { profileId: 'post-office' },
      { content: collectionFile(40, 11), name: 'po-screen.txt' },
    );
    expect(posted.status).toBe(303);
    importId =
      /^\/imports\/(imp_[0-9a-z]{20})\?notice=uploaded$/.exec(posted.location ?? '')?.[1] ?? '';
    expect(importId).not.toBe('');
    const shown = await page('GET', posted.location ?? '');
    expect(shown.status).toBe(200);
    expect(h1Of(shown.html)).toBe('po-screen.txt');
    expect(textOf(shown.html)).toContain('The file has been uploaded and is being imported.');

    await waitForImport(stack, importId);
    const done = await page('GET', `/imports/${importId}`);
    expect(textOf(done.html)).toMatch(/State: Completed/);
    expect(done.html).not.toContain('id="refresh"');
    expect(hrefOf(done.html, 'reverse-import')).toBe(`/imports/${importId}/reverse`);
    const list = await page('GET', '/imports');
    expect(list.html).toContain(`href="/imports/${importId}"`);
  });

  it('names the field when the upload is refused: no file, a duplicate', async () => {
    const noFile = await uploadOnScreen({ profileId: 'post-office' });
    expect(noFile.status).toBe(400);
    expect(errorSummary(noFile.html)).toEqual([{ href: '#file', text: 'File is required' }]);
    const again = await uploadOnScreen(
      { profileId: 'post-office' },
      { content: collectionFile(40, 11), name: 'again.txt' },
    );
    expect(again.status).toBe(409);
    expect(errorSummary(again.html)[0]?.href).toBe('#file');
    expect(inlineError(again.html, 'file')).toMatch(/^Same content as import imp_/);
  });

  it('shows a refused file’s errors with their line numbers', async () => {
    const lines = collectionFile(30, 12).split('\n');
    const trailer = lines.findIndex((line) => line.startsWith('T'));
    lines[trailer] = `T${'000000029'}${lines[trailer]?.slice(10)}`;
    const uploaded = await uploadFile(stack, lines.join('\n'), 'post-office', 'broken.txt');
    await waitForImport(stack, uploaded.body.importId);
    const shown = await page('GET', `/imports/${uploaded.body.importId}`);
    expect(textOf(shown.html)).toMatch(/State: Refused/);
    expect(shown.html).toContain('id="import-errors"');
    expect(textOf(shown.html)).toContain(`${trailer + 1} `);
    expect(hrefOf(shown.html, 'reverse-import')).toBeNull();
    expect((await page('GET', '/imports/imp_nonsense')).status).toBe(404);
  });

  it('reverses an import only with a reason', async () => {
    const form = await page('GET', `/imports/${importId}/reverse`);
    expect(form.status).toBe(200);
    const blank = await page('POST', `/imports/${importId}/reverse`, { form: { reason: ' ' } });
    expect(blank.status).toBe(400);
    expect(errorSummary(blank.html)).toEqual([
      { href: '#reason', text: 'Enter why the import is being reversed' },
    ]);
    const done = await page('POST', `/imports/${importId}/reverse`, {
      form: { reason: 'Sent twice by the Post Office' },
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/imports/${importId}?notice=reversed`);
    const again = await page('POST', `/imports/${importId}/reverse`, { form: { reason: 'again' } });
    expect(again.status).toBe(409);
    expect(errorSummary(again.html)[0]?.text).toBe('This import cannot be reversed');
  });
});

describe('uploading as a person signed in with a password', () => {
  // A multipart body is streamed to the API's upload route, not parsed before it, so the form
  // carries its CSRF token in the action's query string. Fails (403) until requireCsrf in
  // api/auth/authenticate.ts reads `_csrf` from a multipart request's query: then make it `it`.
  it('sends the session’s CSRF token in the form action', async () => {
    const password = 'correct horse battery staple';
    await createUser(
      stack.database.db,
      {
        username: 'importer',
        displayName: 'Ira Importer',
        passwordHash: await hashPassword(password),
        permissions: ['view', 'import'],
        fundGroups: null,
      },
      { actor: 'system:test' },
    );
    const signedIn = await page('POST', '/sign-in', {
      headers: { Authorization: '', Origin: stack.baseUrl },
      form: { username: 'importer', password, next: '/imports/new' },
    });
    const cookie = signedIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const form = await page('GET', '/imports/new', {
      headers: { Authorization: '', Cookie: cookie },
    });
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(
      form.html,
    )?.[1];
    expect(action).toMatch(/^\/imports\/new\?_csrf=[^&]+&amp;_form=[0-9a-f-]{36}$/);
    const body = new FormData();
    body.append('profileId', 'post-office');
    body.append('file', new Blob([collectionFile(5, 99)]), 'session.txt');
    const posted = await fetch(`${stack.baseUrl}${action?.replace(/&amp;/g, '&')}`, {
      method: 'POST',
      body,
      redirect: 'manual',
      headers: { Accept: 'text/html', Cookie: cookie },
    });
    expect(posted.status).toBe(303);
  });
});

describe('reconciliation screens', () => {
  beforeAll(async () => {
    await createMt940Profile(stack);
    await stack.database.sql`
      insert into psp_settlements (settled_date, payment_count, gross_pence, fee_pence,
                                   refund_pence, expected_payout_pence, differences)
      values ('2026-01-05', 1, 5000, 75, 0, 4925, '[]'::jsonb)`;
    const statement = mt940Statement([
      { date: '2026-02-20', amountPence: 4_925, reference: 'LATE PAYOUT' },
    ]);
    const uploaded = await uploadFile(stack, statement, 'bank-mt940', 'feb.mt940');
    await waitForImport(stack, uploaded.body.importId);
  });

  it('runs matching and lists what stays open, with its age', async () => {
    const ran = await page('POST', '/reconciliation/run', { form: {} });
    expect(ran.status).toBe(303);
    expect(ran.location).toMatch(/^\/reconciliation\?notice=ran&made=\d+$/);
    const list = await page('GET', ran.location ?? '');
    expect(list.status).toBe(200);
    expect(textOf(list.html)).toContain('Matching has run.');
    expect(list.html).toContain('psp_payout:2026-01-05'); // the checkbox's value
    // In words, with amounts: what was expected and what the bank shows.
    const text = textOf(list.html);
    expect(text).toContain('Card payments payout for 5 January 2026, £49.25');
    expect(text).toContain('£49.25 not received');
    expect(text).toContain('£49.25 on 20 February 2026, LATEPAYOUT');
    expect(list.html).toContain('id="statementLineIds"');
    const api = await stack.request('GET', '/v1/reconciliation/bank/exceptions');
    const expected = api.body.exceptions.find(
      (row: { expectedItemId: string | null }) => row.expectedItemId === 'psp_payout:2026-01-05',
    );
    expect(expected.expectedItem).toEqual({
      description: 'Card payments payout for 5 January 2026',
      amountPence: 4_925,
      expectedDate: '2026-01-05',
    });
    const asViewer = await page('GET', '/reconciliation', { headers: viewer });
    expect(asViewer.status).toBe(200);
    expect(asViewer.html).not.toContain('id="match-form"');
  });

  it('matches by hand, naming what is missing, then undoes the match with a reason', async () => {
    const empty = await page('POST', '/reconciliation/matches', { form: {} });
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.html).map((error) => error.href)).toEqual([
      '#statementLineIds',
      '#expectedItemIds',
      '#note',
    ]);
    const open = await stack.request('GET', '/v1/reconciliation/bank/exceptions');
    const lineId = open.body.exceptions.find(
      (row: { statementLineId: string | null }) => row.statementLineId,
    )?.statementLineId as string;
    const form = new URLSearchParams({
      statementLineIds: lineId,
      expectedItemIds: 'psp_payout:2026-01-05',
      note: 'Payout arrived late; remittance checked',
    });
    const matched = await fetch(`${stack.baseUrl}/reconciliation/matches`, {
      method: 'POST',
      body: form.toString(),
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        Accept: 'text/html',
        ...(await stack.authHeaders()),
      },
    });
    expect(matched.status).toBe(303);
    const location = matched.headers.get('location') ?? '';
    const matchId = /match=(bkm_[0-9a-z]{20})/.exec(location)?.[1] ?? '';
    expect(matchId).not.toBe('');
    const shown = await page('GET', location);
    expect(textOf(shown.html)).toContain(`Match reference: ${matchId}`);

    const noReason = await page('POST', '/reconciliation/unmatch', {
      form: { matchId, reason: '' },
    });
    expect(noReason.status).toBe(400);
    expect(errorSummary(noReason.html)).toEqual([
      { href: '#reason', text: 'Enter why the match is being undone' },
    ]);
    const unknown = await page('POST', '/reconciliation/unmatch', {
      form: { matchId: 'bkm_nosuch', reason: 'x' },
    });
    expect(unknown.status).toBe(404);
    expect(errorSummary(unknown.html)).toEqual([
      { href: '#matchId', text: 'There is no match bkm_nosuch' },
    ]);
    const undone = await page('POST', '/reconciliation/unmatch', {
      form: { matchId, reason: 'Wrong payout' },
    });
    expect(undone.status).toBe(303);
    expect(undone.location).toBe('/reconciliation?notice=unmatched');
  });

  it('writes a note on an exception', async () => {
    await page('POST', '/reconciliation/run', { form: {} });
    const open = await stack.request('GET', '/v1/reconciliation/bank/exceptions');
    const exceptionId = open.body.exceptions[0].id as string;
    const form = await page('GET', `/reconciliation/exceptions/${exceptionId}/note`);
    expect(form.status).toBe(200);
    const blank = await page('POST', `/reconciliation/exceptions/${exceptionId}/note`, {
      form: { note: '' },
    });
    expect(errorSummary(blank.html)).toEqual([{ href: '#note', text: 'Enter a note' }]);
    const saved = await page('POST', `/reconciliation/exceptions/${exceptionId}/note`, {
      form: { note: 'Asked the bank for the remittance' },
    });
    expect(saved.status).toBe(303);
    const list = await page('GET', '/reconciliation');
    expect(textOf(list.html)).toContain('Asked the bank for the remittance');
    expect((await page('GET', '/reconciliation/exceptions/bkx_nosuch/note')).status).toBe(404);
    expect((await page('POST', '/reconciliation/run', { form: {}, headers: viewer })).status).toBe(
      403,
    );
  });
});

describe('close of day screens', () => {
  const today = businessDateOf(Date.now());
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);

  it('lists recent days, and closes one after a confirmation page', async () => {
    const list = await page('GET', '/close-of-day');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`href="/close-of-day/${yesterday}/close"`);
    expect(list.html).not.toContain(`href="/close-of-day/${today}/close"`);

    const confirm = await page('GET', `/close-of-day/${yesterday}/close`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('id="confirm-close"');
    const closed = await page('POST', `/close-of-day/${yesterday}/close`, {
      form: { reason: 'Closing by hand for the auditors' },
    });
    expect(closed.status).toBe(303);
    expect(closed.location).toBe('/close-of-day?notice=closed');

    const after = await page('GET', closed.location ?? '');
    expect(textOf(after.html)).toContain('The day has been closed.');
    expect(after.html).toContain(`href="/v1/close-of-day/${yesterday}/gl-export.csv"`);
    const csv = await stack.request('GET', `/v1/close-of-day/${yesterday}/fund-feed.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('says why a day cannot be closed: already closed, not ended', async () => {
    const again = await page('POST', `/close-of-day/${yesterday}/close`, { form: {} });
    expect(again.status).toBe(409);
    expect(errorSummary(again.html)[0]?.text).toBe(`Business day ${yesterday} is already closed`);
    const early = await page('POST', `/close-of-day/${today}/close`, { form: {} });
    expect(early.status).toBe(422);
    expect(errorSummary(early.html)[0]?.text).toBe(`Business day ${today} has not ended yet`);
    expect((await page('GET', '/close-of-day/2026-02-30/close')).status).toBe(404);
    expect((await page('GET', '/close-of-day', { headers: viewer })).status).toBe(200);
    expect(
      (await page('GET', `/close-of-day/${yesterday}/close`, { headers: viewer })).status,
    ).toBe(403);
  });
});

describe('operations screens', () => {
  it('lists the stuck payment with its failing step and a link to the Temporal Web UI', async () => {
    const list = await until(
      () => page('GET', '/operations'),
      (shown) => shown.html.includes(stuckPaymentId) && /attempt [3-9]/.test(shown.html),
    );
    expect(list.status).toBe(200);
    expect(textOf(list.html)).toContain('Needs attention');
    expect(list.html).toMatch(new RegExp(`href="https?://[^"]+/workflows/${stuckPaymentId}"`));
    expect(list.html).toContain(`href="/operations/workflows/${stuckPaymentId}/cancel"`);
    expect((await page('GET', '/operations', { headers: viewer })).status).toBe(403);
  });

  it('retries, then cancels, each only with a reason', async () => {
    const form = await page('GET', `/operations/workflows/${stuckPaymentId}/retry`);
    expect(form.status).toBe(200);
    const blank = await page('POST', `/operations/workflows/${stuckPaymentId}/retry`, {
      form: { reason: '' },
    });
    expect(blank.status).toBe(400);
    expect(errorSummary(blank.html)).toEqual([
      { href: '#reason', text: 'Enter why the workflow is being retried' },
    ]);
    const retried = await page('POST', `/operations/workflows/${stuckPaymentId}/retry`, {
      form: { reason: 'PSP back up' },
    });
    expect(retried.status).toBe(303);
    expect(retried.location).toBe('/operations?notice=retried');

    expect((await page('GET', `/operations/workflows/${stuckPaymentId}/cancel`)).status).toBe(200);
    const cancelled = await page('POST', `/operations/workflows/${stuckPaymentId}/cancel`, {
      form: { reason: 'Taken by phone instead' },
      as: 'ops-carol',
    });
    expect(cancelled.status).toBe(303);
    const audit = await stack.request(
      'GET',
      `/v1/audit?entityType=workflow&entityId=${stuckPaymentId}`,
    );
    expect(audit.body.items.map((row: { action: string }) => row.action)).toEqual([
      'workflow.cancel',
      'workflow.reset',
    ]);
    expect(audit.body.items[0]).toMatchObject({
      actor: 'ops-carol',
      reason: 'Taken by phone instead',
    });

    const late = await page('POST', `/operations/workflows/${stuckPaymentId}/cancel`, {
      form: { reason: 'again' },
    });
    expect(late.status).toBe(409);
    expect(errorSummary(late.html)[0]?.text).toMatch(/already requested|is not running/);
  });
});

// Proves close of day on the real stack: the GL export balances to the penny and equals the
// day's trial balance, the stored files are byte-identical to a regeneration, a day closes once
// (409) and only after it has ended (422), the database then refuses journals dated to it while
// manual journals dated to it go to the next open day (the intended date noted), the GL layout
// is audited configuration that closed days do not follow (their files stay byte-identical),
// and ensureSchedules creates (then updates) the nightly Europe/London schedules.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextOpenBusinessDate } from '../../db/closeOfDay';
import { produceCloseFiles } from '../../db/glExport';
import { postJournal } from '../../db/ledger';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { newId } from '../../domain/ids';
import {
  bankMatchingScheduleId,
  closeOfDayScheduleId,
  ensureSchedules,
  outboxSweepScheduleId,
  settlementScheduleId,
} from '../../platform/schedules';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();
const day = '2026-01-15';
const actor = { 'X-Actor': 'finance.lead' };

function journal(postingDate: string, lines: Parameters<typeof postJournal>[1]['lines']) {
  return postJournal(stack.database.db, {
    idempotencyKey: newId('journal'),
    kind: 'payment',
    description: 'card payment',
    postingDate,
    causedBy: 'test',
    lines,
  });
}

/** "123.45" → 12345 without floating point. */
const penceOf = (pounds: string) => {
  const [whole, fraction] = pounds.replace('-', '').split('.') as [string, string];
  return (pounds.startsWith('-') ? -1 : 1) * (Number(whole) * 100 + Number(fraction));
};

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  await journal(day, [
    { accountCode: 'CTRL:PSP_CLEARING', debitPence: 19_345, creditPence: 0 },
    {
      accountCode: 'FUND:CTAX',
      debitPence: 0,
      creditPence: 12_345,
      accountReference: '123456780',
      vatCode: 'O',
    },
    {
      accountCode: 'FUND:PCN',
      debitPence: 0,
      creditPence: 7_000,
      accountReference: 'BJ12345673',
      vatCode: 'O',
    },
    { accountCode: 'CTRL:PSP_FEES', debitPence: 290, creditPence: 0 },
    { accountCode: 'CTRL:PSP_CLEARING', debitPence: 0, creditPence: 290 },
  ]);
  await journal(day, [
    { accountCode: 'CTRL:PSP_CLEARING', debitPence: 1, creditPence: 0 },
    {
      accountCode: 'FUND:CTAX',
      debitPence: 0,
      creditPence: 1,
      accountReference: '999999999',
      vatCode: 'O',
    },
  ]);
  // The next day's income must not leak into this day's files.
  await journal('2026-01-16', [
    { accountCode: 'CTRL:PSP_CLEARING', debitPence: 5_000, creditPence: 0 },
    {
      accountCode: 'FUND:CTAX',
      debitPence: 0,
      creditPence: 5_000,
      accountReference: '123456780',
      vatCode: 'O',
    },
  ]);
});

describe('closing a day', () => {
  it('stores a balanced GL export equal to the day’s trial balance, and a fund feed', async () => {
    const closed = await stack.request(
      'POST',
      '/v1/close-of-day',
      { date: day, reason: 'month end' },
      actor,
    );
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({
      businessDate: day,
      closedBy: 'finance.lead',
      glLineCount: 4,
    });
    const [trial] = await stack.database.sql`
      select sum(p.debit_pence)::bigint as debit, sum(p.credit_pence)::bigint as credit
        from postings p join journals j on j.id = p.journal_id where j.posting_date = ${day}`;
    expect(closed.body.totalDebitPence).toBe(trial?.debit);
    expect(closed.body.totalCreditPence).toBe(trial?.credit);

    const gl = await stack.request('GET', `/v1/close-of-day/${day}/gl-export.csv`);
    expect(gl.status).toBe(200);
    expect(gl.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = gl.text
      .split('\r\n')
      .slice(1, -2)
      .map((line) => line.split(','));
    const debits = lines.reduce((sum, line) => sum + penceOf(line[6]!), 0);
    const credits = lines.reduce((sum, line) => sum + penceOf(line[7]!), 0);
    expect(debits).toBe(19_636);
    expect(credits).toBe(debits);
    expect(gl.text).toContain('\r\n2026-01-15,2025/26,10,L1100,RV100,O,0.00,123.46\r\n');
    expect(gl.text.endsWith('TRAILER,4,196.36,196.36\r\n')).toBe(true);
    const digest = createHash('sha256').update(gl.text).digest('hex');
    expect(digest).toBe(closed.body.glExportSha256);
    expect(gl.headers.get('x-content-sha256')).toBe(digest);

    const feed = await stack.request('GET', `/v1/close-of-day/${day}/fund-feed.csv`);
    expect(feed.text.split('\r\n').at(-2)).toBe('TRAILER,3,193.46');
  });

  it('regenerates byte-identical files from the ledger', async () => {
    const gl = await stack.request('GET', `/v1/close-of-day/${day}/gl-export.csv`);
    const feed = await stack.request('GET', `/v1/close-of-day/${day}/fund-feed.csv`);
    const again = await produceCloseFiles(stack.database.db, day);
    expect(Buffer.from(again.glExportCsv).equals(Buffer.from(gl.text))).toBe(true);
    expect(Buffer.from(again.fundFeedCsv).equals(Buffer.from(feed.text))).toBe(true);
  });

  it('is audited and readable', async () => {
    const read = await stack.request('GET', `/v1/close-of-day/${day}`);
    expect(read.status).toBe(200);
    const audit = await stack.database.sql`
      select actor, reason from audit_log where entity_type = 'closed_day' and entity_id = ${day}`;
    expect(audit).toEqual([{ actor: 'finance.lead', reason: 'month end' }]);
    expect((await stack.request('GET', '/v1/close-of-day/2026-01-14')).status).toBe(404);
  });

  it('refuses a second close, and a day that has not ended', async () => {
    const again = await stack.request('POST', '/v1/close-of-day', { date: day }, actor);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:ims:problem:conflict');
    // Tomorrow, not today: the full-day test closes today, and workflow ids are per date in
    // the namespace every test file shares.
    const tomorrow = businessDateOf(Date.now() + 86_400_000);
    const early = await stack.request('POST', '/v1/close-of-day', { date: tomorrow }, actor);
    expect(early.status).toBe(422);
    expect((await stack.request('POST', '/v1/close-of-day', { date: '2026-02-30' })).status).toBe(
      400,
    );
  });

  it('makes the database refuse journals dated to the closed day', async () => {
    const lines = [
      { accountCode: 'CTRL:PSP_CLEARING', debitPence: 100, creditPence: 0 },
      {
        accountCode: 'FUND:CTAX',
        debitPence: 0,
        creditPence: 100,
        accountReference: '1',
        vatCode: 'O',
      },
    ];
    await expect(journal(day, lines)).rejects.toThrow();
    const id = newId('journal');
    await expect(
      stack.database
        .sql`insert into journals (id, idempotency_key, content_hash, kind, description, posting_date, financial_year, period, caused_by, line_count, total_pence)
        values (${id}, ${id}, 'x', 'adjustment', 'raw', ${day}, '2025/26', 10, 'raw', 2, 100)`,
    ).rejects.toThrow(`business day ${day} is closed`);
    await expect(stack.database.sql`delete from closed_days`).rejects.toThrow('append-only');
    await expect(journal('2026-01-16', lines)).resolves.toMatchObject({ created: true });
    expect(await nextOpenBusinessDate(stack.database.db, day)).toBe('2026-01-16');
  });
});

describe('journals for a closed day', () => {
  it('post to the next open day, the intended date in the description and the audit row', async () => {
    const posted = await stack.request(
      'POST',
      '/v1/journals/transfer',
      {
        from: { fundCode: 'CTAX', reference: '123456780' },
        to: { fundCode: 'SUND' },
        amountPence: 100,
        postingDate: day,
        reason: 'correction for the closed day',
      },
      actor,
    );
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body.postingDate).toBe('2026-01-16');
    const [journal] = await stack.database.sql`
      select description from journals where id = ${posted.body.journalId}`;
    expect(journal?.description).toContain(`[for ${day}, a closed day`);
    const [audit] = await stack.database.sql`
      select after from audit_log where action = 'journal.transfer' and entity_id = ${posted.body.journalId}`;
    expect(audit?.after).toMatchObject({ postingDate: '2026-01-16', intendedDate: day });
  });
});

describe('GL export layout', () => {
  const layout = {
    columns: [
      { field: 'ledger_code', header: 'Account' },
      { field: 'cost_centre', header: 'Cost centre' },
      { field: 'posting_date', header: 'Date' },
      { field: 'amount', header: 'Amount' },
    ],
    dateFormat: 'DD/MM/YYYY',
    signConvention: 'credit_positive',
  };

  it('starts as the default and refuses a layout that cannot carry the money', async () => {
    const read = await stack.request('GET', '/v1/close-of-day/gl-layout');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ configured: false, signConvention: 'separate_columns' });
    expect(read.body.columns.map((c: { field: string }) => c.field)).toEqual([
      'posting_date',
      'financial_year',
      'period',
      'ledger_code',
      'cost_centre',
      'vat_code',
      'debit',
      'credit',
    ]);
    const refused = await stack.request('PUT', '/v1/close-of-day/gl-layout', {
      ...layout,
      signConvention: 'separate_columns',
    });
    expect(refused.status).toBe(400);
  });

  it('is changed with an audit row; a closed day keeps its bytes, the next day uses the new one', async () => {
    const before = await stack.request('GET', `/v1/close-of-day/${day}/gl-export.csv`);
    const saved = await stack.request(
      'PUT',
      '/v1/close-of-day/gl-layout',
      { ...layout, reason: 'new ledger system' },
      actor,
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...layout, configured: true, updatedBy: 'finance.lead' });
    const [audit] = await stack.database.sql`
      select actor, reason from audit_log
       where entity_type = 'reconciliation_setting' and entity_id = 'gl_layout'`;
    expect(audit).toEqual({ actor: 'finance.lead', reason: 'new ledger system' });

    const again = await produceCloseFiles(stack.database.db, day);
    expect(Buffer.from(again.glExportCsv).equals(Buffer.from(before.text))).toBe(true);
    expect((await stack.request('GET', `/v1/close-of-day/${day}/gl-export.csv`)).text).toBe(
      before.text,
    );

    const closed = await stack.request(
      'POST',
      '/v1/close-of-day',
      { date: '2026-01-16', reason: 'new layout' },
      actor,
    );
    expect(closed.status).toBe(201);
    const gl = await stack.request('GET', '/v1/close-of-day/2026-01-16/gl-export.csv');
    // Debits negative, credits positive, in one amount column; CTAX's debit (the transfer out)
    // and its credits stay two lines, never netted.
    expect(gl.text.split('\r\n')).toEqual([
      'Account,Cost centre,Date,Amount',
      'CTRL:PSP_CLEARING,,16/01/2026,-51.00',
      'L1100,RV100,16/01/2026,-1.00',
      'L1100,RV100,16/01/2026,51.00',
      'L4100,FN100,16/01/2026,1.00',
      'TRAILER,4,52.00,52.00',
      '',
    ]);
    const regenerated = await produceCloseFiles(stack.database.db, '2026-01-16');
    expect(regenerated.glExportCsv).toBe(gl.text);
    const [stored] = await stack.database.sql`
      select gl_layout from closed_days where business_date = '2026-01-16'`;
    expect(stored?.gl_layout).toEqual(layout);
  });
});

describe('nightly schedules', () => {
  afterAll(async () => {
    for (const id of [
      closeOfDayScheduleId,
      settlementScheduleId,
      bankMatchingScheduleId,
      outboxSweepScheduleId,
    ]) {
      await stack.temporal.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    }
  });

  it('are created, then updated in place, in UK local time with overlaps skipped', async () => {
    expect(await ensureSchedules(stack.temporal, stack.taskQueue)).toEqual([
      closeOfDayScheduleId,
      settlementScheduleId,
      bankMatchingScheduleId,
      outboxSweepScheduleId,
    ]);
    await ensureSchedules(stack.temporal, stack.taskQueue);
    const close = await stack.temporal.schedule.getHandle(closeOfDayScheduleId).describe();
    expect(close.spec.timezone).toBe('Europe/London');
    expect(close.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }] });
    expect(close.policies.overlap).toBe('SKIP');
    expect(close.policies.catchupWindow).toBe(86_400_000);
    expect(close.action).toMatchObject({
      workflowType: 'closeOfDayWorkflow',
      taskQueue: stack.taskQueue,
    });
    const settlement = await stack.temporal.schedule.getHandle(settlementScheduleId).describe();
    expect(settlement.action).toMatchObject({ workflowType: 'settlementWorkflow' });
    const matching = await stack.temporal.schedule.getHandle(bankMatchingScheduleId).describe();
    expect(matching.action).toMatchObject({ workflowType: 'bankMatchingWorkflow' });
    expect(matching.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }] });
    const sweep = await stack.temporal.schedule.getHandle(outboxSweepScheduleId).describe();
    expect(sweep.action).toMatchObject({ workflowType: 'outboxSweepWorkflow' });
  });
});

describe('suspense intake for a closed day', () => {
  it('takes in money found late for a closed day: the item keeps its day, the journal moves on', async () => {
    const nextOpen = await nextOpenBusinessDate(stack.database.db, day);
    const created = await stack.request(
      'POST',
      '/v1/suspense',
      {
        amountPence: 4_200,
        receivedReference: 'BGC LATE FIND',
        receivedDate: day,
        reason: 'credit found on the statement after the day closed',
      },
      actor,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.receivedDate).toBe(day);
    const [journal] = await stack.database.sql`
      select j.posting_date::text as posting_date, j.description from journals j
        join suspense_items s on s.journal_id = j.id where s.id = ${created.body.suspenseId}`;
    expect(journal?.posting_date).toBe(nextOpen);
    expect(journal?.description).toContain(`[for ${day}, a closed day`);
  });
});

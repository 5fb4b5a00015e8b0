// Proves bank matching on the real stack: a statement import keeps its lines, a payout split
// over two credits matches many-to-one (through the bank matching workflow) and posts its
// clearing journal, unmatching reverses it, a line dated to a closed day clears on the next open
// day, refusals are 404/409/400, exceptions age by date, cash bankings and direct credits match
// (by reference where amounts tie), one statement import is matched once, and the rules are
// configuration changed through an audited API.
import { beforeAll, describe, expect, it } from 'vitest';
import { closeDay } from '../../db/closeOfDay';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { bankExportCsvProfile } from '../fixtures/imports/profiles';
import { useTestStack } from '../harness/stack';
import { createMt940Profile, mt940Statement, uploadFile, waitForImport } from './fullDayHelpers';

const stack = useTestStack();
const payoutDate = '2026-03-02';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  await createMt940Profile(stack);
  // Two settled days: one paid out in two credits, one never paid (left expected, and old).
  await stack.database.sql`
    insert into psp_settlements (settled_date, payment_count, gross_pence, fee_pence, refund_pence,
                                 expected_payout_pence, differences)
    values (${payoutDate}, 3, 10100, 100, 0, 10000, '[]'::jsonb),
           ('2026-01-05', 1, 5000, 75, 0, 4925, '[]'::jsonb)`;
  const statement = mt940Statement([
    { date: '2026-03-03', amountPence: 6_000, reference: 'PAYOUT PART 1' },
    { date: '2026-03-03', amountPence: 4_000, reference: 'PAYOUT PART 2' },
    { date: '2026-03-04', amountPence: 1_234, reference: 'UNKNOWN CREDIT' },
  ]);
  const uploaded = await uploadFile(stack, statement, 'bank-mt940', 'split.mt940');
  expect((await waitForImport(stack, uploaded.body.importId)).state).toBe('completed');
});

type JournalRow = {
  id: string;
  kind: string;
  posting_date: string;
  description: string;
  reverses_journal_id: string | null;
  source_type: string;
  lines: [string, number, number][];
};

/** Every journal a bank match posted, oldest first, with its lines as [account, debit, credit]. */
async function matchJournals(matchId: string): Promise<JournalRow[]> {
  return stack.database.sql<JournalRow[]>`
    select j.id, j.kind, j.posting_date::text as posting_date, j.description,
           j.reverses_journal_id, j.source_type,
           json_agg(json_build_array(p.account_code, p.debit_pence, p.credit_pence)
                    order by p.line_no) as lines
      from journals j join postings p on p.council_id = j.council_id and p.journal_id = j.id
     where j.source_type = 'bank_match' and j.source_id = ${matchId}
     group by j.council_id, j.id order by j.created_at`;
}

describe('bank matching', () => {
  it('keeps the statement’s lines once, signed, with the import they came from', async () => {
    const lines = await stack.database.sql`
      select amount_pence, date::text as date, match_id from bank_statement_lines order by line_no`;
    expect(lines.map((line) => Number(line.amount_pence))).toEqual([6_000, 4_000, 1_234]);
    expect(lines.every((line) => line.match_id === null)).toBe(true);
  });

  // With references ignored the engine groups the credits of one day, so the parts share a date.
  it('matches a payout split over two credits, and leaves the rest as exceptions', async () => {
    const run = await stack.request('POST', '/v1/reconciliation/bank/match', {
      asOf: '2026-03-05',
    });
    expect(run.status).toBe(200);
    expect(run.body.matches).toEqual([
      expect.objectContaining({
        rule: 'split_payout',
        expectedItemIds: [`psp_payout:${payoutDate}`],
        differencePence: 0,
      }),
    ]);
    expect(run.body.matches[0].statementLineIds).toHaveLength(2);
    expect(run.body.openExceptions).toBe(2);
    expect(run.body.workflowId).toMatch(/^bank-match-run-/);
    // Listing ages to today: both are months old, oldest first.
    const old = await stack.request('GET', '/v1/reconciliation/bank/exceptions?minAgeDays=30');
    expect(old.body.exceptions).toEqual([
      expect.objectContaining({ kind: 'expected', expectedItemId: 'psp_payout:2026-01-05' }),
      expect.objectContaining({ kind: 'unexpected', sinceDate: '2026-03-04' }),
    ]);
    const again = await stack.request('POST', '/v1/reconciliation/bank/match', {});
    expect(again.body.matches).toEqual([]);
    const [count] = await stack.database.sql`select count(*)::int as n from bank_exceptions`;
    expect(count?.n).toBe(2);
  });

  it('posted the clearing journal with the match: Dr bank, Cr PSP clearing, on the lines’ date', async () => {
    const [match] = await stack.database.sql`select id, clearing_journal_id from bank_matches`;
    const [clearing] = await matchJournals(match?.id);
    expect(clearing).toMatchObject({
      id: match?.clearing_journal_id,
      kind: 'adjustment',
      posting_date: '2026-03-03',
      lines: [
        ['CTRL:BANK', 10_000, 0],
        ['CTRL:PSP_CLEARING', 0, 10_000],
      ],
    });
    const listed = await stack.request('POST', '/v1/reconciliation/bank/match', {});
    expect(listed.body.matches).toEqual([]);
  });

  it('refuses matching what is matched, unknown ids, a second unmatch and bad input', async () => {
    const [match] = await stack.database.sql`select id, statement_line_ids from bank_matches`;
    const taken = await stack.request('POST', '/v1/reconciliation/bank/matches', {
      statementLineIds: [match?.statement_line_ids[0]],
      expectedItemIds: ['psp_payout:2026-01-05'],
      note: 'try',
    });
    expect(taken.status).toBe(409);
    const unknown = await stack.request('POST', '/v1/reconciliation/bank/matches', {
      statementLineIds: ['bsl_nope'],
      expectedItemIds: ['psp_payout:2026-01-05'],
      note: 'try',
    });
    expect(unknown.status).toBe(404);
    const repeated = await stack.request('POST', '/v1/reconciliation/bank/matches', {
      statementLineIds: ['a', 'a'],
      expectedItemIds: ['b'],
      note: 'x',
    });
    expect(repeated.status).toBe(400);
    const path = `/v1/reconciliation/bank/matches/${match?.id}/unmatch`;
    const unmatched = await stack.request('POST', path, { reason: 'wrong' });
    expect(unmatched.status).toBe(200);
    expect((await stack.request('POST', path, { reason: 'wrong' })).status).toBe(409);
    // The clearing journal stays; its reversal undoes it on the same day.
    const [clearing, reversal] = await matchJournals(match?.id);
    expect(unmatched.body).toMatchObject({
      clearingJournalId: clearing?.id,
      clearingReversalJournalId: reversal?.id,
    });
    expect(reversal).toMatchObject({
      kind: 'reversal',
      reverses_journal_id: clearing?.id,
      posting_date: '2026-03-03',
      lines: [
        ['CTRL:BANK', 0, 10_000],
        ['CTRL:PSP_CLEARING', 10_000, 0],
      ],
    });
    expect(
      (
        await stack.request('POST', '/v1/reconciliation/bank/matches/bkm_none/unmatch', {
          reason: 'x',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await stack.request('POST', '/v1/reconciliation/bank/exceptions/bkx_none/notes', {
          note: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await stack.request('GET', '/v1/reconciliation/bank/exceptions?kind=odd')).status).toBe(
      400,
    );
  });

  it('counts open exceptions by age', async () => {
    const ages = await stack.request('GET', '/v1/reports/exceptions-by-age');
    expect(ages.status).toBe(200);
    const total = ages.body.buckets.reduce((sum: number, b: { count: number }) => sum + b.count, 0);
    expect(total).toBe(2);
    // Both are months old by today's date.
    expect(ages.body.buckets.at(-1)).toMatchObject({ label: '>20', count: 2 });
  });
});

describe('clearing after close of day', () => {
  it('posts a match of lines dated to a closed day, and its reversal, on the next open day', async () => {
    await closeDay(stack.database.db, { businessDate: '2026-03-03', closedBy: 'test' });
    const lines = await stack.database.sql`
      select id from bank_statement_lines where date = '2026-03-03' order by line_no`;
    const manual = await stack.request(
      'POST',
      '/v1/reconciliation/bank/matches',
      {
        statementLineIds: lines.map((line) => line.id),
        expectedItemIds: [`psp_payout:${payoutDate}`],
        note: 'split payout, matched after close',
      },
      { 'X-Actor': 'bob' },
    );
    expect(manual.status).toBe(201);
    const [clearing] = await matchJournals(manual.body.id);
    expect(clearing).toMatchObject({
      id: manual.body.clearingJournalId,
      posting_date: '2026-03-04',
    });
    expect(clearing?.description).toContain('for 2026-03-03, a closed day');

    await closeDay(stack.database.db, { businessDate: '2026-03-04', closedBy: 'test' });
    const unmatched = await stack.request(
      'POST',
      `/v1/reconciliation/bank/matches/${manual.body.id}/unmatch`,
      { reason: 'testing the reversal after close' },
      { 'X-Actor': 'bob' },
    );
    expect(unmatched.status).toBe(200);
    const [, reversal] = await matchJournals(manual.body.id);
    expect(reversal).toMatchObject({
      reverses_journal_id: clearing?.id,
      posting_date: '2026-03-05',
    });
    expect(reversal?.description).toContain('for 2026-03-04, a closed day');
  });
});

describe('cash bankings and direct credits', () => {
  const today = businessDateOf(Date.now());
  let statementImportId: string;

  beforeAll(async () => {
    for (const profile of [
      { id: 'bank-csv', methodOfPaymentCode: 'BT', clearingAccountCode: 'CTRL:BANK' },
      { id: 'cash-cc', methodOfPaymentCode: 'CSH', clearingAccountCode: 'CTRL:CASH' },
    ]) {
      const created = await stack.request('POST', '/v1/import-profiles', {
        ...profile,
        name: profile.id,
        kind: 'csv',
        definition: bankExportCsvProfile,
      });
      expect(created.status).toBe(201);
    }
    const csv = (rows: string[]) =>
      ['Exported', 'Date,Reference,Amount,Description,Fund', ...rows, ''].join('\n');
    const ukDate = today.split('-').reverse().join('/');
    // Two direct credits of the same amount: only the reference tells them apart.
    const exported = await uploadFile(
      stack,
      csv([`${ukDate},123456780,25.00,BGC,CTAX`, `${ukDate},60000000001,25.00,BGC,RENT`]),
      'bank-csv',
      'bank-export-today.csv',
    );
    const cashUp = await uploadFile(
      stack,
      csv([`${ukDate},223456789,40.00,CASH,CTAX`, `${ukDate},60000000002,12.50,CHEQUE,RENT`]),
      'cash-cc',
      'cash-up-today.csv',
    );
    for (const id of [exported.body.importId, cashUp.body.importId])
      expect((await waitForImport(stack, id)).state).toBe('completed');
    const statement = mt940Statement([
      { date: today, amountPence: 2_500, reference: 'BGC 60000000001' },
      { date: today, amountPence: 5_250, reference: 'CC BANKING' },
    ]);
    const uploaded = await uploadFile(stack, statement, 'bank-mt940', 'today.mt940');
    statementImportId = uploaded.body.importId;
    expect((await waitForImport(stack, statementImportId)).state).toBe('completed');
  });

  it('matches a cash banking (clearing cash in hand) and a direct credit by its reference', async () => {
    const run = await stack.request('POST', '/v1/reconciliation/bank/match', { statementImportId });
    expect(run.status).toBe(200);
    expect(run.body.workflowId).toBe(`bank-match-${statementImportId}`);
    const byKind = (kind: string) =>
      run.body.matches.find((match: { expectedItemIds: string[] }) =>
        match.expectedItemIds[0]?.startsWith(kind),
      );
    const cash = byKind('cash_banking');
    expect(cash).toMatchObject({
      expectedItemIds: [`cash_banking:${today}:cash-cc`],
      rule: 'same_day_exact',
      differencePence: 0,
    });
    expect((await matchJournals(cash.id))[0]?.lines).toEqual([
      ['CTRL:BANK', 5_250, 0],
      ['CTRL:CASH', 0, 5_250],
    ]);
    const direct = byKind('direct_credit');
    expect(direct).toMatchObject({ rule: 'reference_within_3_days', clearingJournalId: null });
    const [, journalId, lineNo] = direct.expectedItemIds[0].split(':');
    const [posting] = await stack.database.sql`
      select account_reference from postings where journal_id = ${journalId} and line_no = ${Number(lineNo)}`;
    expect(posting?.account_reference).toBe('60000000001');
    // Money already booked to the bank needs no clearing: nothing was posted for it.
    expect(await matchJournals(direct.id)).toEqual([]);
    const open = await stack.request('GET', '/v1/reconciliation/bank/exceptions?kind=expected');
    expect(
      open.body.exceptions.filter((e: { expectedItemId: string }) =>
        e.expectedItemId.startsWith('direct_credit:'),
      ),
    ).toHaveLength(1);
  });

  it('matches one statement import once: asking again answers the first run', async () => {
    const first = await stack.request('POST', '/v1/reconciliation/bank/match', {
      statementImportId,
    });
    const again = await stack.request('POST', '/v1/reconciliation/bank/match', {
      statementImportId,
    });
    expect(again.body).toEqual(first.body);
    // The split payout released by the unmatch above was matched again in the same run.
    expect(
      first.body.matches
        .map((match: { expectedItemIds: string[] }) => match.expectedItemIds[0]?.split(':')[0])
        .sort(),
    ).toEqual(['cash_banking', 'direct_credit', 'psp_payout']);
    const unknown = await stack.request('POST', '/v1/reconciliation/bank/match', {
      statementImportId: 'imp_00000000000000000000',
    });
    expect(unknown.status).toBe(404);
  });
});

describe('matching rules as configuration', () => {
  const rule = {
    name: 'payout_by_reference',
    kind: 'one_to_one',
    dateWindowDays: 2,
    amountTolerancePence: 5,
    reference: 'contains',
    itemKinds: ['psp_payout'],
  };

  it('start as the defaults, and refuse rules that cannot be used', async () => {
    const read = await stack.request('GET', '/v1/reconciliation/bank/rules');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ configured: false, pspPayoutReference: '', updatedBy: null });
    expect(read.body.rules.map((r: { name: string }) => r.name)).toEqual([
      'reference_within_3_days',
      'same_day_exact',
      'within_3_days',
      'split_payout',
      'banking_of_several',
    ]);
    for (const rules of [[rule, rule], [{ ...rule, name: 'manual' }], [{ ...rule, kind: 'odd' }]]) {
      const refused = await stack.request('PUT', '/v1/reconciliation/bank/rules', {
        rules,
        reason: 'bad',
      });
      expect(refused.status).toBe(400);
    }
  });

  it('take a tolerance and the PSP’s payout reference, audited, and the next run uses them', async () => {
    await stack.database.sql`
      insert into psp_settlements (settled_date, payment_count, gross_pence, fee_pence, refund_pence,
                                   expected_payout_pence, differences)
      values ('2026-05-01', 1, 5075, 75, 0, 5000, '[]'::jsonb)`;
    const statement = mt940Statement([
      { date: '2026-05-02', amountPence: 4_999, reference: 'GOVUK PAY 0501' },
    ]);
    const uploaded = await uploadFile(stack, statement, 'bank-mt940', 'may.mt940');
    expect((await waitForImport(stack, uploaded.body.importId)).state).toBe('completed');
    const before = await stack.request('POST', '/v1/reconciliation/bank/match', {});
    expect(before.body.matches).toEqual([]);

    const saved = await stack.request(
      'PUT',
      '/v1/reconciliation/bank/rules',
      { rules: [rule], pspPayoutReference: 'GOVUK PAY', reason: 'PSP pays 1p short at times' },
      { 'X-Actor': 'bob' },
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ configured: true, updatedBy: 'bob', rules: [rule] });
    expect((await stack.request('GET', '/v1/reconciliation/bank/rules')).body).toEqual(saved.body);
    const [audit] = await stack.database.sql`
      select actor, action, reason, after from audit_log where entity_type = 'reconciliation_setting'`;
    expect(audit).toMatchObject({
      actor: 'bob',
      action: 'reconciliation_setting.update',
      reason: 'PSP pays 1p short at times',
      after: { pspPayoutReference: 'GOVUK PAY' },
    });

    const run = await stack.request('POST', '/v1/reconciliation/bank/match', {});
    expect(run.body.matches).toEqual([
      expect.objectContaining({
        rule: 'payout_by_reference',
        expectedItemIds: ['psp_payout:2026-05-01'],
        differencePence: -1,
      }),
    ]);
    expect((await matchJournals(run.body.matches[0].id))[0]).toMatchObject({
      posting_date: '2026-05-02',
      lines: [
        ['CTRL:BANK', 4_999, 0],
        ['CTRL:PSP_CLEARING', 0, 4_999],
      ],
    });
  });
});

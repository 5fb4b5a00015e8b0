// Proves the ledger's invariants hold on the real database: balanced journals post and keep the
// trial balance at zero, anything unbalanced, edited, deleted, added to later, mis-dated or
// mis-reversed is refused by PostgreSQL itself (raw SQL that bypasses our code), and posting
// is idempotent by key, even under concurrency.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type JournalLine, LedgerError, postJournal, reverseJournal } from '../../db/ledger';
import { accountBalances, accountStatement, trialBalance } from '../../db/ledgerQueries';
import { newId } from '../../domain/ids';
import { LedgerInvariantError, netPenceByAccount } from '../../domain/ledger';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });
const accounts = ['FUND:CTAX', 'FUND:LIB', 'CTRL:PSP_CLEARING', 'CTRL:BANK', 'CTRL:VAT_OUTPUT'];
const postingDate = '2026-11-22';

beforeAll(async () => {
  const sql = stack.database.sql;
  await sql`insert into vat_codes (code, name, rate_basis_points) values ('O', 'Outside scope', 0), ('S', 'Standard', 2000)`;
  await sql`insert into funds (code, name, validator, vat_code, max_pence, ledger_code, cost_centre)
            values ('CTAX', 'Council tax', '{}', 'O', 100000000, 'L100', 'C1'), ('LIB', 'Library', '{}', 'S', 100000, 'L200', 'C2')`;
  await sql`insert into ledger_accounts (code, kind, fund_code, name)
            values ('FUND:CTAX', 'fund', 'CTAX', 'Council tax'), ('FUND:LIB', 'fund', 'LIB', 'Library')`;
});

const amount = fc.integer({ min: 1, max: 1_000_000_000 });
const account = fc.constantFrom(...accounts);

/** Any balanced journal: some debits, some credits, the last line topped up to balance. */
const balancedLines = fc
  .tuple(
    fc.array(fc.tuple(account, amount), { minLength: 1, maxLength: 4 }),
    fc.array(fc.tuple(account, amount), { minLength: 1, maxLength: 4 }),
  )
  .map(([debits, credits]) => {
    const lines: JournalLine[] = [
      ...debits.map(([accountCode, pence]) => ({ accountCode, debitPence: pence, creditPence: 0 })),
      ...credits.map(([accountCode, pence]) => ({
        accountCode,
        debitPence: 0,
        creditPence: pence,
      })),
    ];
    const debitPence = debits.reduce((sum, [, pence]) => sum + pence, 0);
    const creditPence = credits.reduce((sum, [, pence]) => sum + pence, 0);
    const last = lines.at(-1)!;
    if (debitPence > creditPence) last.creditPence += debitPence - creditPence;
    else lines[0]!.debitPence += creditPence - debitPence;
    return lines;
  });

function journal(lines: JournalLine[], key = newId('journal')) {
  return {
    idempotencyKey: key,
    kind: 'adjustment' as const,
    description: 'test',
    postingDate,
    causedBy: 'test',
    lines,
  };
}

/** Inserts a journal and its postings straight through SQL, as a careless script might. */
async function rawInsert(
  lines: JournalLine[],
  overrides: { lineCount?: number; totalPence?: number; period?: number; reverses?: string } = {},
) {
  const id = newId('journal');
  const totalPence = overrides.totalPence ?? lines.reduce((sum, line) => sum + line.debitPence, 0);
  await stack.database.sql.begin(async (sql) => {
    await sql`insert into journals (id, idempotency_key, content_hash, kind, description, posting_date, financial_year, period, caused_by, line_count, total_pence, reverses_journal_id)
              values (${id}, ${id}, 'x', 'adjustment', 'raw', ${postingDate}, '2026/27', ${overrides.period ?? 8}, 'raw', ${overrides.lineCount ?? lines.length}, ${totalPence}, ${overrides.reverses ?? null})`;
    if (lines.length > 0) {
      await sql`insert into postings ${sql(lines.map((line, index) => ({ journal_id: id, line_no: index + 1, account_code: line.accountCode, debit_pence: line.debitPence, credit_pence: line.creditPence })))}`;
    }
  });
  return id;
}

describe('balanced journals', () => {
  it('post, move each account by its net, and keep the trial balance at zero', async () => {
    await fc.assert(
      fc.asyncProperty(balancedLines, async (lines) => {
        const before = new Map(
          (await accountBalances(stack.database.db)).map((b) => [b.accountCode, b.balancePence]),
        );
        const posted = await postJournal(stack.database.db, journal(lines));
        expect(posted.created).toBe(true);
        const after = new Map(
          (await accountBalances(stack.database.db)).map((b) => [b.accountCode, b.balancePence]),
        );
        for (const [code, net] of netPenceByAccount(lines))
          expect(after.get(code)! - before.get(code)!).toBe(net);
        const trial = await trialBalance(stack.database.db);
        expect(trial.debitPence).toBe(trial.creditPence);
      }),
      { numRuns: 40 },
    );
  });

  it('reverse to exactly zero per account, once only', async () => {
    await fc.assert(
      fc.asyncProperty(balancedLines, async (lines) => {
        const original = await postJournal(stack.database.db, journal(lines));
        const reversal = {
          journalId: original.journalId,
          idempotencyKey: `rev-${original.journalId}`,
          postingDate,
          causedBy: 'test',
          reason: 'wrong fund',
        };
        const reversed = await reverseJournal(stack.database.db, reversal);
        const rows = await stack.database
          .sql`select account_code, sum(debit_pence - credit_pence)::bigint as net from postings
                                              where journal_id in (${original.journalId}, ${reversed.journalId}) group by 1`;
        for (const row of rows) expect(row.net).toBe(0);
        // The same reversal again is a no-op; a second, different reversal is refused.
        expect(await reverseJournal(stack.database.db, reversal)).toEqual({
          ...reversed,
          created: false,
        });
        await expect(
          reverseJournal(stack.database.db, {
            ...reversal,
            idempotencyKey: `again-${original.journalId}`,
          }),
        ).rejects.toThrow(LedgerError);
      }),
      { numRuns: 15 },
    );
  });
});

describe('the code refuses', () => {
  it('any journal one penny out of balance, before touching the database', async () => {
    await fc.assert(
      fc.asyncProperty(
        balancedLines,
        fc.nat(),
        fc.constantFrom(1, -1),
        async (lines, pick, delta) => {
          const index = pick % lines.length;
          const line = lines[index]!;
          if (line.debitPence > 0) line.debitPence += delta;
          else line.creditPence += delta;
          fc.pre(line.debitPence + line.creditPence > 0);
          await expect(postJournal(stack.database.db, journal(lines))).rejects.toThrow(
            LedgerInvariantError,
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('an unknown account and a bad date with typed errors, writing nothing', async () => {
    const count = async () =>
      (await stack.database.sql`select count(*)::int as n from journals`)[0]?.n;
    const before = await count();
    const lines = [
      { accountCode: 'FUND:NOPE', debitPence: 0, creditPence: 5 },
      { accountCode: 'CTRL:BANK', debitPence: 5, creditPence: 0 },
    ];
    await expect(postJournal(stack.database.db, journal(lines))).rejects.toMatchObject({
      code: 'unknown_account',
    });
    await expect(
      postJournal(stack.database.db, {
        ...journal(lines.map((l) => ({ ...l, accountCode: 'CTRL:BANK' }))),
        postingDate: '2026-02-30',
      }),
    ).rejects.toMatchObject({ code: 'invalid_posting_date' });
    expect(await count()).toBe(before);
  });
});

describe('the database refuses, even when our code is bypassed', () => {
  const pair = (pence: number): JournalLine[] => [
    { accountCode: 'CTRL:BANK', debitPence: pence, creditPence: 0 },
    { accountCode: 'FUND:CTAX', debitPence: 0, creditPence: pence },
  ];

  it('unbalanced postings', async () => {
    await fc.assert(
      fc.asyncProperty(balancedLines, fc.nat(), async (lines, pick) => {
        const line = lines[pick % lines.length]!;
        if (line.debitPence > 0) line.debitPence += 1;
        else line.creditPence += 1;
        await expect(rawInsert(lines)).rejects.toThrow(/does not balance/);
      }),
      { numRuns: 20 },
    );
  });

  it('a journal with no postings, or fewer than it declares', async () => {
    await expect(rawInsert([], { lineCount: 2, totalPence: 10 })).rejects.toThrow(/has 0 posting/);
    await expect(rawInsert(pair(10), { lineCount: 3 })).rejects.toThrow(/does not balance/);
  });

  it('lines added to a posted journal, even balanced ones', async () => {
    const id = await rawInsert(pair(100));
    await expect(
      stack.database
        .sql`insert into postings (journal_id, line_no, account_code, debit_pence, credit_pence)
                         values (${id}, 3, 'CTRL:BANK', 7, 0), (${id}, 4, 'FUND:CTAX', 0, 7)`,
    ).rejects.toThrow(/does not balance/);
  });

  it('UPDATE, DELETE and TRUNCATE of journals and postings', async () => {
    const id = await rawInsert(pair(100));
    const sql = stack.database.sql;
    await expect(
      sql`update postings set credit_pence = 1 where journal_id = ${id} and line_no = 2`,
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from postings where journal_id = ${id}`).rejects.toThrow(/append-only/);
    await expect(sql`update journals set description = 'edited' where id = ${id}`).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from journals where id = ${id}`).rejects.toThrow(/append-only/);
    await expect(sql`truncate postings cascade`).rejects.toThrow(/append-only/);
    await expect(sql`truncate journals cascade`).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`).resolves.toBeDefined(); // nothing to delete, but:
    await sql`insert into audit_log (id, actor, action, entity_type, entity_id) values ('aud_test', 't', 'a', 'e', 'i')`;
    await expect(sql`delete from audit_log where id = 'aud_test'`).rejects.toThrow(/append-only/);
  });

  it('negative, two-sided or zero postings, and a period that disagrees with the date', async () => {
    await expect(
      rawInsert(
        [
          { accountCode: 'CTRL:BANK', debitPence: -5, creditPence: 0 },
          { accountCode: 'FUND:CTAX', debitPence: 0, creditPence: -5 },
        ],
        { totalPence: -5 },
      ),
    ).rejects.toThrow(/check constraint/);
    await expect(
      rawInsert([
        { accountCode: 'CTRL:BANK', debitPence: 5, creditPence: 5 },
        { accountCode: 'FUND:CTAX', debitPence: 0, creditPence: 0 },
      ]),
    ).rejects.toThrow(/posting_one_sided/);
    await expect(rawInsert(pair(10), { period: 1 })).rejects.toThrow(/journal_period_matches_date/);
  });

  it('a reversal that does not mirror its original', async () => {
    const original = await rawInsert(pair(100));
    await expect(rawInsert(pair(100), { reverses: original })).rejects.toThrow(
      /does not exactly reverse/,
    );
    const wrongAmount: JournalLine[] = [
      { accountCode: 'FUND:CTAX', debitPence: 99, creditPence: 0 },
      { accountCode: 'CTRL:BANK', debitPence: 0, creditPence: 99 },
    ];
    await expect(rawInsert(wrongAmount, { reverses: original })).rejects.toThrow(
      /does not exactly reverse/,
    );
  });
});

describe('idempotency', () => {
  const lines: JournalLine[] = [
    { accountCode: 'CTRL:PSP_CLEARING', debitPence: 1234, creditPence: 0 },
    {
      accountCode: 'FUND:CTAX',
      debitPence: 0,
      creditPence: 1234,
      accountReference: '123456780',
      vatCode: 'O',
    },
  ];

  it('posts the same event once, and refuses the key with other content', async () => {
    const first = await postJournal(stack.database.db, journal(lines, 'payment:pay_1:allocation'));
    const again = await postJournal(stack.database.db, journal(lines, 'payment:pay_1:allocation'));
    expect(again).toEqual({ journalId: first.journalId, created: false });
    const changed = lines.map((line) => ({
      ...line,
      debitPence: line.debitPence && 999,
      creditPence: line.creditPence && 999,
    }));
    await expect(
      postJournal(stack.database.db, journal(changed, 'payment:pay_1:allocation')),
    ).rejects.toMatchObject({ code: 'idempotency_conflict' });
  });

  it('gives one journal when ten posts of one event race', async () => {
    const key = `race-${newId('journal')}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => postJournal(stack.database.db, journal(lines, key))),
    );
    expect(new Set(results.map((r) => r.journalId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await stack.database
      .sql`select count(*)::int as n from journals where idempotency_key = ${key}`;
    expect(rows[0]?.n).toBe(1);
  });
});

describe('statements', () => {
  it('list an account reference’s postings with opening and running balances', async () => {
    const reference = `REF${Date.now()}`;
    const pay = (pence: number, date: string) =>
      postJournal(stack.database.db, {
        ...journal([
          { accountCode: 'CTRL:BANK', debitPence: pence, creditPence: 0 },
          {
            accountCode: 'FUND:CTAX',
            debitPence: 0,
            creditPence: pence,
            accountReference: reference,
          },
        ]),
        postingDate: date,
      });
    await pay(1000, '2026-03-31');
    await pay(250, '2026-04-01');
    await pay(50, '2026-04-02');
    const statement = await accountStatement(stack.database.db, {
      accountCode: 'FUND:CTAX',
      accountReference: reference,
      from: '2026-04-01',
      to: '2026-04-30',
    });
    expect(statement.openingBalancePence).toBe(-1000);
    expect(
      statement.lines.map((l) => [l.postingDate, l.creditPence, l.runningBalancePence]),
    ).toEqual([
      ['2026-04-01', 250, -1250],
      ['2026-04-02', 50, -1300],
    ]);
    expect(statement.closingBalancePence).toBe(-1300);
    const [march] = await stack.database
      .sql`select financial_year, period from journals j join postings p on p.journal_id = j.id
                                             where p.account_reference = ${reference} and j.posting_date = '2026-03-31'`;
    expect(march).toEqual({ financial_year: '2025/26', period: 12 });
  });
});

describe('ledger API', () => {
  it('reads a journal, a statement and the trial balance', async () => {
    const lines: JournalLine[] = [
      { accountCode: 'CTRL:PSP_CLEARING', debitPence: 500, creditPence: 0 },
      {
        accountCode: 'FUND:LIB',
        debitPence: 0,
        creditPence: 417,
        accountReference: 'LOAN1',
        vatCode: 'S',
        vatPence: 83,
      },
      { accountCode: 'CTRL:VAT_OUTPUT', debitPence: 0, creditPence: 83 },
    ];
    const posted = await postJournal(stack.database.db, journal(lines));
    const read = await stack.request('GET', `/v1/ledger/journals/${posted.journalId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: posted.journalId,
      totalPence: 500,
      lineCount: 3,
      financialYear: '2026/27',
      period: 8,
      reversedBy: null,
    });
    expect(read.body.lines[1]).toMatchObject({
      accountCode: 'FUND:LIB',
      creditPence: 417,
      vatPence: 83,
      vatCode: 'S',
    });

    const statement = await stack.request(
      'GET',
      `/v1/ledger/accounts/FUND:LIB/statement?from=${postingDate}&to=${postingDate}&accountReference=LOAN1`,
    );
    expect(statement.status).toBe(200);
    expect(statement.body.lines).toHaveLength(1);

    const trial = await stack.request('GET', '/v1/ledger/trial-balance');
    expect(trial.body.balanced).toBe(true);
    const accountsList = await stack.request('GET', '/v1/ledger/accounts?fundCode=LIB');
    expect(accountsList.body.accounts).toEqual([
      expect.objectContaining({ accountCode: 'FUND:LIB' }),
    ]);
  });

  it('names the field on bad input and 404s an unknown journal', async () => {
    const badDate = await stack.request('GET', '/v1/ledger/daily?from=2026-13-01&to=2026-12-01');
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'query.from' })]);
    const backwards = await stack.request('GET', '/v1/ledger/daily?from=2026-12-01&to=2026-11-01');
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'query.from' })]);
    const missing = await stack.request('GET', '/v1/ledger/journals/jnl_00000000000000000000');
    expect(missing.status).toBe(404);
  });
});

describe('control accounts', () => {
  it('exist in the database exactly as the code names them', async () => {
    const { controlAccountNames } = await import('../../domain/ledgerAccounts');
    const rows = await stack.database
      .sql`select code, name from ledger_accounts where kind = 'control' order by code`;
    expect(Object.fromEntries(rows.map((row) => [row.code, row.name]))).toEqual(
      controlAccountNames,
    );
  });
});

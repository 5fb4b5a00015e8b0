import { z } from 'zod';
import { getJournal } from '../../db/ledger';
import {
  accountBalances,
  accountStatement,
  dailyTotals,
  ledgerAccountExists,
  trialBalance,
} from '../../db/ledgerQueries';
import { isIsoDate } from '../../domain/financialPeriod';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';

const isoDate = z.string().refine(isIsoDate, 'must be a date as YYYY-MM-DD');
const pence = z.number().int();

const balanceSchema = z.object({
  accountCode: z.string(),
  kind: z.enum(['fund', 'control']),
  fundCode: z.string().nullable(),
  name: z.string(),
  debitPence: pence,
  creditPence: pence,
  balancePence: pence.describe('Debits minus credits'),
  creditBalancePence: pence.describe('Credits minus debits: income received, for fund accounts'),
});

const journalSchema = z
  .object({
    id: z.string(),
    idempotencyKey: z.string(),
    kind: z.string(),
    description: z.string(),
    postingDate: z.string(),
    financialYear: z.string(),
    period: z.number().int(),
    causedBy: z.string(),
    sourceType: z.string().nullable(),
    sourceId: z.string().nullable(),
    reversesJournalId: z.string().nullable(),
    reversedBy: z.string().nullable(),
    lineCount: z.number().int(),
    totalPence: pence,
    createdAt: z.string(),
    lines: z.array(
      z.object({
        accountCode: z.string(),
        debitPence: pence,
        creditPence: pence,
        accountReference: z.string().nullable().optional(),
        vatCode: z.string().nullable().optional(),
        vatPence: pence.optional(),
        narrative: z.string().nullable().optional(),
      }),
    ),
  })
  .meta({ id: 'Journal' });

function dateRange<T extends { from: string; to: string }>(query: T): T {
  if (query.from > query.to)
    throw new ProblemError('validation_failed', 'from is after to', [
      { field: 'query.from', message: 'must not be after `to`' },
    ]);
  return query;
}

/** Read-only questions of the ledger. Posting happens only inside workflows and services. */
export function ledgerRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/ledger/accounts',
      operationId: 'listLedgerAccounts',
      access: { permission: 'view' },
      summary: 'Ledger accounts with their balances, optionally for one fund and as of a date',
      tags: ['ledger'],
      query: z
        .object({ fundCode: z.string().min(1).optional(), asOf: isoDate.optional() })
        .strict(),
      successStatus: 200,
      success: {
        description: 'Accounts and balances',
        schema: z.object({ accounts: z.array(balanceSchema) }),
      },
      handler: async ({ query, req, res }) => {
        const scope = await fundAccessOf(ctx, req, res);
        // Control accounts sum every fund's money, so a scoped caller sees only its funds' accounts.
        const accounts = (await accountBalances(ctx.db, query)).filter((account) =>
          scope.funds === 'all'
            ? true
            : account.fundCode !== null && scope.allows(account.fundCode),
        );
        return { accounts };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/accounts/:accountCode/statement',
      operationId: 'getAccountStatement',
      access: { permission: 'view' },
      summary:
        'Postings to one account (optionally one account reference) between two dates, with running balance',
      tags: ['ledger'],
      params: z.object({
        accountCode: z
          .string()
          .regex(/^(FUND|CTRL):[A-Z0-9_]+$/, 'must be an account code such as FUND:CTAX'),
      }),
      query: z
        .object({ from: isoDate, to: isoDate, accountReference: z.string().min(1).optional() })
        .strict(),
      successStatus: 200,
      success: {
        description: 'The statement',
        schema: z.object({
          accountCode: z.string(),
          openingBalancePence: pence,
          closingBalancePence: pence,
          lines: z.array(
            z.object({
              journalId: z.string(),
              lineNo: z.number().int(),
              postingDate: z.string(),
              kind: z.string(),
              description: z.string(),
              accountReference: z.string().nullable(),
              debitPence: pence,
              creditPence: pence,
              runningBalancePence: pence,
            }),
          ),
        }),
      },
      errors: { 404: 'No such account' },
      handler: async ({ params, query }) => {
        const range = dateRange(query);
        // Another council's account is, for this caller, one that does not exist.
        if (!(await ledgerAccountExists(ctx.db, params.accountCode)))
          throw new ProblemError('not_found', `No ledger account ${params.accountCode}`);
        return {
          accountCode: params.accountCode,
          ...(await accountStatement(ctx.db, { accountCode: params.accountCode, ...range })),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/journals/:journalId',
      operationId: 'getJournal',
      access: { permission: 'view' },
      summary: 'One journal with its postings, and the journal that reversed it if any',
      tags: ['ledger'],
      params: z.object({
        journalId: z.string().regex(/^jnl_[0-9a-z]{20}$/, 'must be a journal id'),
      }),
      successStatus: 200,
      success: { description: 'The journal', schema: journalSchema },
      errors: { 404: 'No such journal' },
      handler: async ({ params }) => {
        const journal = await getJournal(ctx.db, params.journalId);
        if (journal === null) throw new ProblemError('not_found', `No journal ${params.journalId}`);
        return { ...journal, createdAt: journal.createdAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/trial-balance',
      operationId: 'getTrialBalance',
      access: { permission: 'view' },
      summary: 'Total debits and credits over the whole ledger; equal in a healthy ledger',
      tags: ['ledger'],
      query: z.object({ asOf: isoDate.optional() }).strict(),
      successStatus: 200,
      success: {
        description: 'Totals',
        schema: z.object({ debitPence: pence, creditPence: pence, balanced: z.boolean() }),
      },
      handler: async ({ query }) => {
        const totals = await trialBalance(ctx.db, query.asOf);
        return { ...totals, balanced: totals.debitPence === totals.creditPence };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/daily',
      operationId: 'getDailyTotals',
      access: { permission: 'view' },
      summary: 'Debits and credits per account per posting day',
      tags: ['ledger'],
      query: z
        .object({ from: isoDate, to: isoDate, fundCode: z.string().min(1).optional() })
        .strict(),
      successStatus: 200,
      success: {
        description: 'Daily totals',
        schema: z.object({
          days: z.array(
            z.object({
              postingDate: z.string(),
              accountCode: z.string(),
              fundCode: z.string().nullable(),
              debitPence: pence,
              creditPence: pence,
            }),
          ),
        }),
      },
      handler: async ({ query }) => ({ days: await dailyTotals(ctx.db, dateRange(query)) }),
    }),
  ];
}

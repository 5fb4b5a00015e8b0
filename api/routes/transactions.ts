import { z } from 'zod';
import { transactionDetailOf } from '../../db/transactionDetail';
import {
  getTransaction,
  searchTransactions,
  summariseTransactions,
} from '../../db/transactionSearch';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { transactionDetailSchema } from '../schemas/transactionDetail';
import {
  filterOf,
  transactionExportQuerySchema,
  transactionPageSchema,
  transactionQuerySchema,
  transactionSummaryQuerySchema,
} from '../schemas/transactions';
import { streamTransactionCsv } from '../transactionCsv';
import { pageOf, transactionOf } from '../transactionView';

const tags = ['transactions'];

/** One search over every channel's postings (docs/search.md), its CSV export and its detail. */
export function transactionRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/transactions',
      operationId: 'searchTransactions',
      access: { permission: 'view' },
      summary:
        'Search every channel’s postings to funds (card, imports, bank, journals, refunds), a page at a time',
      tags,
      query: transactionQuerySchema,
      successStatus: 200,
      success: {
        description: 'One page, and the cursor of the next',
        schema: transactionPageSchema,
      },
      handler: async ({ query, req, res }) => {
        const scope = await fundAccessOf(ctx, req, res);
        const rows = await searchTransactions(ctx.db, {
          filter: filterOf(query),
          sort: query.sort,
          direction: query.direction,
          limit: query.limit + 1,
          after: query.cursor,
          fundCodes: scope.codes,
        });
        const page = pageOf(rows, query.limit, query.sort);
        return { transactions: page.rows.map(transactionOf), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/transactions.csv',
      operationId: 'exportTransactions',
      access: { permission: 'view' },
      summary: 'Every row of a search as CSV, streamed (millions of rows in bounded memory)',
      tags,
      query: transactionExportQuerySchema,
      successStatus: 200,
      success: { description: 'The rows, in the search’s order', contentType: 'text/csv' },
      handler: async ({ query, req, res }) => {
        const scope = await fundAccessOf(ctx, req, res);
        await streamTransactionCsv(
          ctx.db,
          {
            filter: filterOf(query),
            sort: query.sort,
            direction: query.direction,
            fundCodes: scope.codes,
          },
          res,
          'transactions.csv',
        );
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/transactions/summary',
      operationId: 'summariseTransactions',
      access: { permission: 'view' },
      summary: 'How many rows a search finds and their net money in (before an export)',
      tags,
      query: transactionSummaryQuerySchema,
      successStatus: 200,
      success: {
        description: 'The count and net total',
        schema: z.object({ count: z.number().int(), netPence: z.number().int() }),
      },
      handler: async ({ query, req, res }) => {
        const scope = await fundAccessOf(ctx, req, res);
        const summary = await summariseTransactions(ctx.db, filterOf(query), scope.codes);
        return { count: summary.count, netPence: summary.totalPence };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/transactions/:journalId/:lineNo',
      operationId: 'getTransaction',
      access: { permission: 'view' },
      summary: 'One transaction: the posting, its journal, and where it came from',
      tags,
      params: z.object({
        journalId: z.string().min(1).max(100),
        lineNo: z.coerce.number().int().min(1).max(32_767),
      }),
      successStatus: 200,
      success: { description: 'The transaction', schema: transactionDetailSchema },
      errors: { 404: 'No such posting to a fund, or not in your fund groups' },
      handler: async ({ params, req, res }) => {
        const scope = await fundAccessOf(ctx, req, res);
        const row = await getTransaction(ctx.db, params, scope.codes);
        if (row === null)
          throw new ProblemError(
            'not_found',
            `No transaction ${params.journalId} line ${params.lineNo}`,
          );
        return transactionDetailOf(ctx.db, transactionOf(row));
      },
    }),
  ];
}

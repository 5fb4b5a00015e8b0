import { dailyCash, exceptionsByAge, reconciliationStatus } from '../../db/reports';
import { businessDateOf } from '../../domain/businessDate';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { defineRoute } from '../route';
import {
  dailyCashSchema,
  exceptionsByAgeSchema,
  reconciliationStatusSchema,
  reportDateQuerySchema,
} from '../schemas/reports';

const tags = ['reports'];

/** Read-only finance reports over the ledger and bank reconciliation. */
export function reportRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/reports/daily-cash',
      operationId: 'dailyCashReport',
      access: { permission: 'view' },
      summary: 'Income posted on a date, per fund and method of payment',
      tags,
      query: reportDateQuerySchema,
      successStatus: 200,
      success: { description: 'The day’s income', schema: dailyCashSchema },
      handler: async ({ query, req, res }) => {
        const scope = await fundAccessOf(ctx, req, res);
        const rows = (await dailyCash(ctx.db, query.date)).filter((row) =>
          scope.allows(row.fundCode),
        );
        const totalPence = rows.reduce((sum, row) => sum + row.incomePence, 0);
        return { date: query.date, rows, totalPence };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/reconciliation-status',
      operationId: 'reconciliationStatusReport',
      access: { permission: 'view' },
      summary: 'A day’s PSP settlement and how much of its bank side is matched',
      tags,
      query: reportDateQuerySchema,
      successStatus: 200,
      success: { description: 'The day’s status', schema: reconciliationStatusSchema },
      handler: async ({ query }) => reconciliationStatus(ctx.db, query.date),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/exceptions-by-age',
      operationId: 'exceptionsByAgeReport',
      access: { permission: 'view' },
      summary: 'Open bank exceptions counted by age: 0–1, 2–5, 6–20 and over 20 days',
      tags,
      successStatus: 200,
      success: { description: 'Counts per age bucket', schema: exceptionsByAgeSchema },
      handler: async () => {
        const asOf = businessDateOf(Date.now());
        return { asOf, buckets: await exceptionsByAge(ctx.db, asOf) };
      },
    }),
  ];
}

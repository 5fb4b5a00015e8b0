import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  countReprint,
  getCounterPayment,
  listAssignments,
  newCounterPaymentId,
  putAssignment,
  searchCounterPayments,
  takeCounterPayment,
  voidCounterPayment,
} from '../../db/cashDesk';
import { requireCouncil } from '../../db/councils';
import type { Executor } from '../../db/executor';
import { forgetPayerEmail } from '../../db/payerContacts';
import { councils, funds, offices, vatCodes } from '../../db/schema';
import { businessDateOf } from '../../domain/businessDate';
import { type ReceiptInput, receiptNumberText, receiptRows } from '../../domain/receipt';
import { actorOf, auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { keepPayerEmail, payerEmailCodec } from '../payerEmail';
import { ProblemError } from '../problem';
import { receiptPdf } from '../receiptPdf';
import { defineRoute, replyWith } from '../route';
import {
  cashierBody,
  cashierParams,
  cashierSchema,
  counterPaymentBody,
  counterPaymentParams,
  counterPaymentSchema,
  counterPaymentSearchQuery,
  receiptQuery,
  toCounterPayment,
  voidBody,
} from '../schemas/cashDesk';
import { idempotencyKeyOf } from './suspenseUpdates';

const tags = ['cash desk'];

/** Everything a receipt shows, from the payment and the configuration it names. */
export async function receiptInputOf(
  db: Executor,
  counterPaymentId: string,
  copy: boolean,
): Promise<ReceiptInput | null> {
  const record = await getCounterPayment(db, counterPaymentId);
  if (record === null) return null;
  const { payment, lines } = record;
  const [council] = await db
    .select({ name: councils.name })
    .from(councils)
    .where(eq(councils.id, requireCouncil()));
  const [office] = await db
    .select({ name: offices.name })
    .from(offices)
    .where(eq(offices.code, payment.officeCode));
  const fundNames = new Map((await db.select().from(funds)).map((fund) => [fund.code, fund.name]));
  const rates = new Map(
    (await db.select().from(vatCodes)).map((vat) => [vat.code, vat.rateBasisPoints]),
  );
  return {
    councilName: council?.name ?? '',
    officeName: office?.name ?? payment.officeCode,
    officeCode: payment.officeCode,
    receiptNo: payment.receiptNo,
    takenAt: payment.createdAt.toLocaleString('en-GB', { timeZone: 'Europe/London' }),
    cashier: payment.cashier,
    tenderKind: payment.tenderKind,
    amountPence: payment.amountPence,
    tenderedPence: payment.tenderedPence,
    changePence: payment.changePence,
    chequeNumber: payment.chequeNumber,
    pdqAuthCode: payment.pdqAuthCode,
    state: payment.state,
    copy,
    lines: lines.map((line) => ({
      fundName: fundNames.get(line.fundCode) ?? line.fundCode,
      reference: line.reference,
      narrative: line.narrative,
      amountPence: line.amountPence,
      vatCode: line.vatCode,
      vatRateBasisPoints: rates.get(line.vatCode) ?? 0,
      vatPence: line.vatPence,
    })),
  };
}

export function cashDeskRoutes(ctx: ApiContext) {
  const found = async (id: string) => {
    const record = await getCounterPayment(ctx.db, id);
    if (record === null) throw new ProblemError('not_found', `No counter payment ${id}`);
    return toCounterPayment(record);
  };
  /** A payment with no line in the caller's fund groups is, to them, no payment at all. */
  const inScope = async (id: string, req: Request, res: Response) => {
    const payment = await found(id);
    const scope = await fundAccessOf(ctx, req, res);
    if (!payment.lines.some((line) => scope.allows(line.fundCode)))
      throw new ProblemError('not_found', `No counter payment ${id}`);
    return payment;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/v1/cashiers',
      operationId: 'listCashiers',
      access: { permission: 'view' },
      summary: 'Who takes money at which office, with which methods of payment',
      tags,
      successStatus: 200,
      success: {
        description: 'Every cashier',
        schema: z.object({ cashiers: z.array(cashierSchema) }),
      },
      handler: async () => ({
        cashiers: (await listAssignments(ctx.db)).map(
          ({ actorId, officeCode, methodOfPaymentCodes }) => ({
            actorId,
            officeCode,
            methodOfPaymentCodes,
          }),
        ),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/cashiers/:actorId',
      operationId: 'putCashier',
      access: { permission: 'configure' },
      summary: 'Give a member of staff an office and the methods of payment they may take there',
      tags,
      params: cashierParams,
      body: cashierBody,
      successStatus: 200,
      success: { description: 'The cashier as now configured', schema: cashierSchema },
      errors: { 422: 'An unknown office or method of payment' },
      handler: async ({ params, body, req, res }) => {
        const methods = await ctx.db.query.methodsOfPayment.findMany();
        const problems = body.methodOfPaymentCodes
          .map((code, index) => ({ code, index }))
          .filter(({ code }) => !methods.some((method) => method.code === code))
          .map(({ code, index }) => ({
            field: `body.methodOfPaymentCodes[${index}]`,
            message: `No method of payment ${code}`,
          }));
        const office = await ctx.db.query.offices.findFirst({
          where: eq(offices.code, body.officeCode),
        });
        if (office === undefined)
          problems.push({ field: 'body.officeCode', message: `No office ${body.officeCode}` });
        if (problems.length > 0)
          throw new ProblemError('unprocessable', 'The cashier cannot be configured', problems);
        await putAssignment(
          ctx.db,
          { actorId: params.actorId, ...body },
          auditMetaOf({ req, res }, undefined).actor,
        );
        return { actorId: params.actorId, ...body };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/counter-payments',
      operationId: 'takeCounterPayment',
      access: { permission: 'payment.take' },
      summary:
        'Take a counter or postal payment (cash, cheque, postal order or PDQ card): posted at once, with its receipt number',
      tags,
      idempotencyKey:
        'The same key answers the payment it made (200) instead of taking another; a key used for another basket is refused (422)',
      body: counterPaymentBody,
      successStatus: 201,
      success: { description: 'The payment, posted', schema: counterPaymentSchema },
      errors: {
        403: 'The caller has no office, or may not take this method of payment',
        422: 'A line the money core refuses, a reference twice, a bad tender or write-back',
      },
      handler: async ({ body, req, res }) => {
        const actor = actorOf(req, res);
        (await fundAccessOf(ctx, req, res)).requireAll(
          body.lines.map((line, index) => ({
            field: `body.lines[${index}].fundCode`,
            fundCode: line.fundCode,
          })),
        );
        const id = newCounterPaymentId();
        // Kept before the posting, so the relay that plans the receipt's email finds it.
        const { email, ...basket } = body;
        if (email !== undefined)
          await keepPayerEmail(ctx, payerEmailCodec(ctx), id, email, 'staff');
        const result = await takeCounterPayment(ctx.db, {
          id,
          idempotencyKey: idempotencyKeyOf(req),
          requestHash: createHash('sha256').update(JSON.stringify(basket)).digest('hex'),
          cashier: actor.id,
          methodOfPaymentCode: body.methodOfPaymentCode,
          tender: body.tender,
          lines: body.lines,
          permissions: actor.permissions,
          businessDate: businessDateOf(Date.now()),
        });
        if (email !== undefined && (result.outcome !== 'created' || result.id !== id))
          await forgetPayerEmail(ctx.db, id);
        if (result.outcome === 'key_reused')
          throw new ProblemError(
            'unprocessable',
            `The Idempotency-Key was used for another counter payment, ${result.id}`,
            [{ field: 'headers.idempotency-key', message: 'was used for a different basket' }],
          );
        if (result.outcome === 'refused')
          throw new ProblemError(
            result.status === 403 ? 'forbidden' : 'unprocessable',
            result.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
            result.problems.map((problem) => ({
              field: problem.field === 'actor' ? 'actor' : `body.${problem.field}`,
              message: problem.message,
            })),
          );
        return replyWith(
          await found(result.id),
          { Location: `/v1/counter-payments/${result.id}` },
          result.outcome === 'replayed' ? 200 : 201,
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/counter-payments',
      operationId: 'listCounterPayments',
      access: { permission: 'view' },
      summary: 'Counter payments, newest first, by day, office and cashier',
      tags,
      query: counterPaymentSearchQuery,
      successStatus: 200,
      success: {
        description: 'Counter payments',
        schema: z.object({ counterPayments: z.array(counterPaymentSchema) }),
      },
      handler: async ({ query, req, res }) => {
        const rows = await searchCounterPayments(ctx.db, query);
        const scope = await fundAccessOf(ctx, req, res);
        const payments = await Promise.all(rows.map((row) => found(row.id)));
        return {
          counterPayments: payments.filter((payment) =>
            payment.lines.some((line) => scope.allows(line.fundCode)),
          ),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/counter-payments/:counterPaymentId',
      operationId: 'getCounterPayment',
      access: { permission: 'view' },
      summary: 'A counter payment',
      tags,
      params: counterPaymentParams,
      successStatus: 200,
      success: { description: 'The payment', schema: counterPaymentSchema },
      errors: { 404: 'No such payment' },
      handler: async ({ params, req, res }) => inScope(params.counterPaymentId, req, res),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/counter-payments/:counterPaymentId/void',
      operationId: 'voidCounterPayment',
      access: { permission: 'payment.take' },
      summary: 'Void a counter payment with a reason: its journal is reversed',
      tags,
      params: counterPaymentParams,
      body: voidBody,
      successStatus: 200,
      success: { description: 'The payment, voided', schema: counterPaymentSchema },
      errors: {
        404: 'No such payment',
        409: 'Voided already, or its cash return is submitted or approved',
      },
      handler: async ({ params, body, req, res }) => {
        await inScope(params.counterPaymentId, req, res);
        const result = await voidCounterPayment(ctx.db, {
          id: params.counterPaymentId,
          reason: body.reason,
          actor: actorOf(req, res).id,
          postingDate: businessDateOf(Date.now()),
          requestId: String(res.locals.requestId),
        });
        if (result.outcome === 'not_found')
          throw new ProblemError('not_found', `No counter payment ${params.counterPaymentId}`);
        if (result.outcome === 'conflict')
          throw new ProblemError('conflict', result.message, [
            { field: 'state', message: result.message },
          ]);
        return found(params.counterPaymentId);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/counter-payments/:counterPaymentId/receipt.pdf',
      operationId: 'getCounterPaymentReceiptPdf',
      access: { permission: 'view' },
      summary: 'The receipt as a PDF; `copy=true` prints it again, marked COPY (and counted)',
      tags,
      params: counterPaymentParams,
      query: receiptQuery,
      successStatus: 200,
      success: { description: 'A one-page PDF', contentType: 'application/pdf' },
      errors: { 404: 'No such payment' },
      handler: async ({ params, query, req, res }) => {
        await inScope(params.counterPaymentId, req, res);
        const input = await receiptInputOf(ctx.db, params.counterPaymentId, query.copy);
        if (input === null)
          throw new ProblemError('not_found', `No counter payment ${params.counterPaymentId}`);
        if (query.copy) await countReprint(ctx.db, params.counterPaymentId);
        const number = receiptNumberText(input.officeCode, input.receiptNo);
        res
          .status(200)
          .type('application/pdf')
          .set(
            'Content-Disposition',
            `inline; filename="receipt-${number.replace('/', '-')}${query.copy ? '-copy' : ''}.pdf"`,
          )
          .send(receiptPdf(receiptRows(input), `Receipt ${number}`));
        return undefined;
      },
    }),
  ];
}

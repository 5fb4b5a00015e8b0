import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import {
  getAccountHolder,
  listAccountHolders,
  replaceAccountHolders,
} from '../../db/accountHolders';
import { fundStore } from '../../db/configEntities';
import { normaliseReference, validateReferenceShape } from '../../domain/references';
import { parseAccountHolderCsv } from '../accountHolderCsv';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { mapDatabaseErrors } from '../dbErrors';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { codeSchema, reasonSchema } from '../schemas/common';

/**
 * A fund's list of account holders: loaded whole from the line-of-business system's CSV export,
 * read back one account or one page at a time. Names and addresses are personal data: they
 * are returned to the caller and never logged or audited.
 */

// Mounted on this route only: a 100,000-account file is about 10 MB; JSON routes keep 1 MB.
const readCsvBody = express.text({ limit: '50mb', type: 'text/csv' });

// Enough for someone to see what is wrong with the file without a 100,000-entry problem.
const listedErrorsMax = 100;

async function csvBodyOf(req: Request, res: Response): Promise<string> {
  if (!req.is('text/csv')) {
    throw new ProblemError('unsupported_media_type', 'Send the account holders as text/csv', [
      { field: 'headers.content-type', message: 'must be text/csv' },
    ]);
  }
  await new Promise<void>((resolve, reject) => {
    readCsvBody(req, res, (error?: unknown) => (error === undefined ? resolve() : reject(error)));
  });
  return typeof req.body === 'string' ? req.body : '';
}

export const fundParams = z.object({ code: codeSchema });

const optionalText = z.string().nullable();

export const accountHolderSchema = z
  .object({
    reference: z.string(),
    name: z.string().describe('Display form: the structured name joined, or the loaded name'),
    address: z.string().describe('Display form: the structured address joined, or the loaded one'),
    title: optionalText,
    forenames: optionalText,
    surname: optionalText,
    organisation: optionalText,
    addressLine1: optionalText,
    addressLine2: optionalText,
    town: optionalText,
    postcode: optionalText,
    balancePence: z.number().int().nullable(),
    onStopMessage: z.string().nullable(),
    loadId: z.string(),
    loadedAt: z.string(),
  })
  .meta({ id: 'AccountHolder' });

export async function fundValidatorOf(ctx: ApiContext, code: string) {
  const fund = await fundStore.get(ctx.db, code);
  if (fund === null) throw new ProblemError('not_found', `No fund ${code}`);
  return fund.validator;
}

export function accountHolderRoutes(ctx: ApiContext) {
  /** Account holders are personal data: a fund outside the caller's groups is no fund to them. */
  async function requireFundInScope(fundCode: string, req: Request, res: Response) {
    if (!(await fundAccessOf(ctx, req, res)).allows(fundCode)) {
      throw new ProblemError('not_found', `No fund ${fundCode}`);
    }
  }

  return [
    defineRoute({
      method: 'put',
      path: '/v1/funds/:code/account-holders',
      operationId: 'replaceAccountHolders',
      access: { permission: 'configure' },
      summary:
        'Replace the fund’s account holders with a text/csv file (header reference,name,address,balance_pence,on_stop_message)',
      tags: ['account holders'],
      params: fundParams,
      // The body is the file, so the audit reason rides in the query string (never logged).
      query: z.object({ reason: reasonSchema }),
      successStatus: 200,
      success: {
        description: 'The load: how many accounts now, how many replaced, how many on stop',
        schema: z.object({
          fundCode: z.string(),
          loadId: z.string(),
          rowCount: z.number().int(),
          replacedRowCount: z.number().int(),
          onStopCount: z.number().int(),
        }),
      },
      errors: { 404: 'No such fund', 413: 'The file is over 50 MB', 415: 'Not text/csv' },
      handler: async ({ params, query, req, res }) => {
        const validator = await fundValidatorOf(ctx, params.code);
        const text = await csvBodyOf(req, res);
        const parsed = parseAccountHolderCsv(
          text,
          (reference) => validateReferenceShape(reference, validator)?.message ?? null,
          validator,
        );
        if (parsed.errors.length > 0) {
          const detail = `${parsed.errors.length} problem(s) in the file; nothing was loaded`;
          throw new ProblemError(
            'validation_failed',
            detail,
            parsed.errors.slice(0, listedErrorsMax),
          );
        }
        const meta = auditMetaOf({ req, res }, query.reason);
        const load = await mapDatabaseErrors(() =>
          ctx.db.transaction((tx) => replaceAccountHolders(tx, params.code, parsed.rows, meta)),
        );
        if (load === null) throw new ProblemError('not_found', `No fund ${params.code}`);
        return load;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/funds/:code/account-holders',
      operationId: 'listAccountHolders',
      access: { permission: 'view' },
      summary: 'List the fund’s account holders in reference order',
      tags: ['account holders'],
      params: fundParams,
      query: z.object({
        reference: z.string().max(100).optional().describe('Only references starting with this'),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        after: z.string().max(100).optional().describe('nextAfter from the previous page'),
      }),
      successStatus: 200,
      success: {
        description: 'One page of account holders',
        schema: z.object({ items: z.array(accountHolderSchema), nextAfter: z.string().nullable() }),
      },
      errors: { 404: 'No such fund' },
      handler: async ({ params, query, req, res }) => {
        await requireFundInScope(params.code, req, res);
        const validator = await fundValidatorOf(ctx, params.code);
        const page = await listAccountHolders(ctx.db, params.code, {
          referencePrefix:
            query.reference === undefined
              ? undefined
              : normaliseReference(query.reference, validator),
          afterReference: query.after,
          limit: query.limit,
        });
        return { items: page.items, nextAfter: page.nextReference };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/funds/:code/account-holders/:reference',
      operationId: 'getAccountHolder',
      access: { permission: 'view' },
      summary: 'Read one account holder of the fund',
      tags: ['account holders'],
      params: z.object({ code: codeSchema, reference: z.string().min(1).max(100) }),
      successStatus: 200,
      success: { description: 'The account holder', schema: accountHolderSchema },
      errors: { 404: 'No such fund or account' },
      handler: async ({ params, req, res }) => {
        await requireFundInScope(params.code, req, res);
        const validator = await fundValidatorOf(ctx, params.code);
        const holder = await getAccountHolder(
          ctx.db,
          params.code,
          normaliseReference(params.reference, validator),
        );
        if (holder === null) {
          throw new ProblemError(
            'not_found',
            `No account ${params.reference} in fund ${params.code}`,
          );
        }
        return holder;
      },
    }),
  ];
}

import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  createAccountHolder,
  createOnStopMessage,
  getOnStopMessage,
  type HolderFields,
  listOnStopMessages,
  searchAccountHolders,
  updateAccountHolder,
} from '../../db/accountHolderEdits';
import { postcodeKey } from '../../domain/accountHolders';
import { normaliseReference, validateReferenceShape } from '../../domain/references';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { mapDatabaseErrors } from '../dbErrors';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import {
  createHolderBody,
  createOnStopMessageBody,
  holderSearchQuery,
  onStopMessageSchema,
  updateHolderBody,
} from '../schemas/accountHolders';
import { codeSchema } from '../schemas/common';
import { accountHolderSchema, fundParams, fundValidatorOf } from './accountHolders';

/**
 * Account holders found and kept on screen (docs/account-holders.md): fuzzy search across the
 * caller's funds, one account created or edited with a structured name and address, and on
 * stop with one of the fund's reusable messages. Names and addresses are personal data: they
 * are answered to the caller, never logged or audited.
 */

const foundHolderSchema = accountHolderSchema
  .extend({ fundCode: z.string() })
  .meta({ id: 'FoundAccountHolder' });

type OnStop = { messageCode: string } | { message: string } | null | undefined;

export function accountHolderEditRoutes(ctx: ApiContext) {
  async function requireFundInScope(fundCode: string, req: Request, res: Response) {
    if (!(await fundAccessOf(ctx, req, res)).allows(fundCode))
      throw new ProblemError('not_found', `No fund ${fundCode}`);
  }

  /** The stop's text: a reusable message's, copied, so editing that message later changes no account. */
  async function onStopText(fundCode: string, onStop: OnStop): Promise<string | null | undefined> {
    if (onStop === undefined || onStop === null) return onStop;
    if ('message' in onStop) return onStop.message;
    const found = await getOnStopMessage(ctx.db, fundCode, onStop.messageCode);
    if (found === null) {
      throw new ProblemError('unprocessable', `No on-stop message ${onStop.messageCode}`, [
        { field: 'body.onStop.messageCode', message: `is not one of ${fundCode}'s messages` },
      ]);
    }
    return found.message;
  }

  const holderParams = z.object({ code: codeSchema, reference: z.string().min(1).max(100) });

  return [
    defineRoute({
      method: 'get',
      path: '/v1/account-holders',
      operationId: 'searchAccountHolders',
      access: { permission: 'view' },
      summary:
        'Find account holders across your funds by reference, name, address or postcode (fuzzy: pg_trgm similarity), best match first',
      tags: ['account holders'],
      query: holderSearchQuery,
      successStatus: 200,
      success: {
        description: 'The best matches, at most `limit`',
        schema: z.object({ items: z.array(foundHolderSchema) }),
      },
      handler: async ({ query, req, res }) => {
        const access = await fundAccessOf(ctx, req, res);
        const fundCodes =
          query.fundCode === undefined
            ? access.codes
            : access.allows(query.fundCode)
              ? [query.fundCode]
              : [];
        const items = await searchAccountHolders(ctx.db, {
          text: query.q,
          postcodeKey: query.postcode === undefined ? undefined : postcodeKey(query.postcode),
          fundCodes,
          limit: query.limit,
        });
        return { items };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/funds/:code/account-holders',
      operationId: 'createAccountHolder',
      access: { permission: 'configure' },
      summary: 'Add one account holder to the fund, with a structured name and address',
      tags: ['account holders'],
      params: fundParams,
      body: createHolderBody,
      successStatus: 201,
      success: { description: 'The new account holder', schema: accountHolderSchema },
      errors: {
        404: 'No such fund',
        409: 'The fund already has this reference',
        422: 'A reference the fund’s validator refuses, or no such on-stop message',
      },
      handler: async ({ params, body, req, res }) => {
        await requireFundInScope(params.code, req, res);
        const validator = await fundValidatorOf(ctx, params.code);
        const shapeProblem = validateReferenceShape(body.reference, validator);
        if (shapeProblem !== null) {
          throw new ProblemError('unprocessable', shapeProblem.message, [
            { field: 'body.reference', message: shapeProblem.message },
          ]);
        }
        const reference = normaliseReference(body.reference, validator);
        const { onStop, reason, reference: _typed, ...fields } = body;
        const holder: HolderFields = {
          ...fields,
          balancePence: fields.balancePence ?? null,
          onStopMessage: (await onStopText(params.code, onStop)) ?? null,
        };
        const created = await mapDatabaseErrors(() =>
          ctx.db.transaction((tx) =>
            createAccountHolder(
              tx,
              params.code,
              reference,
              holder,
              auditMetaOf({ req, res }, reason),
            ),
          ),
        );
        if (created === null) {
          throw new ProblemError('conflict', `${params.code} already has account ${reference}`, [
            { field: 'body.reference', message: 'is already an account of this fund' },
          ]);
        }
        return replyWith(created, {
          Location: `/v1/funds/${params.code}/account-holders/${encodeURIComponent(reference)}`,
        });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/funds/:code/account-holders/:reference',
      operationId: 'updateAccountHolder',
      access: { permission: 'configure' },
      summary: 'Change an account holder’s name, address, balance or stop (only the fields sent)',
      tags: ['account holders'],
      params: holderParams,
      body: updateHolderBody,
      successStatus: 200,
      success: { description: 'The account holder after the change', schema: accountHolderSchema },
      errors: { 404: 'No such fund or account', 422: 'No such on-stop message' },
      handler: async ({ params, body, req, res }) => {
        await requireFundInScope(params.code, req, res);
        const validator = await fundValidatorOf(ctx, params.code);
        const reference = normaliseReference(params.reference, validator);
        const { onStop, reason, ...fields } = body;
        const patch: Partial<HolderFields> = Object.fromEntries(
          Object.entries(fields).filter(([, value]) => value !== undefined),
        );
        const stopText = await onStopText(params.code, onStop);
        if (stopText !== undefined) patch.onStopMessage = stopText;
        const updated = await ctx.db.transaction((tx) =>
          updateAccountHolder(tx, params.code, reference, patch, auditMetaOf({ req, res }, reason)),
        );
        if (updated === null)
          throw new ProblemError(
            'not_found',
            `No account ${params.reference} in fund ${params.code}`,
          );
        if (updated.surname === null && updated.organisation === null && updated.name === '') {
          throw new ProblemError('unprocessable', 'An account needs a name', [
            { field: 'body.surname', message: 'enter a surname or an organisation' },
          ]);
        }
        return updated;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/funds/:code/on-stop-messages',
      operationId: 'listOnStopMessages',
      access: { permission: 'view' },
      summary: 'The fund’s reusable on-stop messages',
      tags: ['account holders'],
      params: fundParams,
      successStatus: 200,
      success: {
        description: 'Messages in code order',
        schema: z.object({ items: z.array(onStopMessageSchema) }),
      },
      errors: { 404: 'No such fund' },
      handler: async ({ params, req, res }) => {
        await requireFundInScope(params.code, req, res);
        await fundValidatorOf(ctx, params.code);
        return { items: await listOnStopMessages(ctx.db, params.code) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/funds/:code/on-stop-messages',
      operationId: 'createOnStopMessage',
      access: { permission: 'configure' },
      summary: 'Add a reusable on-stop message to the fund',
      tags: ['account holders'],
      params: fundParams,
      body: createOnStopMessageBody,
      successStatus: 201,
      success: { description: 'The message', schema: onStopMessageSchema },
      errors: { 404: 'No such fund', 409: 'The fund already has a message with this code' },
      handler: async ({ params, body, req, res }) => {
        await requireFundInScope(params.code, req, res);
        await fundValidatorOf(ctx, params.code);
        const created = await ctx.db.transaction((tx) =>
          createOnStopMessage(
            tx,
            { fundCode: params.code, code: body.code, message: body.message },
            auditMetaOf({ req, res }, body.reason),
          ),
        );
        if (created === null) {
          throw new ProblemError('conflict', `${params.code} already has message ${body.code}`, [
            { field: 'body.code', message: 'is already used by this fund' },
          ]);
        }
        return created;
      },
    }),
  ];
}

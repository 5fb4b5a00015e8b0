import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { startSuspenseWorkflow } from '../../activities/suspenseStart';
import {
  createManualSuspenseItem,
  getSuspenseItem,
  SuspenseSetupError,
  searchSuspenseItems,
} from '../../db/suspense';
import { businessDateOf } from '../../domain/businessDate';
import { addDays } from '../../domain/settlement';
import {
  addNoteUpdate,
  allocateUpdate,
  approveWriteOffUpdate,
  assignUpdate,
  rejectWriteOffUpdate,
  writeOffUpdate,
} from '../../workflows/suspense';
import { actorOf, auditMetaOf, type Permission } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import {
  allocateBody,
  allocationResultSchema,
  approveBody,
  assignBody,
  createSuspenseBody,
  noteBody,
  suspenseItemSchema,
  suspenseParams,
  suspenseSearchQuery,
  suspenseSummarySchema,
  toSuspenseItem,
  toSuspenseSummary,
  writeOffBody,
} from '../schemas/suspense';
import { ageingFromSettings, runSuspenseUpdate, updateIdOf } from './suspenseUpdates';

const isDefined = <T>(value: T | undefined): value is T => value !== undefined;

export function suspenseRoutes(ctx: ApiContext) {
  const ageing = ageingFromSettings();
  const runUpdate = <Ret, Arg>(
    suspenseId: string,
    update: UpdateDefinition<Ret, [Arg]>,
    arg: Arg,
    updateId: string,
  ) => runSuspenseUpdate(ctx, ageing, suspenseId, update, arg, updateId);

  async function itemView(suspenseId: string) {
    const detail = await getSuspenseItem(ctx.db, suspenseId);
    if (detail === null) throw new ProblemError('not_found', `No suspense item ${suspenseId}`);
    return toSuspenseItem(detail);
  }

  const suspenseKeyDoc =
    'Makes a retried request the same change: a key already applied to this item is not applied again';
  const action = <Body extends z.ZodType, Arg>(spec: {
    path: string;
    operationId: string;
    summary: string;
    body: Body;
    permission: Permission;
    update: UpdateDefinition<unknown, [Arg]>;
    toArg: (body: z.output<Body>, actor: string) => Arg;
  }) =>
    defineRoute({
      method: 'post',
      path: `/v1/suspense/:suspenseId/${spec.path}`,
      operationId: spec.operationId,
      access: { permission: spec.permission },
      summary: spec.summary,
      tags: ['suspense'],
      idempotencyKey: suspenseKeyDoc,
      params: suspenseParams,
      body: spec.body,
      successStatus: 200,
      success: { description: 'The item after the change', schema: suspenseItemSchema },
      errors: {
        403: 'Four-eyes or a missing permission',
        404: 'No such item',
        409: 'The item is closed or busy',
        422: 'Refused by the workflow',
      },
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(req, res);
        await runUpdate(
          params.suspenseId,
          spec.update,
          spec.toArg(body as z.output<Body>, actor.id),
          updateIdOf(req),
        );
        return itemView(params.suspenseId);
      },
    });

  return [
    defineRoute({
      method: 'post',
      path: '/v1/suspense',
      operationId: 'createSuspenseItem',
      access: { permission: 'suspense.work' },
      summary:
        'Put unidentified money into suspense by hand (posts Dr control account / Cr suspense fund)',
      tags: ['suspense'],
      body: createSuspenseBody,
      successStatus: 201,
      success: { description: 'The new item, its workflow started', schema: suspenseItemSchema },
      errors: { 403: 'Missing permission', 422: 'No suspense fund, or not a control account' },
      handler: async ({ body, req, res }) => {
        const item = await createManualSuspenseItem(
          ctx.db,
          {
            ...body,
            receivedDate: body.receivedDate ?? businessDateOf(Date.now()),
            fundCodeHint: body.fundCodeHint ?? null,
          },
          auditMetaOf({ req, res }, body.reason),
        ).catch((error: unknown) => {
          if (error instanceof SuspenseSetupError)
            throw new ProblemError('unprocessable', error.message, [
              { field: `body.${error.field}`, message: error.message },
            ]);
          throw error;
        });
        await startSuspenseWorkflow(ctx.temporal, item, { taskQueue: ctx.taskQueue, ageing });
        return itemView(item.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/suspense',
      operationId: 'listSuspenseItems',
      access: { permission: 'view' },
      summary:
        'Suspense items, newest first, by state, fund, source import, age, overdue, reference, narrative, amount and dates received',
      tags: ['suspense'],
      query: suspenseSearchQuery,
      successStatus: 200,
      success: {
        description: 'One page of items',
        schema: z.object({
          items: z.array(suspenseSummarySchema),
          nextCursor: z.string().nullable(),
        }),
      },
      handler: async ({ query }) => {
        const { minAgeDays, maxAgeDays, receivedFrom, receivedTo, ...rest } = query;
        // Age is counted in calendar days back from today's UK business date, as the dashboard does.
        const today = businessDateOf(Date.now());
        const ageTo = minAgeDays === undefined ? undefined : addDays(today, -minAgeDays);
        const ageFrom = maxAgeDays === undefined ? undefined : addDays(today, -maxAgeDays);
        // An age band and explicit dates together: the narrower of each bound applies.
        const items = (
          await searchSuspenseItems(ctx.db, {
            ...rest,
            receivedTo: [ageTo, receivedTo].filter(isDefined).sort()[0],
            receivedFrom: [ageFrom, receivedFrom].filter(isDefined).sort().at(-1),
          })
        ).map(toSuspenseSummary);
        return {
          items,
          nextCursor: items.length === query.limit ? (items.at(-1)?.suspenseId ?? null) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/suspense/:suspenseId',
      operationId: 'getSuspenseItem',
      access: { permission: 'view' },
      summary: 'A suspense item with its notes, allocations and history',
      tags: ['suspense'],
      params: suspenseParams,
      successStatus: 200,
      success: { description: 'The item', schema: suspenseItemSchema },
      errors: { 404: 'No such item' },
      handler: async ({ params }) => itemView(params.suspenseId),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/suspense/:suspenseId/allocate',
      operationId: 'allocateSuspenseItem',
      access: { permission: 'suspense.work' },
      summary: 'Allocate all or part of what remains, split across up to 20 funds and references',
      tags: ['suspense'],
      idempotencyKey: suspenseKeyDoc,
      params: suspenseParams,
      body: allocateBody,
      successStatus: 200,
      success: {
        description: 'The journal posted and what remains',
        schema: allocationResultSchema,
      },
      errors: {
        404: 'No such item',
        409: 'The item is closed or a write-off awaits approval',
        422: 'The split does not add up, or the money core refused a part',
      },
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(req, res);
        (await fundAccessOf(ctx, req, res)).requireAll(
          body.parts.map((part, index) => ({
            field: `body.parts[${index}].fundCode`,
            fundCode: part.fundCode,
          })),
        );
        const result = await runUpdate(
          params.suspenseId,
          allocateUpdate,
          { ...body, actor: actor.id, permissions: [...actor.permissions] },
          updateIdOf(req),
        );
        return { suspenseId: params.suspenseId, ...result };
      },
    }),
    action({
      path: 'notes',
      operationId: 'addSuspenseNote',
      summary: 'Add a note to an item',
      body: noteBody,
      permission: 'suspense.work',
      update: addNoteUpdate,
      toArg: (body, actor) => ({ actor, text: body.text }),
    }),
    action({
      path: 'assign',
      operationId: 'assignSuspenseItem',
      summary: 'Assign an item to a member of staff',
      body: assignBody,
      permission: 'suspense.work',
      update: assignUpdate,
      toArg: (body, actor) => ({ actor, assignee: body.assignee }),
    }),
    action({
      path: 'write-off',
      operationId: 'requestSuspenseWriteOff',
      summary: 'Ask for what remains to be written off (a second person approves)',
      body: writeOffBody,
      permission: 'suspense.work',
      update: writeOffUpdate,
      toArg: (body, actor) => ({ actor, reason: body.reason }),
    }),
    action({
      path: 'write-off/approve',
      operationId: 'approveSuspenseWriteOff',
      summary: 'Approve the write-off: anyone but the person who asked for it',
      body: approveBody,
      permission: 'writeoff.approve',
      update: approveWriteOffUpdate,
      toArg: (_body, actor) => ({ actor }),
    }),
    action({
      path: 'write-off/reject',
      operationId: 'rejectSuspenseWriteOff',
      summary:
        'Reject the write-off with a reason: the money stays in suspense (anyone but the person who asked)',
      body: writeOffBody,
      permission: 'writeoff.approve',
      update: rejectWriteOffUpdate,
      toArg: (body, actor) => ({ actor, reason: body.reason }),
    }),
  ];
}

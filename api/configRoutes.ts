import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ConfigPatch, ConfigStore } from '../db/configStore';
import { createAudited, updateAudited } from '../db/configWrites';
import type { Executor } from '../db/executor';
import { auditMetaOf } from './actor';
import type { ConfigCheck } from './configChecks';
import type { ApiContext } from './context';
import { mapDatabaseErrors } from './dbErrors';
import { ProblemError } from './problem';
import { type AnyRoute, defineRoute, replyWith } from './route';
import { disabledFilterSchema, reasonSchema } from './schemas/common';

/**
 * The routes of one configuration entity, from one description: list, create, read, change,
 * disable and enable (never delete: journals and audit rows keep pointing at old codes). Every
 * change runs in one transaction with its audit row; database refusals become problems.
 */
export type ConfigRoutesSpec<Input, View> = {
  store: ConfigStore<Input, View>;
  /** Collection path, e.g. `/v1/funds`. */
  path: string;
  tag: string;
  /** Names for operation ids and messages: `Fund` / `Funds` give `createFund`, `listFunds`. */
  noun: string;
  plural: string;
  key: { name: 'code' | 'id'; schema: z.ZodType<string> };
  /** The entity's own fields (no key, no defaults: PATCH must not reset what it omits). */
  fields: z.ZodRawShape;
  view: z.ZodType;
  check?: ConfigCheck;
};

/** `MethodOfPayment` → `method of payment`, for summaries and messages. */
function wordsOf(noun: string): string {
  return noun.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function notFound(noun: string, key: string): ProblemError {
  return new ProblemError('not_found', `No ${wordsOf(noun)} ${key}`);
}

type Body = Record<string, unknown> & { reason?: string };

/** What every route of one entity shares, worked out once from the spec. */
function kitFor<Input, View>(ctx: ApiContext, spec: ConfigRoutesSpec<Input, View>) {
  const { store, key } = spec;
  const write = <T>(work: (tx: Executor) => Promise<T>) =>
    mapDatabaseErrors(() => ctx.db.transaction((tx) => work(tx)));
  const check = spec.check;
  return {
    ctx,
    spec,
    label: wordsOf(spec.noun),
    itemPath: `${spec.path}/:${key.name}`,
    itemParams: { tags: [spec.tag], params: z.object({ [key.name]: key.schema }) },
    keyIn: (params: Record<string, string>) => params[key.name] as string,
    write,
    /** Applies a patch (a change, or disabling) with its audit row, or answers 404. */
    change: (
      keyValue: string,
      patch: Body,
      verb: string,
      input: { req: Request; res: Response },
    ) => {
      const { reason, ...fields } = patch;
      return write(async (tx) => {
        const changed = await updateAudited(
          tx,
          store,
          keyValue,
          fields as ConfigPatch<Input>,
          auditMetaOf(input, reason),
          { verb, check: check && ((merged, sent) => check(tx, merged as Body, sent as Body)) },
        );
        if (changed === null) throw notFound(spec.noun, keyValue);
        return changed;
      });
    },
  };
}

type Kit<Input, View> = ReturnType<typeof kitFor<Input, View>>;

function listRoute<Input, View>({ ctx, spec }: Kit<Input, View>) {
  return defineRoute({
    method: 'get',
    path: spec.path,
    tags: [spec.tag],
    operationId: `list${spec.plural}`,
    access: { permission: 'view' },
    summary: `List ${spec.plural.toLowerCase()}`,
    query: z.object({ disabled: disabledFilterSchema }),
    successStatus: 200,
    success: {
      description: `The ${spec.plural.toLowerCase()}`,
      schema: z.object({ items: z.array(spec.view) }),
    },
    handler: async ({ query }) => ({
      items: await spec.store.list(ctx.db, { disabled: query.disabled }),
    }),
  });
}

function createRoute<Input, View>({ spec, label, write }: Kit<Input, View>) {
  const { store, key } = spec;
  return defineRoute({
    method: 'post',
    path: spec.path,
    tags: [spec.tag],
    operationId: `create${spec.noun}`,
    access: { permission: 'configure' },
    summary: `Create a ${label}`,
    body: z.object({ [key.name]: key.schema, ...spec.fields, reason: reasonSchema }).strict(),
    successStatus: 201,
    success: { description: `The new ${label}`, schema: spec.view },
    errors: { 409: `A ${label} with this ${key.name} already exists` },
    handler: async (input) => {
      const { reason, ...fields } = input.body as Body;
      const created = await write(async (tx) => {
        await spec.check?.(tx, fields, fields);
        return createAudited(tx, store, fields as Input, auditMetaOf(input, reason));
      });
      return replyWith(created, { Location: `${spec.path}/${store.keyOf(fields as Input)}` });
    },
  });
}

function readRoute<Input, View>({
  ctx,
  spec,
  label,
  itemPath,
  itemParams,
  keyIn,
}: Kit<Input, View>) {
  return defineRoute({
    ...itemParams,
    method: 'get',
    path: itemPath,
    operationId: `get${spec.noun}`,
    access: { permission: 'view' },
    summary: `Read a ${label}`,
    successStatus: 200,
    success: { description: `The ${label}`, schema: spec.view },
    errors: { 404: `No such ${label}` },
    handler: async ({ params }) => {
      const found = await spec.store.get(ctx.db, keyIn(params));
      if (found === null) throw notFound(spec.noun, keyIn(params));
      return found;
    },
  });
}

function updateRoute<Input, View>(kit: Kit<Input, View>) {
  const { spec, label } = kit;
  return defineRoute({
    ...kit.itemParams,
    method: 'patch',
    path: kit.itemPath,
    operationId: `update${spec.noun}`,
    access: { permission: 'configure' },
    summary: `Change a ${label} (fields not sent keep their values)`,
    body: z.object(spec.fields).partial().extend({ reason: reasonSchema }).strict(),
    successStatus: 200,
    success: { description: `The ${label} after the change`, schema: spec.view },
    errors: { 404: `No such ${label}`, 409: 'Conflicts with existing data' },
    handler: async (input) => kit.change(kit.keyIn(input.params), input.body, 'update', input),
  });
}

function toggleRoute<Input, View>(kit: Kit<Input, View>, verb: 'disable' | 'enable') {
  const { spec, label } = kit;
  return defineRoute({
    ...kit.itemParams,
    method: 'post',
    path: `${kit.itemPath}/${verb}`,
    operationId: `${verb}${spec.noun}`,
    access: { permission: 'configure' },
    summary: `${verb === 'disable' ? 'Disable' : 'Re-enable'} a ${label}`,
    body: z.object({ reason: reasonSchema }).strict(),
    successStatus: 200,
    success: { description: `The ${label} after the change`, schema: spec.view },
    errors: { 404: `No such ${label}`, 409: 'Conflicts with the current state' },
    handler: async (input) => {
      const patch = { disabled: verb === 'disable', reason: input.body.reason };
      return kit.change(kit.keyIn(input.params), patch, verb, input);
    },
  });
}

export function configRoutes<Input, View>(
  ctx: ApiContext,
  spec: ConfigRoutesSpec<Input, View>,
): AnyRoute[] {
  const kit = kitFor(ctx, spec);
  return [
    listRoute(kit),
    createRoute(kit),
    readRoute(kit),
    updateRoute(kit),
    toggleRoute(kit, 'disable'),
    toggleRoute(kit, 'enable'),
  ];
}

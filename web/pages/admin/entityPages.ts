import type { Request, Response } from 'express';
import type { ApiContext } from '../../../api/context';
import { apiFor } from '../../api';
import { combinedErrors, hasErrors, noErrors } from '../../forms';
import { field, getPage, type Page, param, postPage } from '../../page';
import { render } from '../../render';
import { submitForm } from '../../submit';
import type { Entity } from './entity';
import type { Values } from './fields';
import {
  type FormState,
  fieldMap,
  formView,
  type Mode,
  noticeOf,
  readPosted,
  savedNotice,
  toggleReasonInput,
  valuesFromView,
} from './form';
import { conditionForm, pickConditions, ruleEntity, storedConditions } from './importRules';

/** The pages of one configuration entity: its list, add, change, disable and enable. */

function entityValues(entity: Entity, view: unknown): Values {
  const values = valuesFromView(entity.sections, view);
  if (entity === ruleEntity) Object.assign(values, storedConditions(view));
  return values;
}

async function entityForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  entity: Entity,
  mode: Mode,
  state?: FormState,
) {
  const api = apiFor(ctx, req, res);
  const key = param(req, 'key');
  const [view, lookups, extras] = await Promise.all([
    mode === 'edit'
      ? api<Record<string, unknown>>(`get${entity.noun}`, { params: { [entity.key]: key } })
      : Promise.resolve(null),
    entity.lookups?.(api) ?? Promise.resolve({}),
    (mode === 'edit' && entity.onEditPage?.(api, key, req.query)) || {
      context: {},
      errors: noErrors,
    },
  ]);
  const values = state?.values ?? entityValues(entity, view);
  const errors = combinedErrors(state?.errors ?? noErrors, extras.errors);
  const conditions = entity === ruleEntity ? conditionForm(values) : { values: {}, groups: [] };
  render(
    res,
    'admin/entity-form.njk',
    {
      entity,
      mode,
      key,
      view,
      ...formView(entity.sections, { ...values, ...conditions.values }, lookups, errors, mode),
      conditionGroups: conditions.groups,
      notice: noticeOf(req.query),
      ...extras.context,
    },
    state?.status ?? (hasErrors(extras.errors) ? 400 : 200),
  );
}

async function saveEntity(
  ctx: ApiContext,
  req: Request,
  res: Response,
  entity: Entity,
  mode: Mode,
) {
  const conditions = entity === ruleEntity ? pickConditions(req.body) : {};
  const { values, body, errors } = readPosted(entity.sections, req.body, mode, conditions);
  errors.push(...(entity.finish?.(body, values) ?? []));
  const key = param(req, 'key');
  await submitForm<Record<string, unknown>>(ctx, req, res, {
    checks: errors,
    operationId: mode === 'create' ? `create${entity.noun}` : `update${entity.noun}`,
    input: mode === 'create' ? { body } : { params: { [entity.key]: key }, body },
    fields: fieldMap(entity.sections, entity.extraInputs?.(values)),
    again: (errors, status) => entityForm(ctx, req, res, entity, mode, { values, errors, status }),
    redirect: (saved) => {
      const savedKey = encodeURIComponent(String(saved[entity.key]));
      return `/configuration/${entity.slug}/${savedKey}?notice=${savedNotice(mode)}`;
    },
  });
}

async function toggleEntity(
  ctx: ApiContext,
  req: Request,
  res: Response,
  entity: Entity,
  verb: 'disable' | 'enable',
) {
  const api = apiFor(ctx, req, res);
  const key = param(req, 'key');
  const reason = field(req.body, 'toggleReason');
  await submitForm(ctx, req, res, {
    operationId: `${verb}${entity.noun}`,
    input: { params: { [entity.key]: key }, body: reason === '' ? {} : { reason } },
    fields: toggleReasonInput,
    // The refused button sits on the change form, shown as stored (not as last typed).
    again: async (errors, status) => {
      const view = await api(`get${entity.noun}`, { params: { [entity.key]: key } });
      await entityForm(ctx, req, res, entity, 'edit', {
        values: entityValues(entity, view),
        errors,
        status,
      });
    },
    redirect: `/configuration/${entity.slug}/${encodeURIComponent(key)}?notice=${verb}d`,
  });
}

async function entityList(ctx: ApiContext, req: Request, res: Response, entity: Entity) {
  const found = await apiFor(
    ctx,
    req,
    res,
  )<{ items: Record<string, unknown>[] }>(`list${entity.plural}`);
  render(res, 'admin/entity-list.njk', {
    entity,
    rows: found.items.map((view) => ({
      key: String(view[entity.key]),
      href: `/configuration/${entity.slug}/${encodeURIComponent(String(view[entity.key]))}`,
      disabled: view.disabled === true,
      cells: entity.columns.map((column) => ({
        text: column.value(view),
        numeric: column.numeric === true,
      })),
    })),
    notice: noticeOf(req.query),
  });
}

export function entityPages(ctx: ApiContext, entity: Entity): Page[] {
  const access = { permission: 'configure' } as const;
  const base = `/configuration/${entity.slug}`;
  return [
    getPage(base, access, entity.title, (req, res) => entityList(ctx, req, res, entity)),
    getPage(`${base}/new`, access, `Add a ${entity.singular}`, (req, res) =>
      entityForm(ctx, req, res, entity, 'create'),
    ),
    postPage(`${base}/new`, access, (req, res) => saveEntity(ctx, req, res, entity, 'create')),
    getPage(`${base}/:key`, access, `Change a ${entity.singular}`, (req, res) =>
      entityForm(ctx, req, res, entity, 'edit'),
    ),
    postPage(`${base}/:key`, access, (req, res) => saveEntity(ctx, req, res, entity, 'edit')),
    postPage(`${base}/:key/disable`, access, (req, res) =>
      toggleEntity(ctx, req, res, entity, 'disable'),
    ),
    postPage(`${base}/:key/enable`, access, (req, res) =>
      toggleEntity(ctx, req, res, entity, 'enable'),
    ),
  ];
}

import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { isIsoDate } from '../../domain/financialPeriod';
import { apiFor } from '../api';
import {
  cursorPagination,
  dateFromParts,
  type FilterValues,
  hrefWith,
  selectedFilters,
  tag,
} from '../filters';
import { errorsFromProblem, type FormErrors, noErrors } from '../forms';
import { definePage, field, type Page } from '../page';
import { render } from '../render';

/**
 * The audit trail: who changed what, when and why, newest first, filtered by actor, action
 * (a prefix, so `user.` finds every sign-in and account change), entity and dates. Dates are
 * UK business days: 'from 1 April' starts at midnight in London, whatever the server's zone.
 */
type AuditRecord = {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  before: unknown;
  after: unknown;
};

const pageSize = 50;
const dayMs = 86_400_000;

const filterKeys = [
  'actor',
  'action',
  'entityType',
  'entityId',
  'fromDay',
  'fromMonth',
  'fromYear',
  'toDay',
  'toMonth',
  'toYear',
] as const;

const dateText = (prefix: 'from' | 'to') => (values: FilterValues) =>
  dateFromParts(
    values[`${prefix}Day`] ?? '',
    values[`${prefix}Month`] ?? '',
    values[`${prefix}Year`] ?? '',
  );

const filterTags = [
  tag('Who', 'actor'),
  tag('Action starts with', 'action'),
  tag('Entity type', 'entityType'),
  tag('Entity', 'entityId'),
  { heading: 'From', keys: ['fromDay', 'fromMonth', 'fromYear'], text: dateText('from') },
  { heading: 'To', keys: ['toDay', 'toMonth', 'toYear'], text: dateText('to') },
];

const filterFields = {
  inputs: {
    'query.actor': 'actor',
    'query.action': 'action',
    'query.entityType': 'entityType',
    'query.entityId': 'entityId',
    'query.from': 'from-day',
    'query.to': 'to-day',
    'query.cursor': 'actor',
  },
  labels: {
    actor: 'Who',
    action: 'Action',
    entityType: 'Entity type',
    entityId: 'Entity',
    'from-day': 'From',
    'to-day': 'To',
  },
};

const offsetFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  timeZoneName: 'shortOffset',
});

/** London's offset from UTC at a moment: 0 in winter (GMT), one hour in summer (BST). */
function londonOffsetMs(at: number): number {
  const name = offsetFormat
    .formatToParts(new Date(at))
    .find((part) => part.type === 'timeZoneName');
  const hours = /GMT([+-]\d{1,2})/.exec(name?.value ?? '')?.[1];
  return hours === undefined ? 0 : Number(hours) * 3_600_000;
}

/** Midnight at the start of a business day in London, as an ISO instant. */
export function londonDayStart(date: string): string {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  return new Date(utcMidnight - londonOffsetMs(utcMidnight)).toISOString();
}

/** The last millisecond of a business day in London. */
export function londonDayEnd(date: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
  return new Date(Date.parse(londonDayStart(next)) - 1).toISOString();
}

/** A date as the API's bound; a malformed one goes as typed, so the API names the field. */
const bound = (date: string, edge: (valid: string) => string) =>
  date === '' ? '' : isIsoDate(date) ? edge(date) : date;

const json = (value: unknown) =>
  value === null || value === undefined ? null : JSON.stringify(value, null, 2);

async function searchPage(ctx: ApiContext, req: Request, res: Response) {
  const values: FilterValues = Object.fromEntries(
    filterKeys.map((key) => [key, field(req.query, key)]),
  );
  const before = field(req.query, 'before');
  const query = Object.fromEntries(
    Object.entries({
      actor: values.actor,
      action: values.action,
      entityType: values.entityType,
      entityId: values.entityId,
      from: bound(dateText('from')(values), londonDayStart),
      to: bound(dateText('to')(values), londonDayEnd),
      cursor: before,
      limit: String(pageSize),
    }).filter(([, value]) => value !== ''),
  );
  let errors: FormErrors = noErrors;
  let page: { items: AuditRecord[]; nextCursor: string | null } = { items: [], nextCursor: null };
  try {
    page = await apiFor(ctx, req, res)('searchAudit', { query });
  } catch (error) {
    if (!(error instanceof ProblemError) || error.code !== 'validation_failed') throw error;
    errors = errorsFromProblem(error, filterFields);
  }
  render(
    res,
    'audit/search.njk',
    {
      values,
      errors,
      records: page.items.map((record) => ({
        ...record,
        beforeJson: json(record.before),
        afterJson: json(record.after),
        entityHref: hrefWith('/audit', {
          entityType: record.entityType,
          entityId: record.entityId,
        }),
      })),
      selectedFilters: selectedFilters('/audit', values, filterTags),
      pagination: cursorPagination('/audit', values, before, page.nextCursor),
    },
    errors.list.length > 0 ? 400 : 200,
  );
}

export function auditPages(ctx: ApiContext): Page[] {
  return [
    definePage({
      method: 'get',
      path: '/audit',
      access: { permission: 'audit.read' },
      title: 'Audit trail',
      handler: (req, res) => searchPage(ctx, req, res),
    }),
  ];
}

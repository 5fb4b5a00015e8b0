import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { isIsoDate } from '../../domain/financialPeriod';
import { apiFor } from '../api';
import { dateFilter, dateKeys, dateTag, filterValuesFrom, hrefWith, tag } from '../filters';
import { renderFilteredList } from '../lists';
import { field, getPage, type Page, present } from '../page';

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
  ...dateKeys('from'),
  ...dateKeys('to'),
];

const filterTags = [
  tag('Who', 'actor'),
  tag('Action starts with', 'action'),
  tag('Entity type', 'entityType'),
  tag('Entity', 'entityId'),
  dateTag('From', 'from'),
  dateTag('To', 'to'),
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
  const values = filterValuesFrom(req.query, filterKeys);
  const before = field(req.query, 'before');
  const query = present({
    actor: values.actor,
    action: values.action,
    entityType: values.entityType,
    entityId: values.entityId,
    from: bound(dateFilter(values, 'from'), londonDayStart),
    to: bound(dateFilter(values, 'to'), londonDayEnd),
    cursor: before,
    limit: String(pageSize),
  });
  await renderFilteredList(res, {
    path: '/audit',
    template: 'audit/search.njk',
    values,
    before,
    tags: filterTags,
    fields: filterFields,
    load: () =>
      apiFor(
        ctx,
        req,
        res,
      )<{ items: AuditRecord[]; nextCursor: string | null }>('searchAudit', {
        query,
      }),
    empty: { items: [], nextCursor: null },
    view: (page) => ({
      records: page.items.map((record) => ({
        ...record,
        beforeJson: json(record.before),
        afterJson: json(record.after),
        entityHref: hrefWith('/audit', {
          entityType: record.entityType,
          entityId: record.entityId,
        }),
      })),
    }),
  });
}

export function auditPages(ctx: ApiContext): Page[] {
  return [
    getPage('/audit', { permission: 'audit.read' }, 'Audit trail', (req, res) =>
      searchPage(ctx, req, res),
    ),
  ];
}

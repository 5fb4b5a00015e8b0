import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { allocationPartsMax } from '../../domain/suspense';
import { apiFor } from '../api';
import { type FormErrors, noErrors } from '../forms';
import { fundSelectItems, fundsInScope } from '../funds';
import { noticeFor } from '../notices';
import { field, param } from '../page';
import { render } from '../render';
import { describeDetail, humanise, item, newestFirst } from '../timeline';

/**
 * One suspense item with every way of working it on one page: notes, assignment, a split
 * allocation, write-off and its approval. A refused form re-renders this page with its errors.
 */

export type SuspenseItem = {
  suspenseId: string;
  state: string;
  remainingPence: number;
  writeOff: { requestedBy: string; reason: string | null } | null;
  notes: { at: string; actor: string; text: string }[];
  history: { at: string; event: string; actor: string; detail: Record<string, unknown> }[];
};

/** One row of the split allocation form, as typed. */
export type AllocationRow = { fundCode: string; reference: string; amount: string };

/** Rows shown before anyone asks for more: most splits are two or three ways. */
export const initialRows = 3;
export const rowsMax = allocationPartsMax;

export function blankRows(count = initialRows): AllocationRow[] {
  return Array.from({ length: count }, () => ({ fundCode: '', reference: '', amount: '' }));
}

/** The rows when the account-holder search sent the person back with an account chosen. */
function prefilledRows(query: unknown): AllocationRow[] {
  const rows = blankRows();
  const fundCode = field(query, 'fundCode');
  const reference = field(query, 'reference');
  if (fundCode !== '' || reference !== '') rows[0] = { fundCode, reference, amount: '' };
  return rows;
}

/** What a re-rendered detail page shows of a form that was refused. */
export type DetailForm = {
  errors: FormErrors;
  values: Record<string, string>;
  rows: AllocationRow[];
  status: number;
  /** The row just added by 'Add another row', whose first field takes the focus. */
  focusRow?: number;
};

export async function detailPage(ctx: ApiContext, req: Request, res: Response, form?: DetailForm) {
  const suspenseId = param(req, 'suspenseId');
  const item_ = await apiFor(
    ctx,
    req,
    res,
  )<SuspenseItem>('getSuspenseItem', { params: { suspenseId } });
  const funds = (await fundsInScope(ctx, req, res)).filter((fund) => !fund.isSuspense);
  const rows = form?.rows ?? prefilledRows(req.query);
  render(
    res,
    'suspense/detail.njk',
    {
      item: item_,
      errors: form?.errors ?? noErrors,
      values: form?.values ?? {},
      rows: rows.map((row, index) => ({
        ...row,
        index,
        fundItems: fundSelectItems(funds, row.fundCode, 'Choose a fund'),
        focus: index === form?.focusRow,
      })),
      canAddRow: rows.length < rowsMax,
      notice: noticeFor(req.query),
      notes: newestFirst(item_.notes.map((note) => item(note.at, 'Note', note.text, note.actor))),
      timeline: newestFirst(
        item_.history
          .filter((event) => event.event !== 'note')
          .map((event) =>
            item(event.at, humanise(event.event), describeDetail(event.detail), event.actor),
          ),
      ),
    },
    form?.status ?? 200,
  );
}

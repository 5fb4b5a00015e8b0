import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import type { Permission } from '../../domain/permissions';
import { parsePounds } from '../format';
import { type FormError, formErrors, fourEyesRefusal, oneInput } from '../forms';
import { field, type Page, param, postPage } from '../page';
import { submitForm } from '../submit';
import { type AllocationRow, blankRows, detailPage, initialRows, rowsMax } from './suspenseDetail';

/**
 * Working a suspense item: each form posts here, calls the API (which runs an update on the
 * item's workflow) and comes back to the item; a refusal re-renders the item with the errors.
 */

type Action = {
  path: string;
  operationId: string;
  permission: Permission;
  /** The form's one input, and what the API calls it. */
  input: string;
  apiField: string;
  label: string;
  /** The message when the input is left empty; undefined when it is optional. */
  required?: string;
  notice: string;
  /** The four-eyes refusal, in words, for actions a second person must do. */
  fourEyes?: string;
};

const actions: Action[] = [
  {
    path: 'notes',
    operationId: 'addSuspenseNote',
    permission: 'suspense.work',
    input: 'noteText',
    apiField: 'text',
    label: 'Note',
    required: 'Enter a note',
    notice: 'note',
  },
  {
    path: 'assign',
    operationId: 'assignSuspenseItem',
    permission: 'suspense.work',
    input: 'assignee',
    apiField: 'assignee',
    label: 'Username',
    required: 'Enter the username of the person to assign it to',
    notice: 'assigned',
  },
  {
    path: 'write-off',
    operationId: 'requestSuspenseWriteOff',
    permission: 'suspense.work',
    input: 'writeOffReason',
    apiField: 'reason',
    label: 'Reason for writing off',
    required: 'Enter the reason for writing off the money',
    notice: 'write-off-requested',
  },
  {
    path: 'write-off/approve',
    operationId: 'approveSuspenseWriteOff',
    permission: 'writeoff.approve',
    input: 'approveWriteOffReason',
    apiField: 'reason',
    label: 'Comment',
    notice: 'write-off-approved',
    fourEyes: 'You asked for this write-off, so someone else must approve it',
  },
  {
    path: 'write-off/reject',
    operationId: 'rejectSuspenseWriteOff',
    permission: 'writeoff.approve',
    input: 'rejectWriteOffReason',
    apiField: 'reason',
    label: 'Reason for rejecting',
    required: 'Enter the reason for rejecting the write-off',
    notice: 'write-off-rejected',
    fourEyes: 'You asked for this write-off, so someone else must reject it',
  },
];

function runAction(ctx: ApiContext, spec: Action) {
  return async (req: Request, res: Response) => {
    const suspenseId = param(req, 'suspenseId');
    const value = field(req.body, spec.input);
    const values = { [spec.input]: value };
    await submitForm(ctx, req, res, {
      checks: [
        spec.required !== undefined &&
          value === '' && { input: spec.input, message: spec.required },
      ],
      operationId: spec.operationId,
      input: { params: { suspenseId }, body: value === '' ? {} : { [spec.apiField]: value } },
      fields: oneInput(`body.${spec.apiField}`, spec.input, spec.label),
      explain: (problem) =>
        spec.fourEyes === undefined ? undefined : fourEyesRefusal(problem, spec.fourEyes),
      again: (errors, status) =>
        detailPage(ctx, req, res, { errors, values, rows: blankRows(), status }),
      redirect: `/suspense/${suspenseId}?notice=${spec.notice}`,
    });
  };
}

/** The rows as posted (`fundCode-0`, `reference-0`, `amount-0`, …), at most `rowsMax`. */
function postedRows(body: unknown): AllocationRow[] {
  const count = Math.min(
    Math.max(Number.parseInt(field(body, 'rowCount'), 10) || initialRows, 1),
    rowsMax,
  );
  return Array.from({ length: count }, (_, index) => ({
    fundCode: field(body, `fundCode-${index}`),
    reference: field(body, `reference-${index}`),
    amount: field(body, `amount-${index}`),
  }));
}

const isBlank = (row: AllocationRow) =>
  row.fundCode === '' && row.reference === '' && row.amount === '';

/** Rows filled in, each with its row number (for naming inputs in errors), checked locally. */
function partsOf(rows: AllocationRow[], totalText: string) {
  const errors: FormError[] = [];
  const used = rows.flatMap((row, index) => (isBlank(row) ? [] : [{ row, index }]));
  if (used.length === 0)
    errors.push({ input: 'fundCode-0', message: 'Enter at least one fund, reference and amount' });
  const parts = used.map(({ row, index }) => {
    if (row.fundCode === '')
      errors.push({ input: `fundCode-${index}`, message: `Select a fund for row ${index + 1}` });
    if (row.reference === '')
      errors.push({
        input: `reference-${index}`,
        message: `Enter a reference for row ${index + 1}`,
      });
    const amount = parsePounds(row.amount, `Amount in row ${index + 1}`);
    if (!amount.ok) errors.push({ input: `amount-${index}`, message: amount.message });
    return {
      fundCode: row.fundCode,
      reference: row.reference,
      amountPence: amount.ok ? amount.pence : 0,
    };
  });
  const total = parsePounds(totalText, 'Total to allocate');
  if (!total.ok) errors.push({ input: 'total', message: total.message });
  return {
    errors,
    parts,
    rowOf: used.map(({ index }) => index),
    totalPence: total.ok ? total.pence : 0,
  };
}

/** `body.parts[1].reference` → the input of the second filled-in row. */
function allocationInput(rowOf: number[]) {
  return (apiField: string): string | undefined => {
    const part = /^body\.parts\[(\d+)\]\.(fundCode|reference|amountPence)$/.exec(apiField);
    if (part !== null) {
      const row = rowOf[Number(part[1])];
      const name = part[2] === 'amountPence' ? 'amount' : part[2];
      return row === undefined ? undefined : `${name}-${row}`;
    }
    if (apiField === 'body.parts') return 'fundCode-0';
    if (apiField === 'body.totalPence') return 'total';
    if (apiField === 'body.reason') return 'allocateReason';
    return undefined;
  };
}

function allocationLabels(rows: AllocationRow[]) {
  const labels: Record<string, string> = { total: 'Total to allocate', allocateReason: 'Reason' };
  rows.forEach((_, index) => {
    labels[`fundCode-${index}`] = `Fund in row ${index + 1}`;
    labels[`reference-${index}`] = `Reference in row ${index + 1}`;
    labels[`amount-${index}`] = `Amount in row ${index + 1}`;
  });
  return labels;
}

/**
 * The split allocation. 'Add another row' posts the form back and re-renders it one row longer,
 * with the new row's first field focused, so splitting across more funds needs no JavaScript.
 * Any other post (the Allocate button, or Enter in a field) allocates.
 */
async function allocate(ctx: ApiContext, req: Request, res: Response) {
  const suspenseId = param(req, 'suspenseId');
  const rows = postedRows(req.body);
  const values = {
    total: field(req.body, 'total'),
    allocateReason: field(req.body, 'allocateReason'),
  };
  const again = (errors = formErrors([]), status = 200) =>
    detailPage(ctx, req, res, { errors, values, rows, status });
  if (field(req.body, 'action') === 'addRow') {
    if (rows.length >= rowsMax) return again();
    const focusRow = rows.length;
    return detailPage(ctx, req, res, {
      errors: formErrors([]),
      values,
      rows: [...rows, ...blankRows(1)],
      status: 200,
      focusRow,
    });
  }
  const local = partsOf(rows, values.total);
  await submitForm(ctx, req, res, {
    checks: local.errors,
    operationId: 'allocateSuspenseItem',
    input: {
      params: { suspenseId },
      body: {
        parts: local.parts,
        totalPence: local.totalPence,
        ...(values.allocateReason === '' ? {} : { reason: values.allocateReason }),
      },
    },
    fields: { inputs: allocationInput(local.rowOf), labels: allocationLabels(rows) },
    again: (errors, status) => again(errors, status),
    redirect: `/suspense/${suspenseId}?notice=allocated`,
  });
}

export function suspenseWorkPages(ctx: ApiContext): Page[] {
  return [
    postPage('/suspense/:suspenseId/allocate', { permission: 'suspense.work' }, (req, res) =>
      allocate(ctx, req, res),
    ),
    ...actions.map((spec) =>
      postPage(
        `/suspense/:suspenseId/${spec.path}`,
        { permission: spec.permission },
        runAction(ctx, spec),
      ),
    ),
  ];
}

import { assertBalanced, type LedgerLine } from './ledger';
import { controlAccounts, fundAccountCode } from './ledgerAccounts';
import { formatPounds, pence } from './money';
import { extractVat } from './vat';
import { addWorkingDays, londonMidnightEpochMs } from './workingDays';

/**
 * Suspense: money that could not be identified, parked in the suspense fund until staff
 * allocate it (in one or more parts), refund it, or write it off. Pure rules shared by the
 * SuspenseWorkflow's update validators, its activities and the API.
 */

/**
 * The account reference suspense postings carry: the reference as received, trimmed and
 * upper-cased (as the import pipeline posts it), so a statement of the suspense fund per
 * reference nets each item to what remains.
 */
export function suspenseLedgerReference(receivedReference: string): string {
  return receivedReference.trim().toUpperCase();
}

/** `reversed`: the import that brought the money was reversed, so it left suspense with it. */
export type SuspenseState = 'open' | 'allocated' | 'refunded' | 'written_off' | 'reversed';
export type SuspensePriority = 'normal' | 'high' | 'urgent';

/** A split names at most this many targets: more is a file to import, not a form to fill. */
export const allocationPartsMax = 20;

export type AllocationPart = { fundCode: string; reference: string; amountPence: number };

/** Why an update was refused; `field` is relative to the request body (`parts[1].amountPence`). */
export type UpdateProblem = { field: string; message: string };

/**
 * Failure types an update can end with, mapped by the API to HTTP statuses in one place. The
 * workflow and the API share these names; nothing else may be thrown for a business refusal.
 */
export const updateRefusals = {
  /** The request breaks a rule of its own (sums, amounts, too many parts): 422. */
  invalid: 'InvalidRequest',
  /** The money core refused a target (fund, reference, limits): 422. */
  allocationRefused: 'AllocationRefused',
  /** Four-eyes: the approver is the requester: 403. */
  fourEyes: 'FourEyesRequired',
  /** The item or refund is not in a state that allows this: 409. */
  wrongState: 'WrongState',
} as const;

export type UpdateRefusalType = (typeof updateRefusals)[keyof typeof updateRefusals];

function isWholePence(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * The structural checks an allocation must pass before it may enter the workflow's history.
 *
 * Partial allocation is allowed: the parts may allocate less than remains, leaving the rest in
 * suspense. What they must do is add up, to the penny, to the `totalPence` the user typed as a
 * control total, and that total may not exceed what is available (remaining, less refunds in
 * flight). A typo in one part then shows up as a refusal instead of a wrong remainder.
 */
export function checkSplit(
  request: { parts: readonly AllocationPart[]; totalPence: number },
  availablePence: number,
): UpdateProblem | null {
  const { parts, totalPence } = request;
  if (!Array.isArray(parts) || parts.length === 0)
    return { field: 'parts', message: 'must name at least one fund and reference' };
  if (parts.length > allocationPartsMax)
    return { field: 'parts', message: `must have at most ${allocationPartsMax} parts` };
  let sumPence = 0;
  for (const [index, part] of parts.entries()) {
    if (typeof part.fundCode !== 'string' || part.fundCode.trim() === '')
      return { field: `parts[${index}].fundCode`, message: 'is required' };
    if (typeof part.reference !== 'string' || part.reference.trim() === '')
      return { field: `parts[${index}].reference`, message: 'is required' };
    if (!isWholePence(part.amountPence))
      return { field: `parts[${index}].amountPence`, message: 'must be a positive whole number' };
    sumPence += part.amountPence;
  }
  if (!isWholePence(totalPence))
    return { field: 'totalPence', message: 'must be a positive whole number' };
  if (sumPence !== totalPence) {
    return {
      field: 'totalPence',
      message: `the parts add up to ${poundsOf(sumPence)}, not ${poundsOf(totalPence)}`,
    };
  }
  if (totalPence > availablePence) {
    return {
      field: 'totalPence',
      message: `only ${poundsOf(availablePence)} is available to allocate`,
    };
  }
  return null;
}

/** A part after the money core accepted it: reference normalised, VAT known. */
export type CheckedPart = AllocationPart & { vatCode: string; vatRateBasisPoints: number };

/**
 * One balanced journal for an allocation out of suspense: the suspense fund is debited with
 * the total (against the reference the money arrived with), and each target fund credited
 * with its part, net of VAT where the target's income carries VAT.
 */
export function suspenseAllocationLines(
  suspenseFundCode: string,
  receivedReference: string,
  parts: readonly CheckedPart[],
): LedgerLine[] {
  const totalPence = parts.reduce((sum, part) => sum + part.amountPence, 0);
  const lines: LedgerLine[] = [
    {
      accountCode: fundAccountCode(suspenseFundCode),
      debitPence: totalPence,
      creditPence: 0,
      accountReference: suspenseLedgerReference(receivedReference),
    },
  ];
  for (const part of parts) {
    const { netPence, vatPence } = extractVat(part.amountPence, part.vatRateBasisPoints);
    if (netPence > 0) {
      lines.push({
        accountCode: fundAccountCode(part.fundCode),
        debitPence: 0,
        creditPence: netPence,
        accountReference: part.reference,
        vatCode: part.vatCode,
        vatPence,
      });
    }
    if (vatPence > 0) {
      lines.push({
        accountCode: controlAccounts.vatOutput,
        debitPence: 0,
        creditPence: vatPence,
        vatCode: part.vatCode,
      });
    }
  }
  assertBalanced(lines);
  return lines;
}

/** Money arriving in suspense: a control account (usually the bank) against the suspense fund. */
export function suspenseIntakeLines(
  controlAccountCode: string,
  suspenseFundCode: string,
  amountPence: number,
  receivedReference: string,
): LedgerLine[] {
  const lines: LedgerLine[] = [
    { accountCode: controlAccountCode, debitPence: amountPence, creditPence: 0 },
    {
      accountCode: fundAccountCode(suspenseFundCode),
      debitPence: 0,
      creditPence: amountPence,
      accountReference: suspenseLedgerReference(receivedReference),
    },
  ];
  assertBalanced(lines);
  return lines;
}

/** Writing off what remains: out of the suspense fund into the write-off account. */
export function suspenseWriteOffLines(
  suspenseFundCode: string,
  receivedReference: string,
  amountPence: number,
): LedgerLine[] {
  const lines: LedgerLine[] = [
    {
      accountCode: fundAccountCode(suspenseFundCode),
      debitPence: amountPence,
      creditPence: 0,
      accountReference: suspenseLedgerReference(receivedReference),
    },
    { accountCode: controlAccounts.writeOff, debitPence: 0, creditPence: amountPence },
  ];
  assertBalanced(lines);
  return lines;
}

/** Ageing thresholds. `workingDayMs` is for tests: a working day lasts that long, no calendar. */
export type SuspenseAgeing = {
  overdueWorkingDays: number;
  escalateWorkingDays: number;
  workingDayMs?: number;
};

export const defaultSuspenseAgeing: SuspenseAgeing = {
  overdueWorkingDays: 5,
  escalateWorkingDays: 20,
};

/** The priority an item has once it reaches each ageing step. */
export const priorityAtStep: Record<'overdue' | 'escalated', SuspensePriority> = {
  overdue: 'high',
  escalated: 'urgent',
};

export type AgeingStep = keyof typeof priorityAtStep;

/**
 * When an item reaches an ageing step: the start (London midnight) of the day that many
 * working days after it was received; or, in tests, that many `workingDayMs` after its
 * workflow started.
 */
export function ageingDueEpochMs(
  ageing: SuspenseAgeing,
  step: AgeingStep,
  receivedDate: string,
  startedAtMs: number,
): number {
  const workingDays = step === 'overdue' ? ageing.overdueWorkingDays : ageing.escalateWorkingDays;
  if (ageing.workingDayMs !== undefined) return startedAtMs + workingDays * ageing.workingDayMs;
  return londonMidnightEpochMs(addWorkingDays(receivedDate, workingDays));
}

/** A cheap check of free text in an update: present, trimmed, not too long. */
export function textProblem(field: string, value: unknown, lengthMax = 2000): UpdateProblem | null {
  if (typeof value !== 'string' || value.trim() === '') return { field, message: 'is required' };
  if (value.length > lengthMax)
    return { field, message: `must be at most ${lengthMax} characters` };
  return null;
}

/** Amounts in refusals are read by staff: in pounds, as every screen shows money. */
export const poundsOf = (amountPence: number): string => formatPounds(pence(amountPence));

import { formatPounds, pence } from './money';

/**
 * A counter payment's receipt as rows of text, shared by the printable page and the PDF so the
 * two never say different things. A reprint says COPY; a voided payment says VOID.
 */
export type ReceiptInput = {
  councilName: string;
  officeName: string;
  officeCode: string;
  receiptNo: number;
  takenAt: string;
  cashier: string;
  tenderKind: string;
  amountPence: number;
  tenderedPence: number | null;
  changePence: number | null;
  chequeNumber: string | null;
  pdqAuthCode: string | null;
  state: string;
  lines: {
    fundName: string;
    reference: string;
    narrative: string | null;
    amountPence: number;
    vatCode: string;
    vatRateBasisPoints: number;
    vatPence: number;
  }[];
  copy: boolean;
};

export type ReceiptRow = { text: string; amount?: string; bold?: boolean };

const pounds = (amountPence: number) => formatPounds(pence(amountPence));

/** "CC/000042": the office's code and its gap-free number. */
export function receiptNumberText(officeCode: string, receiptNo: number): string {
  return `${officeCode}/${String(receiptNo).padStart(6, '0')}`;
}

const tenderWords: Record<string, string> = {
  cash: 'Cash',
  cheque: 'Cheque',
  postal_order: 'Postal order',
  pdq: 'Card (PDQ terminal)',
};

export function receiptRows(input: ReceiptInput): ReceiptRow[] {
  const rows: ReceiptRow[] = [
    { text: input.councilName, bold: true },
    { text: input.officeName },
    { text: `Receipt ${receiptNumberText(input.officeCode, input.receiptNo)}`, bold: true },
    { text: `Date ${input.takenAt}` },
    { text: `Served by ${input.cashier}` },
  ];
  if (input.copy) rows.push({ text: 'COPY - this receipt has been printed before', bold: true });
  if (input.state === 'voided')
    rows.push({ text: 'VOID - this payment was cancelled', bold: true });
  rows.push({ text: '' });
  for (const line of input.lines) {
    const label = line.amountPence < 0 ? 'Write-back: ' : '';
    rows.push({
      text: `${label}${line.fundName} ${line.reference}`,
      amount: pounds(line.amountPence),
    });
    if (line.narrative) rows.push({ text: `  ${line.narrative}` });
    if (line.vatRateBasisPoints > 0)
      rows.push({
        text: `  includes VAT at ${line.vatRateBasisPoints / 100}% (${line.vatCode})`,
        amount: pounds(line.vatPence),
      });
  }
  rows.push({ text: '' });
  rows.push({ text: 'Total', amount: pounds(input.amountPence), bold: true });
  const vatPence = input.lines.reduce((sum, line) => sum + line.vatPence, 0);
  if (vatPence !== 0) rows.push({ text: 'of which VAT', amount: pounds(vatPence) });
  rows.push({ text: `Paid by ${tenderWords[input.tenderKind] ?? input.tenderKind}` });
  if (input.tenderedPence !== null)
    rows.push({ text: 'Tendered', amount: pounds(input.tenderedPence) });
  if (input.changePence !== null) rows.push({ text: 'Change', amount: pounds(input.changePence) });
  if (input.chequeNumber !== null) rows.push({ text: `Number ${input.chequeNumber}` });
  if (input.pdqAuthCode !== null) rows.push({ text: `Authorisation code ${input.pdqAuthCode}` });
  return rows;
}

import { type ImportProfile, parserFor } from './imports';
import type { ImportLineError, ImportRow } from './imports/types';

/**
 * What a profile makes of a sample file, before anyone saves it or imports through it: the
 * first rows it reads, how many in all with their total, and every error by line, exactly as
 * an import would parse the file (the same parser).
 */
export type ImportPreview = {
  rows: Pick<
    ImportRow,
    'lineNo' | 'reference' | 'amountPence' | 'narrative' | 'transactionDate' | 'fundCode'
  >[];
  rowCount: number;
  totalPence: number;
  errors: ImportLineError[];
  declaredCount: number | null;
  declaredTotalPence: number | null;
};

export const previewRowsMax = 100;

export async function previewImport(
  profile: ImportProfile,
  sample: string,
): Promise<ImportPreview> {
  const rows: ImportPreview['rows'] = [];
  const summary = await parserFor(profile).parse([sample], (row) => {
    if (rows.length >= previewRowsMax) return;
    const { lineNo, reference, amountPence, narrative, transactionDate, fundCode } = row;
    rows.push({ lineNo, reference, amountPence, narrative, transactionDate, fundCode });
  });
  return {
    rows,
    rowCount: summary.rowCount,
    totalPence: summary.totalPence,
    errors: summary.errors,
    declaredCount: summary.control?.declaredCount ?? null,
    declaredTotalPence: summary.control?.declaredTotalPence ?? null,
  };
}

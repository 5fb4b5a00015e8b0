import type { CouncilConfig, MethodOfPaymentConfig } from './councilConfig';
import { demoFunds } from './demoFunds';

/**
 * The demo council: pure data, seeded into a fresh database so that every screen and flow
 * has something real to work on. Codes and amounts are illustrative, not any council's.
 */

type MethodFlags = Pick<
  MethodOfPaymentConfig,
  'isCard' | 'isCash' | 'isCheque' | 'isRefundable' | 'incursFee' | 'isInternal'
>;

const noFlags: MethodFlags = {
  isCard: false,
  isCash: false,
  isCheque: false,
  isRefundable: false,
  incursFee: false,
  isInternal: false,
};
const card: Partial<MethodFlags> = { isCard: true, isRefundable: true, incursFee: true };
const internal: Partial<MethodFlags> = { isInternal: true };

function method(
  code: string,
  name: string,
  minPence: number,
  maxPence: number,
  flags: Partial<MethodFlags>,
): MethodOfPaymentConfig {
  return { code, name, minPence, maxPence, ...noFlags, ...flags };
}

export const demoCouncil: CouncilConfig = {
  name: 'Demo Borough Council',
  suspenseFundCode: 'SUSP',
  funds: demoFunds,
  methodsOfPayment: [
    method('CSS', 'Card (self-service)', 1, 10_000_000, card),
    method('CPH', 'Card (phone)', 1, 10_000_000, card),
    method('CST', 'Card (staff)', 1, 10_000_000, card),
    method('CSH', 'Cash', 1, 500_000, { isCash: true }),
    method('CHQ', 'Cheque', 1, 100_000_000, { isCheque: true }),
    method('PO', 'Post Office', 1, 100_000, { isCash: true, incursFee: true }),
    method('PP', 'PayPoint', 1, 100_000, { isCash: true, incursFee: true }),
    method('BT', 'Bank transfer', 1, 1_000_000_000, { isRefundable: true }),
    method('DD', 'Direct Debit', 1, 100_000_000, {}),
    method('JNL', 'Journal', 1, 1_000_000_000, internal),
    method('JRA', 'Journal re-allocation', 1, 1_000_000_000, internal),
    method('TIN', 'Transfer in', 1, 1_000_000_000, internal),
    method('TOUT', 'Transfer out', 1, 1_000_000_000, internal),
  ],
  vatCodes: [
    { code: 'O', name: 'Outside the scope of VAT', rateBasisPoints: 0 },
    { code: 'S', name: 'Standard rate', rateBasisPoints: 2000 },
    { code: 'Z', name: 'Zero rate', rateBasisPoints: 0 },
    { code: 'E', name: 'Exempt', rateBasisPoints: 0 },
  ],
  offices: [
    { code: 'CC', name: 'Civic Centre' },
    { code: 'TH', name: 'Town Hall' },
    { code: 'LB', name: 'Central Library' },
    { code: 'WB', name: 'Website' },
    { code: 'TP', name: 'Telephone payments' },
    { code: 'BI', name: 'Batch import' },
  ],
  fundGroups: [
    { code: 'REV', name: 'Revenues', fundCodes: ['CTAX', 'NNDR'] },
    { code: 'PKE', name: 'Parking and enforcement', fundCodes: ['PCN', 'FPN'] },
    { code: 'HSG', name: 'Housing', fundCodes: ['RENT'] },
    { code: 'SUN', name: 'Sundry income', fundCodes: ['SUND', 'LIB'] },
    { code: 'ALL', name: 'All funds', fundCodes: demoFunds.map((fund) => fund.code) },
  ],
  // Business rates before council tax: both are nine digits, and "56" is the narrower shape.
  referenceRoutes: [
    { fundCode: 'NNDR', pattern: '56\\d{7}' },
    { fundCode: 'CTAX', pattern: '\\d{9}' },
    { fundCode: 'PCN', pattern: 'BJ\\d{7}[0-9A]' },
    { fundCode: 'FPN', pattern: 'FP\\d{7}[0-9X]' },
    { fundCode: 'RENT', pattern: '6\\d{10}' },
    { fundCode: 'SUND', pattern: '\\d{8}' },
  ],
};

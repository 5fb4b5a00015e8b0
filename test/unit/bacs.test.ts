// Proves the BACS Standard 18 credit record puts every field at its fixed position and width,
// and that sort codes and account numbers are checked (shape, then Vocalink modulus) first.
import { describe, expect, it } from 'vitest';
import {
  bacsCreditRecord,
  bacsProcessingDay,
  bacsText,
  checkBankAccount,
  normaliseSortCode,
} from '../../domain/bacs';

const originator = { sortCode: '20-00-00', accountNumber: '55779911', name: 'Demo Borough Cncl' };
const destination = { sortCode: '089999', accountNumber: '66374958', accountName: "Jo O'Brien" };

describe('a Standard 18 credit record', () => {
  const record = bacsCreditRecord({
    destination,
    originator,
    amountPence: 12_345,
    reference: 'IMS rfd_123',
  });

  it('is exactly 100 characters with each field in its place', () => {
    expect(record).toHaveLength(100);
    expect(record.slice(0, 6)).toBe('089999');
    expect(record.slice(6, 14)).toBe('66374958');
    expect(record.slice(14, 15)).toBe('0');
    expect(record.slice(15, 17)).toBe('99');
    expect(record.slice(17, 23)).toBe('200000');
    expect(record.slice(23, 31)).toBe('55779911');
    expect(record.slice(31, 35)).toBe('    ');
    expect(record.slice(35, 46)).toBe('00000012345');
    expect(record.slice(46, 64)).toBe('DEMO BOROUGH CNCL ');
    expect(record.slice(64, 82)).toBe('IMS RFD 123       ');
    expect(record.slice(82, 100)).toBe('JO O BRIEN        ');
  });

  it('adds the processing day as " YYDDD" when asked', () => {
    const dated = bacsCreditRecord({
      destination,
      originator,
      amountPence: 1,
      reference: 'R',
      processingDate: '2026-02-01',
    });
    expect(dated).toHaveLength(106);
    expect(dated.slice(100)).toBe(' 26032');
    expect(bacsProcessingDay('2024-12-31')).toBe(' 24366');
  });

  it('refuses zero, fractions, more than 11 digits and bad accounts', () => {
    const base = { destination, originator, reference: 'R' };
    expect(() => bacsCreditRecord({ ...base, amountPence: 0 })).toThrow(RangeError);
    expect(() => bacsCreditRecord({ ...base, amountPence: 1.5 })).toThrow(RangeError);
    expect(() => bacsCreditRecord({ ...base, amountPence: 100_000_000_000 })).toThrow(RangeError);
    expect(() =>
      bacsCreditRecord({
        ...base,
        amountPence: 1,
        destination: { ...destination, accountNumber: '66374959' },
      }),
    ).toThrow(/modulus/);
  });

  it('truncates and cleans free text to BACS characters', () => {
    expect(bacsText('a very long name indeed, truly', 18)).toBe('A VERY LONG NAME I');
    expect(bacsText('Smith & Co. 1/2-b', 18)).toBe('SMITH & CO. 1/2-B ');
  });
});

describe('bank account checks', () => {
  it('accepts pairs from the Vocalink test cases, with separators in the sort code', () => {
    expect(checkBankAccount({ sortCode: '08-99-99', accountNumber: '66374958' })).toBeNull();
    expect(checkBankAccount({ sortCode: '938063', accountNumber: '55065200' })).toBeNull();
    expect(normaliseSortCode('08 99 99')).toBe('089999');
  });

  it('names the sort code when it is not six digits', () => {
    expect(checkBankAccount({ sortCode: '08999', accountNumber: '66374958' })?.field).toBe(
      'sortCode',
    );
  });

  it('names the account number when it is not eight digits or fails the modulus check', () => {
    expect(checkBankAccount({ sortCode: '089999', accountNumber: '6637495' })?.field).toBe(
      'accountNumber',
    );
    expect(checkBankAccount({ sortCode: '089999', accountNumber: '66374959' })).toEqual({
      field: 'accountNumber',
      message: 'does not pass the Vocalink modulus check for this sort code',
    });
  });
});

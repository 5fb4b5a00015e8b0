// Proves that CAMT.053 statements are read entry by entry with exact decimal pence and signs,
// that opening + booked entries must equal closing, and that every fault names its element's
// line and XML path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCamt053Parser, penceToDecimal } from '../../domain/imports';
import { chunked, fixtureText, parseAll, replaceOnce, streamOf, utf8 } from './importsHelpers';

const parser = createCamt053Parser();
const file = fixtureText('statement-20250401.camt053.xml');

function statementWith(entries: string, closing: string, closingIndicator = 'CRDT'): string {
  return `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt>
<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">${closing}</Amt><CdtDbtInd>${closingIndicator}</CdtDbtInd></Bal>
${entries}
</Stmt></BkToCstmrStmt></Document>`;
}

describe('CAMT.053, happy path', () => {
  it('reads each booked entry with its line, signed pence, references and date', async () => {
    const { rows, summary } = await parseAll(parser, streamOf(chunked(utf8(file), 64)));
    expect(summary.errors).toEqual([]);
    expect(summary.rowCount).toBe(4);
    expect(summary.totalPence).toBe(6296);
    expect(summary.control).toMatchObject({
      openingBalancePence: 1_000_000,
      closingBalancePence: 1_006_296,
      statements: [{ lineNo: 5, accountId: 'GB33BUKB20201555555555', entryCount: 4 }],
    });
    expect(rows[0]).toEqual({
      lineNo: 21,
      reference: 'CTAX 123456780',
      amountPence: 12_345,
      narrative: 'CTAX 123456780 J SMITH',
      transactionDate: '2025-04-01',
      fundCode: null,
      channel: 'PMNT/RCDT/ESCT',
      bankReference: 'BR25040100001',
      accountId: 'GB33BUKB20201555555555',
      valueDate: '2025-04-01',
      details: { Ustrd: 'CTAX 123456780 J SMITH' },
      currency: 'GBP',
    });
    // DBIT is money out; Strd/CdtrRefInf/Ref wins over Ustrd; '10.5' is 1050 pence; the
    // pending entry on line 66 is not booked and so is not a row.
    expect(rows.slice(1).map((row) => [row.lineNo, row.reference, row.amountPence])).toEqual([
      [34, 'DDREFUND0001', -5000],
      [44, 'BJ12345673', 1],
      [57, '', -1050],
    ]);
  });

  it('reads namespace prefixes, PRCD as the opening balance and an overdrawn closing', async () => {
    const entry =
      '<c:Ntry xmlns:c="urn:x"><c:Amt Ccy="GBP">2.50</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd>' +
      '<c:BookgDt><c:Dt>2025-04-01</c:Dt></c:BookgDt></c:Ntry>';
    const xml = statementWith(entry, '2.50', 'DBIT');
    const { rows, summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => row.amountPence)).toEqual([-250]);
    expect(summary.control?.closingBalancePence).toBe(-250);
  });

  it('reads any pence amount written as a decimal exactly', () => {
    return fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000_000_000_000 }), async (amountPence) => {
        const amount = penceToDecimal(amountPence, '.');
        const entry = `<Ntry><Amt Ccy="GBP">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2025-04-01</Dt></BookgDt></Ntry>`;
        const { rows, summary } = await parseAll(parser, [statementWith(entry, amount)]);
        expect(summary.errors).toEqual([]);
        expect(rows[0]?.amountPence).toBe(amountPence);
      }),
    );
  });
});

describe('CAMT.053, structurally broken', () => {
  it('names the closing balance line when the statement does not balance by a penny', async () => {
    const { summary } = await parseAll(parser, [replaceOnce(file, '10062.96', '10062.95')]);
    expect(summary.errors).toEqual([
      {
        lineNo: 15,
        field: 'closingBalance',
        message:
          'The statement does not balance: opening 10000.00 + entries 62.96 = 10062.96, but the closing balance is 10062.95 (at Document/BkToCstmrStmt/Stmt[1]/Bal[2])',
      },
    ]);
  });

  it('refuses a currency other than GBP on the entry line, without a derived balance error', async () => {
    const { rows, summary } = await parseAll(parser, [
      replaceOnce(file, '<Amt Ccy="GBP">0.01', '<Amt Ccy="EUR">0.01'),
    ]);
    expect(summary.errors).toEqual([
      {
        lineNo: 44,
        field: 'currency',
        message:
          'The amount is in EUR, but the account GB33BUKB20201555555555 is in GBP (at Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt)',
      },
    ]);
    expect(rows.map((row) => row.lineNo)).toEqual([21, 34, 57]);
  });

  it('reports bad amounts, indicators and dates on their entry lines', async () => {
    let broken = replaceOnce(file, '>123.45<', '>123.456<');
    broken = replaceOnce(
      broken,
      '<Amt Ccy="GBP">50</Amt>\n        <CdtDbtInd>DBIT',
      '<Amt Ccy="GBP">50</Amt>\n        <CdtDbtInd>OUT',
    );
    broken = replaceOnce(broken, '2025-04-01T09:30:00', '2025-02-30T09:30:00');
    const { summary } = await parseAll(parser, [broken]);
    expect(summary.errors).toEqual([
      {
        lineNo: 21,
        field: 'amount',
        message:
          'The amount "123.456" is not a decimal amount (at Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt)',
      },
      {
        lineNo: 34,
        field: 'creditDebit',
        message:
          'CdtDbtInd must be CRDT or DBIT (at Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/CdtDbtInd)',
      },
      {
        lineNo: 44,
        field: 'date',
        message:
          'BookgDt or ValDt must hold a YYYY-MM-DD date (at Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/BookgDt)',
      },
    ]);
  });

  it('reports a missing opening balance on the statement line', async () => {
    const { summary } = await parseAll(parser, [
      replaceOnce(file, '<Cd>OPBD</Cd>', '<Cd>ITBD</Cd>'),
    ]);
    expect(summary.errors).toEqual([
      {
        lineNo: 5,
        field: 'openingBalance',
        message: 'The statement has no opening balance (at Document/BkToCstmrStmt/Stmt[1])',
      },
    ]);
  });

  it('reports XML that is not well formed on its line, and refuses a DOCTYPE', async () => {
    const broken = replaceOnce(
      file,
      '</AcctSvcrRef>\n        <BkTxCd>',
      '</AcctSvcrRef>\n        <BkTxCd',
    );
    const { rows, summary } = await parseAll(parser, [broken]);
    expect(rows).toEqual([]);
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]).toMatchObject({ lineNo: 28, field: 'xml' });
    const withDoctype = file.replace('<Document', '<!DOCTYPE d [<!ENTITY a "aaaa">]>\n<Document');
    expect((await parseAll(parser, [withDoctype])).summary.errors).toEqual([
      { lineNo: 2, field: 'xml', message: 'A DOCTYPE is not accepted in a statement' },
    ]);
  });

  it('reports a document that is not a CAMT.052, .053 or .054 file', async () => {
    const { summary } = await parseAll(parser, ['<Document><Other/></Document>']);
    expect(summary.errors).toEqual([
      {
        lineNo: 1,
        message:
          'No Document/BkToCstmrStmt/Stmt, Document/BkToCstmrAcctRpt/Rpt or Document/BkToCstmrDbtCdtNtfctn/Ntfctn: this is not a CAMT.052, .053 or .054 file',
      },
    ]);
  });

  it('reports invalid UTF-8 bytes on their line and tolerates a BOM', async () => {
    const bytes = utf8(`\uFEFF${file.replace('J SMITH', 'J SMITH ?')}`);
    bytes[bytes.indexOf(0x3f, 100)] = 0xa3;
    const { summary } = await parseAll(parser, streamOf(chunked(bytes, 100)));
    expect(summary.errors).toEqual([
      {
        lineNo: 31,
        field: 'encoding',
        message: 'The line holds bytes that are not valid UTF-8',
      },
    ]);
  });
});

// Proves that each shape of ISO 20022 cash management file a UK bank sends is read: camt.052
// intraday reports without an opening balance, camt.053 files with several statements and
// accounts, camt.054 notifications, batched entries split into their transactions, structured
// and unstructured remittance, namespaces of versions .001.02 to .001.13; and that a foreign
// currency, a batch that does not add up and a cut-short file refuse the whole file, naming the
// line and XML path of each fault. The property: statements written as CAMT read back the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Camt053Profile, createCamt053Parser, penceToDecimal } from '../../domain/imports';
import { parseAll } from './importsHelpers';

const parser = createCamt053Parser();
const ns = (message: string, version: string) =>
  `urn:iso:std:iso:20022:tech:xsd:camt.${message}.001.${version}`;

function amount(pence: number, currency = 'GBP'): string {
  const indicator = pence < 0 ? 'DBIT' : 'CRDT';
  return `<Amt Ccy="${currency}">${penceToDecimal(Math.abs(pence), '.')}</Amt><CdtDbtInd>${indicator}</CdtDbtInd>`;
}

function balance(code: string, pence: number, currency = 'GBP'): string {
  return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>${amount(pence, currency)}<Dt><Dt>2025-04-01</Dt></Dt></Bal>`;
}

function account(id: string, currency = 'GBP'): string {
  return `<Acct><Id><IBAN>${id}</IBAN></Id><Ccy>${currency}</Ccy></Acct>`;
}

function entry(pence: number, inner = '', currency = 'GBP'): string {
  return `<Ntry>${amount(pence, currency)}<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2025-04-01</Dt></BookgDt><ValDt><Dt>2025-04-02</Dt></ValDt>${inner}</Ntry>`;
}

const gb1 = 'GB33BUKB20201555555555';
const gb2 = 'GB94BARC10201530093459';

describe('camt.052 account reports', () => {
  it('reads an intraday report without an opening balance, skipping pending entries', async () => {
    const xml = `<?xml version="1.0"?>
<Document xmlns="${ns('052', '08')}"><BkToCstmrAcctRpt><GrpHdr><MsgId>R1</MsgId></GrpHdr>
<Rpt><Id>RPT-1</Id>${account(gb1)}
${balance('ITBD', 50_000)}
${entry(12_345, '<AcctSvcrRef>BR1</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>CTAX 123456780</Ustrd></RmtInf></TxDtls></NtryDtls>')}
<Ntry>${amount(99_999)}<Sts><Cd>PDNG</Cd></Sts><BookgDt><Dt>2025-04-01</Dt></BookgDt></Ntry>
</Rpt></BkToCstmrAcctRpt></Document>`;
    const { rows, summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([]);
    expect(rows).toEqual([
      {
        lineNo: 5,
        reference: 'CTAX 123456780',
        amountPence: 12_345,
        narrative: 'CTAX 123456780',
        transactionDate: '2025-04-01',
        valueDate: '2025-04-02',
        fundCode: null,
        accountId: gb1,
        currency: 'GBP',
        bankReference: 'BR1',
        details: { Ustrd: 'CTAX 123456780' },
      },
    ]);
    // Without an opening balance nothing can be checked, so the report is not listed.
    expect(summary.control?.statements).toEqual([]);
  });

  it('checks a report that carries an opening and an interim balance, and keeps it as interim', async () => {
    const xml = `<Document xmlns="${ns('052', '02')}"><BkToCstmrAcctRpt><Rpt>${account(gb1)}
${balance('OPBD', 1_000)}${balance('ITBD', 1_500)}${balance('CLAV', 1_400)}
${entry(500)}</Rpt></BkToCstmrAcctRpt></Document>`;
    const { summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([]);
    expect(summary.control?.statements).toEqual([
      {
        lineNo: 1,
        accountId: gb1,
        openingBalancePence: 1_000,
        closingBalancePence: 1_500,
        entryCount: 1,
        currency: 'GBP',
        availableBalancePence: 1_400,
        interim: true,
      },
    ]);
  });
});

describe('camt.053 statements', () => {
  const twoStatements = (secondCurrency = 'GBP') => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${ns('053', '02')}">
<BkToCstmrStmt>
<Stmt><Id>S1</Id><ElctrncSeqNb>101</ElctrncSeqNb>${account(gb1)}
${balance('OPBD', 10_000)}
${balance('CLBD', 10_250)}
${balance('FWAV', 10_300)}
${entry(300)}
${entry(-50)}
</Stmt>
<Stmt><Id>S2</Id><LglSeqNb>7</LglSeqNb><StmtPgntn><PgNb>2</PgNb><LastPgInd>true</LastPgInd></StmtPgntn>${account(gb2, secondCurrency)}
${balance('PRCD', 0, secondCurrency)}
${balance('CLBD', 1_000, secondCurrency)}
${entry(1_000, '', secondCurrency)}
</Stmt>
</BkToCstmrStmt></Document>`;

  it('reads two statements for two accounts, each balanced and listed with its numbers', async () => {
    const { rows, summary } = await parseAll(parser, [twoStatements()]);
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => [row.lineNo, row.accountId, row.amountPence])).toEqual([
      [8, gb1, 300],
      [9, gb1, -50],
      [14, gb2, 1_000],
    ]);
    expect(summary.control?.statements).toEqual([
      {
        lineNo: 4,
        accountId: gb1,
        openingBalancePence: 10_000,
        closingBalancePence: 10_250,
        entryCount: 2,
        currency: 'GBP',
        statementNumber: '101',
        forwardAvailableBalancePence: 10_300,
      },
      {
        lineNo: 11,
        accountId: gb2,
        openingBalancePence: 0,
        closingBalancePence: 1_000,
        entryCount: 1,
        currency: 'GBP',
        statementNumber: '7',
        sequenceNumber: '2',
      },
    ]);
  });

  it('refuses the whole file when one of its two accounts is in euros, naming account and currency', async () => {
    const { rows, summary } = await parseAll(parser, [twoStatements('EUR')]);
    expect(summary.errors).toEqual([
      {
        lineNo: 11,
        field: 'currency',
        message: `The account ${gb2} is in EUR; only GBP is accepted unless the profile lists the account in otherCurrencyAccounts (at Document/BkToCstmrStmt/Stmt[2]/Acct/Ccy)`,
      },
    ]);
    // The sterling account's rows were handed over, but the caller posts nothing on any error.
    expect(rows.every((row) => row.accountId === gb1)).toBe(true);
  });

  it('accepts the euro account when the profile lists it, and refuses it when listed in another currency', async () => {
    const listed: Camt053Profile = { kind: 'camt053', otherCurrencyAccounts: { [gb2]: 'EUR' } };
    const accepted = await parseAll(createCamt053Parser(listed), [twoStatements('EUR')]);
    expect(accepted.summary.errors).toEqual([]);
    expect(accepted.rows.at(-1)).toMatchObject({
      accountId: gb2,
      currency: 'EUR',
      amountPence: 1_000,
    });
    const wrong: Camt053Profile = { kind: 'camt053', otherCurrencyAccounts: { [gb2]: 'USD' } };
    const refused = await parseAll(createCamt053Parser(wrong), [twoStatements('EUR')]);
    expect(refused.summary.errors.map((error) => error.message)).toEqual([
      `The account ${gb2} is in EUR, but the profile's otherCurrencyAccounts lists it in USD (at Document/BkToCstmrStmt/Stmt[2]/Acct/Ccy)`,
    ]);
    expect(() =>
      createCamt053Parser({ kind: 'camt053', otherCurrencyAccounts: { x: 'euro' } }),
    ).toThrow(RangeError);
  });

  it('numbers rows uniquely when a file has no line breaks', async () => {
    const xml = twoStatements().replaceAll('\n', '');
    const { rows, summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => row.lineNo)).toEqual([1, 2, 3]);
  });
});

describe('camt.054 notifications', () => {
  it('reads a notification without balances; NOTPROVIDED is no end-to-end id', async () => {
    const details =
      '<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId><UETR>7f1c2d3e-0000-4000-8000-000000000001</UETR></Refs>' +
      '<RltdPties><Dbtr><Pty><Nm>J SMITH</Nm></Pty></Dbtr></RltdPties>' +
      '<RmtInf><Ustrd>PCN BJ12345673</Ustrd></RmtInf></TxDtls></NtryDtls>';
    const xml = `<Document xmlns="${ns('054', '13')}"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>N1</MsgId></GrpHdr>
<Ntfctn><Id>N1</Id>${account(gb1)}
${entry(3_500, details)}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const { rows, summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lineNo: 3, reference: 'PCN BJ12345673', amountPence: 3_500 });
    expect(rows[0]?.endToEndId).toBeUndefined();
    expect(rows[0]?.details).toEqual({
      Ustrd: 'PCN BJ12345673',
      UETR: '7f1c2d3e-0000-4000-8000-000000000001',
      DbtrNm: 'J SMITH',
    });
  });

  it('refuses a namespace of an unknown version, or one that disagrees with the root', async () => {
    const body = `<BkToCstmrDbtCdtNtfctn><Ntfctn>${account(gb1)}${entry(1)}</Ntfctn></BkToCstmrDbtCdtNtfctn>`;
    const future = await parseAll(parser, [
      `<Document xmlns="${ns('054', '14')}">${body}</Document>`,
    ]);
    expect(future.summary.errors).toEqual([
      {
        lineNo: 1,
        message: `The namespace ${ns('054', '14')} is not camt.052, camt.053 or camt.054 of version .001.02 to .001.13`,
      },
    ]);
    const other = await parseAll(parser, [
      `<Document xmlns="${ns('053', '08')}">${body}</Document>`,
    ]);
    expect(other.summary.errors.map((error) => error.message)).toEqual([
      `The namespace ${ns('053', '08')} is camt.053, but the document holds BkToCstmrDbtCdtNtfctn (camt.054)`,
    ]);
  });
});

describe('batched entries', () => {
  const batch = (parts: [number, string, string][], total: number) => {
    const transactions = parts
      .map(
        ([pence, ref, e2e], index) =>
          `<TxDtls>
<Refs><AcctSvcrRef>TX${index + 1}</AcctSvcrRef><EndToEndId>${e2e}</EndToEndId></Refs>
${index === 1 ? `<AmtDtls><TxAmt>${amount(pence).split('<CdtDbtInd>')[0]}</TxAmt></AmtDtls>` : amount(pence)}
<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls>`,
      )
      .join('\n');
    return `<Document xmlns="${ns('053', '08')}"><BkToCstmrStmt><Stmt>${account(gb1)}
${balance('OPBD', 0)}${balance('CLBD', total)}
<Ntry>${amount(total)}<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2025-04-01</Dt></BookgDt><AcctSvcrRef>BATCH1</AcctSvcrRef>
<NtryDtls><Btch><NbOfTxs>${parts.length}</NbOfTxs></Btch>
${transactions}
</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
  };

  it('splits a batch of three into one row per transaction, each with its own references', async () => {
    const xml = batch(
      [
        [1_000, 'CTAX 123456780', 'E2E-1'],
        [2_500, 'RENT 60000000001', 'NOTPROVIDED'],
        [50, 'BJ12345673', 'E2E-3'],
      ],
      3_550,
    );
    const { rows, summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([]);
    expect(summary.control?.statements?.[0]?.entryCount).toBe(1);
    expect(
      rows.map((row) => [
        row.lineNo,
        row.amountPence,
        row.reference,
        row.bankReference,
        row.endToEndId,
      ]),
    ).toEqual([
      [5, 1_000, 'CTAX 123456780', 'TX1', 'E2E-1'],
      [10, 2_500, 'RENT 60000000001', 'TX2', undefined],
      [15, 50, 'BJ12345673', 'TX3', 'E2E-3'],
    ]);
    expect(rows[0]?.details).toEqual({ CdtrRef: 'CTAX 123456780', CdtrRefTp: 'SCOR' });
  });

  it('refuses a batch whose transactions do not add up to the entry, naming its path', async () => {
    const xml = batch(
      [
        [1_000, 'A', 'E1'],
        [2_500, 'B', 'E2'],
        [49, 'C', 'E3'],
      ],
      3_550,
    );
    const { summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([
      {
        lineNo: 3,
        field: 'amount',
        message:
          'The 3 transactions add up to 35.49, but the entry amount is 35.50 (at Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls)',
      },
    ]);
  });
});

describe('remittance information', () => {
  it('keeps structured and several unstructured lines: the creditor reference wins', async () => {
    const details = `<NtryDtls><TxDtls><Refs><EndToEndId>E2E-9</EndToEndId><InstrId>I-9</InstrId></Refs>
<RmtInf><Ustrd>COUNCIL TAX</Ustrd><Ustrd>FLAT 2</Ustrd>
<Strd><RfrdDocInf><Nb>INV-1</Nb></RfrdDocInf><CdtrRefInf><Ref>123456780</Ref></CdtrRefInf><AddtlRmtInf>APRIL</AddtlRmtInf></Strd>
<Strd><CdtrRefInf><Ref>123456781</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>`;
    const xml = `<Document xmlns="${ns('053', '13')}"><BkToCstmrStmt><Stmt>${account(gb1)}
${balance('OPBD', 0)}${balance('CLBD', 100)}${entry(100, details)}</Stmt></BkToCstmrStmt></Document>`;
    const { rows, summary } = await parseAll(parser, [xml]);
    expect(summary.errors).toEqual([]);
    expect(rows[0]).toMatchObject({
      reference: '123456780',
      narrative: 'COUNCIL TAX FLAT 2',
      endToEndId: 'E2E-9',
      bankReference: 'E2E-9',
      details: {
        Ustrd: 'COUNCIL TAX FLAT 2',
        CdtrRef: '123456780 123456781',
        RfrdDocNb: 'INV-1',
        AddtlRmtInf: 'APRIL',
        InstrId: 'I-9',
      },
    });
  });
});

describe('malformed files', () => {
  it('refuses a cut-short file, naming what is left open', async () => {
    const xml = `<Document xmlns="${ns('053', '08')}"><BkToCstmrStmt><Stmt>${account(gb1)}
${balance('OPBD', 0)}
<Ntry><Amt Ccy="GBP">1.00</Amt>`;
    const { rows, summary } = await parseAll(parser, [xml]);
    expect(rows).toEqual([]);
    expect(summary.errors).toEqual([
      {
        lineNo: 3,
        field: 'xml',
        message:
          'The XML ends before Document/BkToCstmrStmt/Stmt/Ntry is closed: the file is cut short',
      },
    ]);
  });
});

type GeneratedEntry = { pence: number; reference: string; parts: number };

const generatedEntry = fc.record({
  pence: fc.integer({ min: -10_000_000, max: 10_000_000 }),
  reference: fc.stringMatching(/^[A-Z0-9]{1,18}$/),
  parts: fc.integer({ min: 1, max: 3 }),
});

/** Splits `pence` into `parts` amounts of its sign that sum to it exactly. */
function partsOf(pence: number, parts: number): number[] {
  const whole = Math.trunc(pence / parts) || 0; // never -0
  return Array.from({ length: parts }, (_, index) =>
    index === 0 ? pence - whole * (parts - 1) : whole,
  );
}

function writeCamt(
  message: string,
  version: string,
  entries: GeneratedEntry[],
  openingPence: number,
): string {
  const kind = {
    '052': ['BkToCstmrAcctRpt', 'Rpt'],
    '053': ['BkToCstmrStmt', 'Stmt'],
    '054': ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'],
  }[message] as [string, string];
  const closingPence = entries.reduce((sum, e) => sum + e.pence, openingPence);
  const balances =
    message === '054' ? '' : `${balance('OPBD', openingPence)}${balance('CLBD', closingPence)}`;
  const ntries = entries.map((e) => {
    const amounts = partsOf(e.pence, e.parts);
    // A split batch needs every part in the entry's direction; mixed signs stay one row.
    const split =
      e.parts > 1 && amounts.every((part) => Math.sign(part) === Math.sign(e.pence) || part === 0);
    const txs = split
      ? amounts.map(
          (part, i) =>
            `<TxDtls>${amount(part)}<RmtInf><Ustrd>${e.reference}-${i}</Ustrd></RmtInf></TxDtls>`,
        )
      : [`<TxDtls><RmtInf><Ustrd>${e.reference}</Ustrd></RmtInf></TxDtls>`];
    return entry(e.pence, `<NtryDtls>${txs.join('\n')}</NtryDtls>`);
  });
  return `<Document xmlns="${ns(message, version)}"><${kind[0]}><${kind[1]}>${account(gb1)}
${balances}
${ntries.join('\n')}
</${kind[1]}></${kind[0]}></Document>`;
}

describe('round trip', () => {
  it('reads back the entries of any statement written as CAMT', () => {
    return fc.assert(
      fc.asyncProperty(
        fc.constantFrom('052', '053', '054'),
        fc.integer({ min: 2, max: 13 }).map((v) => String(v).padStart(2, '0')),
        fc.array(generatedEntry, { maxLength: 12 }),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        async (message, version, entries, openingPence) => {
          const xml = writeCamt(message, version, entries, openingPence);
          const { rows, summary } = await parseAll(parser, [xml]);
          expect(summary.errors).toEqual([]);
          const expected = entries.flatMap((e) => {
            const amounts = partsOf(e.pence, e.parts);
            const split =
              e.parts > 1 &&
              amounts.every((part) => Math.sign(part) === Math.sign(e.pence) || part === 0);
            return split
              ? amounts.map((part, i) => [part, `${e.reference}-${i}`])
              : [[e.pence, e.reference]];
          });
          expect(rows.map((row) => [row.amountPence, row.reference])).toEqual(expected);
          expect(summary.totalPence).toBe(entries.reduce((sum, e) => sum + e.pence, 0));
          expect(new Set(rows.map((row) => row.lineNo)).size).toBe(rows.length);
        },
      ),
    );
  });
});

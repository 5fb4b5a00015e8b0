// A council's CSV set carries the same bundle as its JSON document: the demo council survives a
// round trip, spreadsheet habits (a BOM, CRLF, quoted commas, blank cells) read as meant, and
// every problem is reported at once, naming its file, line and column.
import { describe, expect, it } from 'vitest';
import { councilBundleFromCsv } from '../../api/councilBundleCsv';
import { councilBundleSchema } from '../../api/schemas/councilBundle';
import { councilBundleProblems, demoCouncilBundle } from '../../domain/councilBundle';
import {
  bundleFromCsvFiles,
  type CsvBundleInput,
  type CsvFiles,
  csvFilesFromBundle,
} from '../../domain/councilBundleCsv';
import { demoCouncil } from '../../domain/demoCouncil';

const demo = demoCouncilBundle({ id: 'westmoor', name: 'Westmoor Council' }, demoCouncil);
const demoFiles = () => csvFilesFromBundle(demo);

/** The demo set with one file replaced by these lines (joined with LF, no BOM). */
function withFile(file: string, lines: string[]): CsvFiles {
  return { ...demoFiles(), [file]: `${lines.join('\n')}\n` };
}

const fundHeader = 'code,name,vatCode,maxPence,ledgerCode,costCentre,isSuspense';

function fields(files: CsvFiles): string[] {
  return bundleFromCsvFiles(files).problems.map((problem) => problem.field);
}

describe('round trip', () => {
  it('gives the demo bundle back, equal after the schema parses both', () => {
    const read = bundleFromCsvFiles(demoFiles());
    expect(read.problems).toEqual([]);
    expect(councilBundleSchema.parse(read.bundle)).toEqual(councilBundleSchema.parse(demo));
  });

  it('carries import profiles, import rules and a GL layout, which the demo lacks', () => {
    const bundle: CsvBundleInput = {
      ...demo,
      council: { ...demo.council, requestsPerMinuteMax: 600, importBytesMax: 5_000_000 },
      administrator: { ...demo.administrator, email: 'admin@westmoor.example' },
      importRules: [
        {
          id: 'RENT_BY_PREFIX',
          name: 'Rents start with 6, say "rent", or both',
          position: 1,
          conditionGroups: [[{ field: 'reference', operator: 'matches', value: '^6' }]],
          actions: { setFundCode: 'RENT', setNarrative: 'Routed, by prefix' },
          stopProcessing: true,
        },
      ],
      importProfiles: [
        {
          id: 'bank-csv',
          name: 'Bank CSV',
          kind: 'csv',
          definition: { kind: 'csv', columns: { reference: 'Ref' } },
          methodOfPaymentCode: 'PO',
          clearingAccountCode: 'CTRL:COLLECTION_CLEARING',
        },
      ],
      glLayout: {
        columns: [{ field: 'ledger_code', header: 'Ledger' }],
        dateFormat: 'YYYY-MM-DD',
        signConvention: 'debit_positive',
      },
    };
    const files = csvFilesFromBundle(bundle);
    expect(Object.keys(files)).toContain('import-profiles.csv');
    expect(Object.keys(files)).toContain('gl-layout.json');
    const read = bundleFromCsvFiles(files);
    expect(read.problems).toEqual([]);
    expect(read.bundle).toEqual(bundle);
  });

  it('emits shared validators and a fund’s validatorCode only when the files have them', () => {
    const plain = bundleFromCsvFiles(demoFiles()).bundle;
    expect(plain).not.toHaveProperty('referenceValidators');
    expect((plain.funds as object[])[0]).not.toHaveProperty('validatorCode');
    const files = withFile('reference-validators.csv', [
      'code,name,validatorMinLength,validatorMaxLength,validatorCharacterClass,validatorExamples',
      'EIGHT,Eight digits,8,8,digits,12345678;87654321',
    ]);
    files['funds.csv'] = [
      `${fundHeader},validatorCode`,
      'SUND,Sundry debtors,O,10000000,L4100,FN100,,EIGHT',
    ].join('\r\n');
    const read = bundleFromCsvFiles(files);
    expect(read.problems).toEqual([]);
    expect(read.bundle.referenceValidators).toEqual([
      {
        code: 'EIGHT',
        name: 'Eight digits',
        validator: {
          minLength: 8,
          maxLength: 8,
          characterClass: 'digits',
          examples: ['12345678', '87654321'],
        },
      },
    ]);
    // No validator cells: no validator key at all, not an empty one that would accept anything.
    expect(read.bundle.funds).toEqual([
      {
        code: 'SUND',
        name: 'Sundry debtors',
        vatCode: 'O',
        maxPence: 10_000_000,
        ledgerCode: 'L4100',
        costCentre: 'FN100',
        validatorCode: 'EIGHT',
      },
    ]);
  });
});

describe('what spreadsheets write', () => {
  it('reads a BOM, CRLF, quoted commas and quotes, blank lines, and case-blind headers', () => {
    const files = demoFiles();
    files['offices.csv'] =
      '\uFEFFCode,NAME\r\n"TH","Town Hall, ""Main"" entrance"\r\n\r\nLB,Library\r\n';
    const read = bundleFromCsvFiles(files);
    expect(read.problems).toEqual([]);
    expect(read.bundle.offices).toEqual([
      { code: 'TH', name: 'Town Hall, "Main" entrance' },
      { code: 'LB', name: 'Library' },
    ]);
  });

  it('reads yes/no/Y/N in any case as booleans, and a blank cell as absent', () => {
    const files = withFile('methods-of-payment.csv', [
      'code,name,minPence,maxPence,isCard,isCash,isCheque,isRefundable,incursFee,isInternal',
      'CARD,Card,1,1000000,YES,n,No,y,True,',
    ]);
    expect(bundleFromCsvFiles(files).bundle.methodsOfPayment).toEqual([
      {
        code: 'CARD',
        name: 'Card',
        minPence: 1,
        maxPence: 1_000_000,
        isCard: true,
        isCash: false,
        isCheque: false,
        isRefundable: true,
        incursFee: true,
      },
    ]);
  });

  it('reads a fund group with no funds yet as an empty list', () => {
    const files = withFile('fund-groups.csv', ['code,name,fundCodes', 'NEW,New group,']);
    expect(bundleFromCsvFiles(files).bundle.fundGroups).toEqual([
      { code: 'NEW', name: 'New group', fundCodes: [] },
    ]);
  });

  it('names a row by the line it starts on when a quoted cell runs over lines', () => {
    const lines = ['code,name', 'TH,"Town', 'Hall",extra', 'LB,Library,extra'];
    expect(fields(withFile('offices.csv', lines))).toEqual([
      'offices.csv line 2',
      'offices.csv line 4',
    ]);
    const crlf = { ...demoFiles(), 'offices.csv': lines.join('\r\n') };
    expect(fields(crlf)).toEqual(['offices.csv line 2', 'offices.csv line 4']);
  });
});

describe('problems', () => {
  it('name the file, line and column, every one of them at once', () => {
    const files = withFile('funds.csv', [
      fundHeader,
      'CTAX,Council tax,O,1000000,L1100,RV100,no',
      'PCN,Parking,O,£500,L2100,PE100,no',
      'SUSP,Suspense,O,12.50,L9900,FN900,maybe',
    ]);
    files['vat-codes.csv'] = 'code,name,rateBasisPoints\nS,Standard,20%\n';
    const { problems } = bundleFromCsvFiles(files);
    expect(problems).toEqual([
      {
        field: 'vat-codes.csv line 2, rateBasisPoints',
        message: 'not a whole number',
      },
      {
        field: 'funds.csv line 3, maxPence',
        message: expect.stringMatching(/^not a whole number of pence/),
      },
      {
        field: 'funds.csv line 4, maxPence',
        message: expect.stringMatching(/^not a whole number of pence/),
      },
      {
        field: 'funds.csv line 4, isSuspense',
        message: expect.stringMatching(/^not true or false/),
      },
    ]);
  });

  it('refuse unknown, repeated and missing columns by name, and bad JSON in a JSON cell', () => {
    const files = withFile('funds.csv', [
      'code,name,name,vatCode,maxPence,ledgerCode,colour',
      'CTAX,Council tax,O,1,L1,RV1,red',
    ]);
    files['import-rules.csv'] = 'id,name,position,conditionGroups\nR1,Rule,1,[[{oops}]]\n';
    expect(fields(files)).toEqual([
      'funds.csv line 1, name',
      'funds.csv line 1, colour',
      'funds.csv line 1, costCentre',
      'import-rules.csv line 2, conditionGroups',
    ]);
  });

  it('refuse a missing required file and an unknown file by name, and a council of two rows', () => {
    const { 'funds.csv': _funds, ...files } = demoFiles();
    files['fund.csv'] = 'code\n';
    files['council.csv'] = 'id,name\nwestmoor,Westmoor\neastvale,Eastvale\n';
    const { problems } = bundleFromCsvFiles(files);
    expect(problems).toEqual([
      { field: 'fund.csv', message: expect.stringMatching(/^unknown file/) },
      { field: 'council.csv', message: expect.stringMatching(/exactly one row/) },
      { field: 'funds.csv', message: 'missing file' },
    ]);
  });

  it('refuse a file that is not CSV, and an empty one, on their lines', () => {
    const files = withFile('offices.csv', ['code,name', 'TH,"Town Hall']);
    files['reference-routes.csv'] = '';
    files['gl-layout.json'] = '{';
    expect(fields(files)).toEqual([
      'offices.csv line 2',
      'reference-routes.csv line 1',
      'gl-layout.json',
    ]);
  });

  it('from the schema and the bundle’s own checks are placed by file, line (row) and column', () => {
    const files = withFile('funds.csv', [
      `${fundHeader},validatorMinLength,validatorPattern,validatorCheckDigit`,
      'CTAX,Council tax,O,1000000,L1100,RV100,no,1,,"{""kind"":""luhn"",""x"":1}"',
      'SUSP,Suspense,NOPE,100,L9900,FN900,yes,1,',
      'lower,Bad code,O,100,L9,FN9,,1,',
    ]);
    const outcome = councilBundleFromCsv(files);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((problem) => problem.field)).toEqual([
      'funds.csv line 2 (row 1), validatorCheckDigit (at x)',
      'funds.csv line 4 (row 3), code',
    ]);
    // With the schema satisfied, the bundle's own checks are placed the same way.
    const fixed = withFile('funds.csv', [
      `${fundHeader},validatorMinLength`,
      'CTAX,Council tax,O,1000000,L1100,RV100,no,1',
      'SUSP,Suspense,NOPE,100,L9900,FN900,yes,1',
    ]);
    const read = councilBundleFromCsv(fixed);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const places = councilBundleProblems(read.bundle).map((problem) => read.placeOf(problem.field));
    expect(places).toContain('funds.csv line 3 (row 2), vatCode');
    expect(places).toContain('fund-groups.csv line 2 (row 1), fundCodes (at [1])');
  });

  it('place a council’s problems on its one row, and the GL layout’s inside its JSON', () => {
    const read = bundleFromCsvFiles(demoFiles());
    expect(read.placeOf('council.id')).toBe('council.csv line 2, id');
    expect(read.placeOf('importRules[0].actions.setFundCode')).toBe(
      'import-rules.csv row 1, setFundCode',
    );
    expect(read.placeOf('funds')).toBe('funds.csv');
    expect(read.placeOf('glLayout.columns[0].field')).toBe('gl-layout.json, columns[0].field');
  });
});

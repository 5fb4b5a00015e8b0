import { quoteCell, writeCell } from './bundleCsv/cells';
import {
  bundleFiles,
  type Cells,
  type FileSpec,
  glLayoutFile,
  validatorColumn,
} from './bundleCsv/files';
import { type CsvRow, placeIn, readCsvFile } from './bundleCsv/read';
import type { BundleProblem, CouncilBundle } from './councilBundle';
import type { ReferenceValidator } from './references';

/**
 * A council's bundle as a set of CSV files finance staff can edit in a spreadsheet, one file
 * per list (docs/tenancy.md, "Onboarding from a CSV set"). Reading gives a plain object of the
 * bundle's shape and checks only what the files themselves can get wrong (a cell that is not a
 * number, an unknown column, a missing file); the bundle's schema and `councilBundleProblems`
 * then check it exactly as they check a JSON bundle, and `placeOf` names their problems by
 * file, line and column. Line numbers count the header as line 1.
 */

export type CsvFiles = Record<string, string>;

export type CsvBundle = {
  /** The bundle's shape, not yet validated. Incomplete when there are problems. */
  bundle: Record<string, unknown>;
  /** The files' own problems, every one of them; the bundle is worth validating only without. */
  problems: BundleProblem[];
  /** `funds[2].vatCode` → `funds.csv line 4 (row 3), vatCode`; a field it cannot place, as is. */
  placeOf: (field: string) => string;
};

/** A shared, named validator a fund may refer to by `validatorCode` instead of its own. */
export type NamedReferenceValidator = { code: string; name: string; validator: ReferenceValidator };

type BundleFund = CouncilBundle['funds'][number];

/** What a CSV set can carry: a bundle whose funds may name a shared validator instead. */
export type CsvBundleInput = Omit<CouncilBundle, 'funds'> & {
  funds: Array<
    Omit<BundleFund, 'validator'> & { validator?: ReferenceValidator; validatorCode?: string }
  >;
  referenceValidators?: NamedReferenceValidator[];
};

const knownFiles = [...bundleFiles.map((spec) => spec.file), glLayoutFile];

function readGlLayout(text: string, problems: BundleProblem[]): unknown {
  try {
    // Editors on Windows may save JSON with a byte-order mark, which JSON.parse refuses.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    problems.push({ field: glLayoutFile, message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

function readSingle(spec: FileSpec, rows: CsvRow[], problems: BundleProblem[]): Cells {
  if (rows.length !== 1)
    problems.push({
      field: spec.file,
      message: `must hold exactly one row below the header; it holds ${rows.length}`,
    });
  return spec.toItem(rows[0]?.cells ?? {});
}

export function bundleFromCsvFiles(files: CsvFiles): CsvBundle {
  const problems: BundleProblem[] = [];
  for (const name of Object.keys(files))
    if (!knownFiles.includes(name))
      problems.push({
        field: name,
        message: `unknown file; a council's CSV set holds ${knownFiles.join(', ')}`,
      });
  const bundle: Record<string, unknown> = {};
  const lines = new Map<string, number[]>();
  for (const spec of bundleFiles) {
    const text = files[spec.file];
    if (text === undefined) {
      if (spec.required) problems.push({ field: spec.file, message: 'missing file' });
      continue;
    }
    const rows = readCsvFile(spec, text, problems);
    lines.set(
      spec.key,
      rows.map((row) => row.line),
    );
    bundle[spec.key] = spec.single
      ? readSingle(spec, rows, problems)
      : rows.map((row) => spec.toItem(row.cells));
  }
  const glLayout = files[glLayoutFile];
  if (glLayout !== undefined) bundle.glLayout = readGlLayout(glLayout, problems);
  return { bundle, problems, placeOf: (field) => placeOf(field, lines) };
}

/** `weights.0` inside a JSON cell, as `weights[0]`. */
function pathText(tokens: readonly string[]): string {
  return tokens
    .map((token) => (/^\d+$/.test(token) ? `[${token}]` : `.${token}`))
    .join('')
    .replace(/^\./, '');
}

/** The column a field inside an item came from, and where inside a JSON cell. */
function columnOf(tokens: readonly string[]): string | undefined {
  const [first, second, ...deeper] = tokens;
  if (first === undefined) return undefined;
  if (first === 'validator')
    return second === undefined ? 'validator… columns' : withPath(validatorColumn(second), deeper);
  if (first === 'actions' && second !== undefined) return withPath(second, deeper);
  return withPath(first, tokens.slice(1));
}

const withPath = (column: string, deeper: readonly string[]) =>
  deeper.length === 0 ? column : `${column} (at ${pathText(deeper)})`;

function placeOf(field: string, lines: ReadonlyMap<string, number[]>): string {
  const tokens = field.match(/[^.[\]]+/g) ?? [];
  const [key, index, ...rest] = tokens;
  if (key === 'glLayout')
    return tokens.length === 1
      ? glLayoutFile
      : placeIn(glLayoutFile, undefined, pathText(tokens.slice(1)));
  const spec = bundleFiles.find((candidate) => candidate.key === key);
  if (spec === undefined) return field;
  if (spec.single) return placeIn(spec.file, lines.get(spec.key)?.[0], columnOf(tokens.slice(1)));
  if (index === undefined || !/^\d+$/.test(index)) return spec.file;
  const row = Number(index) + 1;
  const line = lines.get(spec.key)?.[row - 1];
  const where =
    line === undefined ? `${spec.file} row ${row}` : `${spec.file} line ${line} (row ${row})`;
  const column = columnOf(rest);
  return column === undefined ? where : `${where}, ${column}`;
}

function writeFile(spec: FileSpec, items: readonly Cells[]): string {
  const columns = Object.keys(spec.columns);
  const rows = items.map((item) => {
    const cells = spec.fromItem(item);
    return columns.map((column) => quoteCell(writeCell(spec.columns[column]!, cells[column])));
  });
  // The byte-order mark tells Excel the file is UTF-8, so a name like "Café" or "£" opens as
  // written; CRLF is what RFC 4180 and Excel write. Reading accepts both with and without.
  return `\uFEFF${[columns, ...rows].map((row) => row.join(',')).join('\r\n')}\r\n`;
}

/** The bundle as a CSV set (`npm run council -- example-csv`): every required file, with a header. */
export function csvFilesFromBundle(bundle: CsvBundleInput): CsvFiles {
  const files: CsvFiles = {};
  const source = bundle as unknown as Record<string, unknown>;
  for (const spec of bundleFiles) {
    const value = source[spec.key];
    if (value === undefined && !spec.required) continue;
    const items = spec.single ? [value as Cells] : ((value ?? []) as Cells[]);
    files[spec.file] = writeFile(spec, items);
  }
  if (bundle.glLayout !== undefined)
    files[glLayoutFile] = `${JSON.stringify(bundle.glLayout, null, 2)}\n`;
  return files;
}

/** Each file of a CSV set, whether it must be there, and its columns: for documentation. */
export const csvSetFiles: readonly { file: string; required: boolean; columns: string[] }[] = [
  ...bundleFiles.map((spec) => ({
    file: spec.file,
    required: spec.required,
    columns: Object.keys(spec.columns),
  })),
  { file: glLayoutFile, required: false, columns: [] },
];

import type { BundleProblem } from '../councilBundle';
import { isCsvTextRefusal, type CsvTextRecord as ParsedRecord, readCsvText } from '../csvText';
import { readCell } from './cells';
import type { Cells, FileSpec } from './files';

/** One data row: its present cells and the line it starts on (the header is line 1). */
export type CsvRow = { cells: Cells; line: number };

/** `funds.csv line 4, maxPence`: where a problem is, as the problem's `field`. */
export const placeIn = (file: string, line?: number, column?: string) =>
  `${file}${line === undefined ? '' : ` line ${line}`}${column === undefined ? '' : `, ${column}`}`;

function parseRecords(file: string, text: string, problems: BundleProblem[]) {
  const read = readCsvText(text);
  if (!isCsvTextRefusal(read)) return read;
  problems.push({ field: placeIn(file, read.line), message: `not valid CSV: ${read.message}` });
  return null;
}

/**
 * Turns csv-parse's line numbers into the lines a person sees. csv-parse numbers a record by the
 * line it ends on, and counts a CRLF inside a quoted cell as two lines, so every later record is
 * one further off; `crlfSeen` carries that count from record to record.
 */
function lineCounter() {
  let crlfSeen = 0;
  return ({ record, info }: ParsedRecord): number => {
    const text = record.join('');
    const crlf = text.match(/\r\n/g)?.length ?? 0;
    const breaks = text.match(/\r\n|\r|\n/g)?.length ?? 0;
    crlfSeen += crlf;
    return info.lines - crlfSeen - breaks;
  };
}

/** Header names, each known and named once; null when the header cannot be used. */
function readHeader(
  spec: FileSpec,
  header: ParsedRecord,
  line: number,
  problems: BundleProblem[],
): string[] | null {
  // Header names are matched ignoring case: `MaxPence` is what a person meant by `maxPence`.
  const canonical = new Map(Object.keys(spec.columns).map((name) => [name.toLowerCase(), name]));
  const names = header.record.map((name) => canonical.get(name.toLowerCase()) ?? name);
  const before = problems.length;
  names.forEach((name, index) => {
    if (!(name in spec.columns))
      problems.push({
        field: placeIn(spec.file, line, name === '' ? `column ${index + 1}` : name),
        message: `unknown column; ${spec.file} has ${Object.keys(spec.columns).join(', ')}`,
      });
    else if (names.indexOf(name) !== index)
      problems.push({ field: placeIn(spec.file, line, name), message: 'named twice' });
  });
  for (const column of spec.requiredColumns)
    if (!names.includes(column))
      problems.push({ field: placeIn(spec.file, line, column), message: 'missing column' });
  return problems.length === before ? names : null;
}

function readRow(
  spec: FileSpec,
  columns: readonly string[],
  parsed: ParsedRecord,
  line: number,
  problems: BundleProblem[],
): CsvRow {
  const cells: Cells = {};
  if (parsed.record.length > columns.length)
    problems.push({
      field: placeIn(spec.file, line),
      message: `has ${parsed.record.length} cells, but the header names ${columns.length} columns`,
    });
  // A short row is a spreadsheet leaving off trailing empty cells: those are absent.
  columns.forEach((column, index) => {
    const result = readCell(spec.columns[column]!, parsed.record[index] ?? '');
    if (result === undefined) return;
    if ('problem' in result)
      problems.push({ field: placeIn(spec.file, line, column), message: result.problem });
    else cells[column] = result.value;
  });
  return { cells, line };
}

/** Every row of one file, with every problem of it; rows with problems are still answered. */
export function readCsvFile(spec: FileSpec, text: string, problems: BundleProblem[]): CsvRow[] {
  const records = parseRecords(spec.file, text, problems);
  if (records === null) return [];
  const [header, ...rest] = records;
  if (header === undefined) {
    problems.push({
      field: placeIn(spec.file, 1),
      message: 'the file is empty; it needs a header',
    });
    return [];
  }
  const lineOf = lineCounter();
  const columns = readHeader(spec, header, lineOf(header), problems);
  if (columns === null) return [];
  return rest.map((record) => readRow(spec, columns, record, lineOf(record), problems));
}

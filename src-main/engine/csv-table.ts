import Papa from 'papaparse';
import { EngineError, throwIfStopped, type StopCheck } from './errors';

/*
 * Delimited text as numbers, the way physicists' files come: comma-, tab- or semicolon-separated
 * (with decimal commas after semicolons), quoted fields, `#` comments, and numpy.savetxt's header
 * (`# t,q0,q1` above numeric rows). Bad rows are reported by line, never fatal.
 */

export interface BadRow {
  readonly line: number;
  readonly reason: string;
}

export interface CsvTable {
  readonly header: string[];
  readonly units: Record<string, string>;
  /** Rows with their 1-based line numbers; null cells are not numbers. */
  readonly rows: Array<{ line: number; cells: Array<number | null> }>;
  readonly bad: BadRow[];
  readonly delimiter: string;
}

const DELIMITERS = [',', '\t', ';'];

/** The delimiter that splits the first data line into the most fields. */
function detectDelimiter(line: string): string {
  const count = (d: string) => line.split(d).length;
  return DELIMITERS.reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

function toNumber(text: string, decimalComma: boolean): number | null {
  const t = (decimalComma ? text.replace(',', '.') : text).trim();
  const v = t === '' ? NaN : Number(t);
  return Number.isFinite(v) ? v : null;
}

/** "q0 [m]" → name q0, unit m. */
function headerCell(cell: string, units: Record<string, string>): string {
  const m = /^\s*([^[\]]*?)\s*(?:\[([^\]]*)\])?\s*$/.exec(cell);
  const name = (m?.[1] ?? cell).trim();
  if (m?.[2]) units[name] = m[2];
  return name;
}

/**
 * Line number (1-based) of a character offset, for offsets that only grow (Papa's cursor): counts
 * newlines as it goes, so a large file is never scanned ahead of the parse (which can stop).
 */
function lineOf(text: string): (offset: number) => number {
  let line = 1;
  let scanned = 0;
  return (offset) => {
    for (; scanned < offset; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    return line;
  };
}

/**
 * The lines up to and including the first data line (not blank, not a comment), with the offset
 * where each starts: found by scanning, so a 1 GiB file is not split into lines all at once.
 */
function headLines(source: string): { lines: string[]; starts: number[]; first: number } {
  const lines: string[] = [];
  const starts: number[] = [];
  for (let at = 0; at <= source.length;) {
    const end = source.indexOf('\n', at);
    const line = source.slice(at, end < 0 ? source.length : end);
    lines.push(line);
    starts.push(at);
    if (line.trim() !== '' && !line.trimStart().startsWith('#'))
      return { lines, starts, first: lines.length - 1 };
    if (end < 0) break;
    at = end + 1;
  }
  return { lines, starts, first: -1 };
}

export function parseCsv(text: string, shouldStop?: StopCheck): CsvTable {
  const source = text.replace(/^\uFEFF/, '');
  const { lines, starts, first } = headLines(source);
  const isComment = (l: string) => l.trimStart().startsWith('#');
  if (first < 0) throw new EngineError('invalid-csv', 'The CSV is empty');
  const delimiter = detectDelimiter(lines[first]!);
  const decimalComma = delimiter === ';';
  const split = (l: string) =>
    Papa.parse<string[]>(l.replace(/\r$/, ''), { delimiter }).data[0] ?? [];
  // numpy.savetxt writes its header as a comment: take the comment line just above the data
  // when the first line is all numbers and the comment has as many fields.
  const firstCells = split(lines[first]!);
  const numeric = firstCells.every((c) => toNumber(c, decimalComma) !== null);
  const above = first > 0 ? lines[first - 1]!.trimStart().replace(/^#\s*/, '') : '';
  const commentHeader =
    numeric &&
    first > 0 &&
    isComment(lines[first - 1]!) &&
    split(above).length === firstCells.length;
  if (numeric && !commentHeader)
    throw new EngineError(
      'invalid-csv',
      `Line ${first + 1} holds numbers but no column names: add a header line (or numpy.savetxt's header=)`,
    );
  const units: Record<string, string> = {};
  const header = (commentHeader ? split(above) : firstCells).map((c) => headerCell(c, units));
  const dataStart = commentHeader ? first : first + 1;
  // The data begin at the first data line (a comment header) or the line after it.
  const body = source.slice(
    commentHeader ? starts[first]! : starts[first]! + lines[first]!.length + 1,
  );
  const line = lineOf(body);
  const rows: CsvTable['rows'] = [];
  const bad: BadRow[] = [];
  let parsed = 0;
  let stopped = false;
  Papa.parse<string[]>(body, {
    delimiter,
    comments: '#',
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      // A stop check every 2¹⁶ rows; Papa's own abort ends the parse cleanly.
      if ((++parsed & 0xffff) === 0 && shouldStop?.()) {
        stopped = true;
        parser.abort();
        return;
      }
      const parts = result.data;
      const at = dataStart + line(result.meta.cursor - 1);
      if (parts.length !== header.length) {
        bad.push({ line: at, reason: `${parts.length} fields, expected ${header.length}` });
        return;
      }
      const cells = parts.map((p) => toNumber(p, decimalComma));
      const badCol = cells.findIndex((c) => c === null);
      if (badCol >= 0)
        bad.push({
          line: at,
          reason: `"${parts[badCol]!.trim().slice(0, 20)}" in column ${String(header[badCol]).slice(0, 40)} is not a number`,
        });
      else rows.push({ line: at, cells });
    },
  });
  if (stopped) throwIfStopped(() => true, 'Reading the CSV');
  return { header, units, rows, bad, delimiter };
}

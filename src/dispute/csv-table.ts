// Query rows → an evidence CSV file through the report's CSV writer (RFC 4180, cells neutralised against spreadsheet
// formulas). Each file declares its columns and their kinds; decimals are written exactly (canonicalDecimal keeps
// every significant digit) and a value of the wrong type is a programming error, never a silently blank cell.
import { canonicalDecimal } from '../output/format.ts';
import { renderCsv, type CsvCell, type CsvOptions } from '../output/csv.ts';

/**
 * text: a string; decimal: an exact DECIMAL string; integer: a BIGINT string or a safe JS integer (INTEGER
 * columns arrive as numbers); boolean; list: a string array, written space-separated.
 */
export type ColumnKind = 'text' | 'decimal' | 'integer' | 'boolean' | 'list';

export type CsvColumns = readonly (readonly [name: string, kind: ColumnKind])[];

export function renderCsvTable(
  columns: CsvColumns,
  rows: readonly Record<string, unknown>[],
  options: CsvOptions = {},
): string {
  return renderCsv(
    columns.map(([name]) => name),
    rows.map((row) => columns.map(([name, kind]) => cell(name, kind, row[name]))),
    options,
  );
}

function cell(name: string, kind: ColumnKind, value: unknown): CsvCell {
  if (value === null || value === undefined)
    return { type: kind === 'decimal' || kind === 'integer' ? 'number' : 'text', value: null };
  switch (kind) {
    case 'text':
      if (typeof value === 'string') return { type: 'text', value };
      break;
    case 'decimal':
      if (typeof value === 'string') return { type: 'number', value: canonicalDecimal(value) };
      break;
    case 'integer':
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return { type: 'number', value };
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { type: 'number', value: String(value) };
      break;
    case 'boolean':
      if (typeof value === 'boolean') return { type: 'text', value: String(value) };
      break;
    case 'list':
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
        return { type: 'text', value: value.join(' ') };
      }
      break;
  }
  throw new Error(`dispute CSV column ${name}: expected ${kind}, got ${JSON.stringify(value)}`);
}

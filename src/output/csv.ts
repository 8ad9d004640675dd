// A small RFC 4180 writer for findings.csv. Written here rather than with DuckDB COPY because each cell needs the
// spreadsheet-injection rule below, which COPY cannot apply, and rather than with a library because quoting plus
// the rule is a dozen lines.
//
// Spreadsheet safety (OWASP "CSV injection"): a text cell that starts with = + - @ tab or carriage return is
// prefixed with a single quote so Excel, LibreOffice and Sheets show it as text instead of evaluating it. Number
// cells are never prefixed: they are checked to be plain decimals (-?digits[.digits]), which a spreadsheet reads as
// a number, so '-3.5' stays a negative number and cannot carry a formula.
//
// Quoting follows RFC 4180 (comma, quote, CR, LF) and also covers ';' and tab: a spreadsheet whose list separator
// is ';' (most of continental Europe) or tab splits an unquoted 'a;=1+1' into 'a' and a formula cell '=1+1' that
// the leading-character rule never saw. Inside quotes the separator is text whatever the locale.
import { isDecimalText } from '../output/format.ts';

export type CsvCell = { type: 'text'; value: string | null } | { type: 'number'; value: string | null };

const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

/** A text cell as a spreadsheet will read it safely: formula triggers neutralised with a leading quote. */
export function neutraliseText(value: string): string {
  return FORMULA_TRIGGER.test(value) ? `'${value}` : value;
}

export function csvField(cell: CsvCell): string {
  if (cell.value === null) return '';
  let text: string;
  if (cell.type === 'number') {
    if (!isDecimalText(cell.value)) throw new Error(`CSV number cell is not a decimal: ${JSON.stringify(cell.value)}`);
    text = cell.value;
  } else {
    text = neutraliseText(cell.value);
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface CsvOptions {
  /**
   * Start with the UTF-8 byte order mark (default). Excel opens a BOM-less CSV in the machine's legacy code page
   * and garbles Δ, ×, ÷ and non-ASCII names; with the BOM it reads UTF-8. `recon run --no-csv-bom` turns it off for
   * tools that choke on it; `recon findings --output csv` (a pipe, for programs) never writes it.
   */
  bom?: boolean;
}

export const UTF8_BOM = '\uFEFF';

/** Header plus rows, CRLF line ends as RFC 4180 says, and a final CRLF. */
export function renderCsv(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  options: CsvOptions = {},
): string {
  const lines = [header.map((name) => csvField({ type: 'text', value: name })).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${options.bom === false ? '' : UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

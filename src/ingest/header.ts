// Splits a CSV header record into column names. Only the header is parsed in JS; data rows go to DuckDB.
// A header that is not UTF-8 text is refused here, naming what the file looks like instead: DuckDB would
// otherwise reject the header record as a data row and the first data row would stand in for it.
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.ts';

/** What a header's first bytes say the file really is, when it is not UTF-8 CSV text. */
function sniff(bytes: Buffer): string | null {
  const starts = (...prefix: number[]): boolean => prefix.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) {
    return 'the file is UTF-16 (or UTF-32) encoded, not UTF-8: re-save it as UTF-8';
  }
  if (starts(0x1f, 0x8b)) return 'the file is gzip-compressed: name it .csv.gz';
  if (starts(0x50, 0x41, 0x52, 0x31)) return 'the file is Parquet, not CSV: name it .parquet';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'the file is a ZIP archive (an Excel workbook?), not CSV';
  if (bytes.includes(0)) return 'the header contains NUL bytes: a binary file, or UTF-16 without a byte order mark';
  return null;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (only called on invalid input). */
function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

/** Refuses header bytes that are not UTF-8 text (saying what the file looks like instead) or are too long. */
export function checkHeaderBytes(file: string, bytes: Buffer, complete = true): void {
  const where = `${file}: line 1`;
  const looksLike = sniff(bytes);
  if (looksLike) throw new InputError(`${where}: ${looksLike}`);
  if (!complete) throw new InputError(`${where}: the first record is longer than 1 MiB: not an export header`);
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new InputError(
      `${where}: the header is not UTF-8 (byte 0x${byte} at offset ${at}; saved as Latin-1/Windows-1252?): ` +
        're-save the file as UTF-8',
    );
  }
}

/**
 * Column names of a header record (bytes without the line break): UTF-8, BOM and trailing CR removed.
 * `complete` is false when the record was longer than the scan kept (csv-scan.ts HEADER_LIMIT).
 */
export function parseHeader(file: string, bytes: Buffer, complete = true): string[] {
  checkHeaderBytes(file, bytes, complete);
  const where = `${file}: line 1`;
  let text = bytes.toString('utf8');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.trim() === '')
    throw new InputError(`${where}: no header row (the file is empty, or its first line is blank)`);
  const names: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      names.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw new InputError(`${where}: header has an unterminated quote`);
  names.push(field);
  return names;
}

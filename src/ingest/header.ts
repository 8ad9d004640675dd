// Splits a CSV header record into column names. Only the header is parsed in JS; data rows go to DuckDB.
import { InputError } from '../errors.ts';

/** Column names of a header record (bytes without the line break): UTF-8, BOM and trailing CR removed. */
export function parseHeader(file: string, bytes: Buffer): string[] {
  let text = bytes.toString('utf8');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.trim() === '') throw new InputError(`${file}: line 1: no header row (the file is empty)`);
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
  if (quoted) throw new InputError(`${file}: line 1: header has an unterminated quote`);
  names.push(field);
  return names;
}

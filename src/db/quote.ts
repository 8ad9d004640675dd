// The one place identifiers, string literals and file paths are quoted for SQL.
// Values are bound as parameters wherever DuckDB allows it; these helpers are for the places it does not
// (table names, read_csv() column maps built from a header, paths inside DDL).
import { quotedIdentifier, quotedString } from '@duckdb/node-api';

export function quoteIdentifier(name: string): string {
  return quotedIdentifier(name);
}

export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL character cannot appear in a SQL literal');
  return quotedString(value);
}

/** A file path as a SQL string literal. */
export function quotePath(path: string): string {
  return quoteLiteral(path);
}

/** A list of literals, e.g. for read_csv([...]) or IN (...). */
export function quoteLiteralList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`;
}

/**
 * A file path for DuckDB's file readers (read_csv, read_parquet, read_text, read_json), which expand `*`, `?` and
 * `[…]` as glob patterns even in a single bound path: `shares[1].csv` would read `shares1.csv`. Each glob character
 * becomes a one-character class that matches only itself, so the reader opens exactly the file named.
 */
export function literalFilePath(path: string): string {
  return path.replace(/[[*?]/g, (c) => `[${c}]`);
}

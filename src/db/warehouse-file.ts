// What may be passed as --db: a DuckDB database file, or a path that does not exist yet (recon creates it). Anything
// else — an export CSV, a findings JSON, a Parquet file, a gzip, an empty file, a folder — is refused before DuckDB
// sees it: DuckDB would either fail with its own words or, worse, treat it as a new database and overwrite it.
//
// A DuckDB file starts with an 8-byte checksum followed by the magic bytes "DUCK" (DuckDB's storage format header).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../errors.ts';

const MAGIC_OFFSET = 8;
const MAGIC = 'DUCK';

/** Throws InputError (one line, naming the option and what the file looks like) unless `path` may be a warehouse. */
export function checkWarehousePath(path: string, option = '--db'): void {
  if (path === ':memory:') return;
  let size: number;
  let isFile: boolean;
  try {
    const stats = statSync(path);
    size = stats.size;
    isFile = stats.isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // a new warehouse
    throw new InputError(`${option} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const refuse = (what: string): never => {
    throw new InputError(
      `${option} ${path} is not a DuckDB warehouse: ${what}; pass a warehouse file or a path that does not exist yet`,
    );
  };
  if (!isFile) refuse('it is a folder or a device, not a file');
  if (size === 0) refuse('it is empty');
  const head = Buffer.alloc(16);
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new InputError(`${option} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const bytes = head.subarray(0, read);
  if (bytes.subarray(MAGIC_OFFSET, MAGIC_OFFSET + MAGIC.length).toString('latin1') === MAGIC) return;
  refuse(describeFile(bytes));
}

function describeFile(bytes: Buffer): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'it looks like a gzip file';
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return 'it looks like a Parquet file';
  if (bytes.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'it looks like a zip file';
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return 'it looks like a JSON file';
  if (text.startsWith('SQLite format')) return 'it looks like a SQLite database';
  if (/^[\x20-\x7e\t\r\n]+$/.test(bytes.toString('latin1'))) {
    return /[,;\t]/.test(text) ? 'it looks like a CSV file' : 'it looks like a text file';
  }
  return 'it does not start with the DuckDB file header';
}

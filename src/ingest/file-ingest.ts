// Long because staging a file has one path per format (CSV, gzip, Parquet, non-UTF-8 copy); each is short.
// Stages one export data file: one statement (typed-select.ts) has DuckDB read it (read_csv/read_parquet), type
// every row and list its problems, and the result is appended, at its physical lines, to the delivery's temp
// tables (ingest_delivery_row, ingest_delivery_reject). Nothing here touches the
// warehouse's own tables: the delivery's transaction copies the finished rows (delivery.ts). Staging runs outside
// that transaction on purpose — DuckDB reads much faster into committed temp tables than into one transaction's
// local storage. JS only streams bytes for the hash and the line map.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { literalFilePath } from '../db/quote.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError, SqlError, errorMessage } from '../errors.ts';
import { parseUnitOfMeasure } from '../billing/units.ts';
import { MAX_RECORD_BYTES, scanCsv, type CsvScan } from './csv-scan.ts';
import { mapColumns, type ColumnMap } from './dialects.ts';
import { hashFile } from './hash.ts';
import { checkHeaderBytes, parseHeader } from './header.ts';
import type { FileFormat } from './inputs.ts';
import { csvSource, parquetSource, typedTableSql, type TypedTableOptions } from './typed-select.ts';

/** How a file's rows are typed, but for where they come from (stageCsv, stageParquet supply that). */
type Typing = Omit<TypedTableOptions, 'source'>;

const STAGE = 'ingest';

/** A data file read once before its delivery's transaction: fingerprint, header and (CSV) line map. */
export interface PreparedFile {
  path: string;
  format: FileFormat;
  sha256: string;
  byteCount: number;
  /** mtime (ns) taken before the bytes were read: a later write changes it, so a match means these bytes. */
  modifiedNs: string | null;
  header: string[];
  columns: ColumnMap;
  scan: CsvScan | null;
}

export interface FileCounts {
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
}

/** DuckDB's own words about a file it could not read: its first line, without recon's SQL wrapper. */
function readerMessage(error: unknown): string {
  const cause = error instanceof SqlError && error.cause !== undefined ? error.cause : error;
  return errorMessage(cause).split('\n')[0] ?? '';
}

/** A file's size and mtime (ns) as stat reports them; null when it cannot be stat'ed (the read says why). */
export async function fileStamp(path: string): Promise<{ size: string; modifiedNs: string } | null> {
  try {
    const s = await stat(path, { bigint: true });
    return { size: s.size.toString(), modifiedNs: s.mtimeNs.toString() };
  } catch {
    return null;
  }
}

export async function prepareFile(wh: Warehouse, path: string, format: FileFormat): Promise<PreparedFile> {
  return describeFile(wh, await readFileBytes(path, format));
}

/**
 * prepareFile's first half, in JS alone (no DuckDB statement, so it can run while DuckDB stages another file): the
 * file's bytes read once, for its hash and, for a CSV, its header and line map.
 */
export async function readFileBytes(path: string, format: FileFormat): Promise<FileBytes> {
  const modifiedNs = (await fileStamp(path))?.modifiedNs ?? null;
  if (format === 'parquet') {
    try {
      return { path, format, modifiedNs, ...(await hashFile(path)) };
    } catch (error) {
      throw new InputError(`${path}: cannot read file: ${errorMessage(error)}`);
    }
  }
  let scan: CsvScan;
  try {
    scan = await scanCsv(path, format === 'csv.gz');
  } catch (error) {
    // The scan's message starts with the line it stopped on.
    throw new InputError(`${path}: ${errorMessage(error)}`);
  }
  // What the file is comes first (a UTF-16 file is all stray CRs), then how its lines end, then its header.
  checkHeaderBytes(path, scan.headerBytes, scan.headerComplete);
  if (scan.lineEndingProblem) {
    const { line, problem } = scan.lineEndingProblem;
    throw new InputError(
      `${path}: line ${line}: ${problem}: DuckDB's CSV reader cannot read a file with mixed or stray line breaks; ` +
        'save it with one line ending (CRLF or LF)',
    );
  }
  const header = parseHeader(path, scan.headerBytes);
  return {
    path,
    format,
    sha256: scan.sha256,
    byteCount: scan.byteCount,
    modifiedNs,
    header,
    columns: mapColumns(path, header),
    scan,
  };
}

/** A file as readFileBytes leaves it: a CSV prepared whole, a Parquet file with its schema still to be described. */
export type FileBytes = PreparedFile | ParquetBytes;

/** A Parquet file read for its hash, its schema not yet asked of DuckDB. */
interface ParquetBytes {
  path: string;
  format: 'parquet';
  sha256: string;
  byteCount: number;
  modifiedNs: string | null;
}

/** prepareFile's second half: a Parquet file's columns, as DuckDB describes its schema (a CSV has them already). */
export async function describeFile(wh: Warehouse, read: FileBytes): Promise<PreparedFile> {
  if ('scan' in read) return read;
  const { path } = read;
  const described = await wh
    .rows<{ column_name: string }>('describe select * from read_parquet($1)', [literalFilePath(path)], {
      stage: STAGE,
      file: path,
    })
    .catch((error: unknown) => {
      throw new InputError(`${path}: not a readable Parquet file: ${readerMessage(error)}`);
    });
  const header = described.map((c) => c.column_name);
  return { ...read, header, columns: mapColumns(path, header, 'Parquet schema'), scan: null };
}

/** A word from the line scan about one record DuckDB rejects (ingest_delivery_reject_append.sql applies it). */
interface ScanNote {
  ordinal: number;
  /** Replaces DuckDB's reason. */
  reason: string | null;
  /** Or is appended to it. */
  suffix: string | null;
  is_raw_kept: boolean;
}

/**
 * What the line scan knows better than DuckDB about the records DuckDB rejects: a record over the size limit
 * (DuckDB's reason then depends on where its buffers fall) and a file that ends inside a quoted field or
 * mid-record — the marks of a cut-off file.
 */
function scanNotes(scan: CsvScan): ScanNote[] {
  const notes = scan.overlongRecords.map(({ ordinal, byteCount }): ScanNote => ({
    ordinal,
    reason: `LINE SIZE OVER MAXIMUM: the record is ${byteCount.toLocaleString('en-US')} bytes; the limit is ${MAX_RECORD_BYTES.toLocaleString('en-US')}`,
    suffix: null,
    is_raw_kept: true,
  }));
  if (scan.unterminatedQuoteOrdinal !== null) {
    notes.push({
      ordinal: scan.unterminatedQuoteOrdinal,
      reason: 'UNTERMINATED QUOTE: the file ends inside a quoted field that opens in this record (a cut-off file?)',
      suffix: null,
      is_raw_kept: false,
    });
  } else if (scan.missingLineBreakOrdinal !== null) {
    notes.push({
      ordinal: scan.missingLineBreakOrdinal,
      reason: null,
      suffix: ' (the last record; the file ends without a line break: a cut-off file?)',
      is_raw_kept: true,
    });
  }
  return notes;
}

/**
 * A plain copy of a CSV file whose bytes are not all UTF-8, each byte sequence that is no character replaced by
 * U+FFFD (WHATWG decoding: a quote, comma or line break is never swallowed, so records and lines stay where the
 * line scan found them). DuckDB's reader would reject every such record whole, tags and names included; read from
 * the copy, the row is judged column by column (typed-select.ts). Returns the copy's folder (the caller removes it).
 */
async function replacedUtf8Copy(file: PreparedFile): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-utf8-'));
  const path = join(dir, 'data.csv');
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const source: Readable = createReadStream(file.path);
  const bytes = file.format === 'csv.gz' ? source.pipe(createGunzip()) : source;
  await pipeline(
    bytes,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
      yield decoder.decode();
    },
    createWriteStream(path),
  ).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw new InputError(`${file.path}: cannot read the file: ${errorMessage(error)}`);
  });
  return { dir, path };
}

async function stageCsv(wh: Warehouse, file: PreparedFile, scan: CsvScan, typing: Typing): Promise<void> {
  if (scan.isUtf8) return stageCsvFrom(wh, file, scan, typing, file.path, file.format);
  const copy = await replacedUtf8Copy(file);
  try {
    await stageCsvFrom(wh, file, scan, typing, copy.path, 'csv');
  } finally {
    await rm(copy.dir, { recursive: true, force: true });
  }
}

/**
 * Read `readPath` (the file itself, or its UTF-8 copy) into ingest_typed; `failure` starts the message naming
 * `file` when DuckDB cannot. A staged row's rowid is its position in the file only in a table created outside a
 * transaction (inside one, DuckDB numbers rows from a large offset): refuse to go on with line numbers that would
 * silently be wrong.
 */
async function readTyped(
  wh: Warehouse,
  file: PreparedFile,
  options: TypedTableOptions,
  readPath: string,
  failure: string,
): Promise<void> {
  const context = { stage: STAGE, file: file.path };
  await wh
    .run(typedTableSql(file.columns, file.header, options), [literalFilePath(readPath)], context)
    .catch((error: unknown) => {
      throw new InputError(`${file.path}: ${failure}: ${readerMessage(error)}`);
    });
  const ids = await wh.row<{ first: string | null; last: string | null; n: string }>(
    'select min(rowid) as first, max(rowid) as last, count(*) as n from ingest_typed',
    undefined,
    context,
  );
  if (ids && ids.n !== '0' && (ids.first !== '0' || BigInt(ids.last ?? '0') !== BigInt(ids.n) - 1n)) {
    throw new Error(`${file.path}: staged rows are not numbered 0…${ids.n} (staging ran inside a transaction?)`);
  }
}

/** Stage `readPath` (the file itself, or its UTF-8 copy) as `file`: messages name the file. */
async function stageCsvFrom(
  wh: Warehouse,
  file: PreparedFile,
  scan: CsvScan,
  typing: Typing,
  readPath: string,
  format: FileFormat,
): Promise<void> {
  const context = { stage: STAGE, file: file.path };
  await wh.run(
    'drop table if exists ingest_reject_errors; drop table if exists ingest_reject_scans',
    undefined,
    context,
  );
  const source = csvSource(file.header.length, { gzip: format === 'csv.gz', maxLineSize: MAX_RECORD_BYTES });
  await readTyped(wh, file, { ...typing, source }, readPath, 'DuckDB cannot read the CSV data');
  // DuckDB reads the header as record 1; if it rejects it, the first data row would take the header's place.
  // Otherwise it is row 0: removed, the data rows keep their rowids (1…), which count the records DuckDB accepted.
  const headerReject = await wh.row<{ reason: string }>(
    `select error_type || ': ' || error_message as reason from ingest_reject_errors where line = 1 limit 1`,
    undefined,
    context,
  );
  if (headerReject) {
    throw new InputError(`${file.path}: line 1: the header record cannot be read: ${headerReject.reason}`);
  }
  await wh.run('delete from ingest_typed where rowid = 0', undefined, context);
  await wh.run(
    `create or replace temp table ingest_line_offset as
     select unnest(from_json($1, '["bigint"]')) as ordinal, unnest(from_json($2, '["bigint"]')) as line_offset`,
    [JSON.stringify(scan.lineOffsets.map((o) => o.ordinal)), JSON.stringify(scan.lineOffsets.map((o) => o.lineOffset))],
    context,
  );
  await wh.run(
    `create or replace temp table ingest_blank_record as select unnest(from_json($1, '["bigint"]')) as ordinal`,
    [JSON.stringify(scan.blankOrdinals)],
    context,
  );
  await wh.run(
    `create or replace temp table ingest_scan_note as
     select unnest(from_json($1, '[{"ordinal": "bigint", "reason": "varchar", "suffix": "varchar", "is_raw_kept": "boolean"}]'), recursive := true)`,
    [JSON.stringify(scanNotes(scan))],
    context,
  );
  await wh.runFile('ingest/ingest_record_line.sql', { record_count: scan.recordCount });

  // Both readers must agree on where records are; if they do not, line numbers would silently be wrong.
  const check = await wh.row<{ staged: string; rejected: string }>(
    `select (select count(*) from ingest_typed) as staged,
            (select count(distinct line) from ingest_reject_errors) as rejected`,
    undefined,
    context,
  );
  const rejected = Number(check?.rejected ?? 0);
  const expected = scan.recordCount - scan.blankOrdinals.length;
  // ingest_typed leaves out the header, which DuckDB read (its rejection was refused above) as row 0.
  const staged = Number(check?.staged ?? 0) + (expected > 0 ? 1 : 0);
  if (staged + rejected !== expected) {
    throw new InputError(
      `${file.path}: cannot line up CSV records: the line scan found ${expected} records (header included), ` +
        `DuckDB read ${staged} and rejected ${rejected}; check the file's quoting`,
    );
  }
}

async function stageParquet(wh: Warehouse, file: PreparedFile, typing: Typing): Promise<void> {
  const source = parquetSource(file.header.length);
  // Parquet has no lines; DuckDB does not say which row group broke.
  await readTyped(wh, file, { ...typing, source }, file.path, 'cannot read the Parquet data');
  await wh.runFile('ingest/ingest_record_line_parquet.sql');
}

/** Fill block size and distinct unit for unit strings PricingUnits.csv lacks (few distinct strings per delivery). */
export async function resolveUnits(wh: Warehouse): Promise<void> {
  await wh.runFile('ingest/ingest_unit.sql');
  const missing = await wh.rows<{ unit_of_measure: string }>(
    'select unit_of_measure from ingest_unit where pricing_block_size is null order by 1',
    undefined,
    { stage: STAGE },
  );
  for (const { unit_of_measure } of missing) {
    const parsed = parseUnitOfMeasure(unit_of_measure);
    if (!parsed) continue;
    await wh.run(
      'update ingest_unit set pricing_block_size = cast($size as decimal(38, 10)), distinct_unit = $unit where unit_of_measure = $uom',
      { size: parsed.blockSize, unit: parsed.distinctUnit, uom: unit_of_measure },
      { stage: STAGE },
    );
  }
  // The same units as a map that billing_line.sql looks rows up in: a join would cost the rows their file order
  // (DuckDB keeps insertion order through a single-table scan, not through a join), and billing_line is stored in it.
  await wh.run(
    `set variable ingest_unit_of = (
       select map(list(unit_of_measure), list({'pricing_block_size': pricing_block_size, 'distinct_unit': distinct_unit}))
       from ingest_unit)`,
    undefined,
    { stage: STAGE },
  );
}

/** Empty the delivery's temp tables before its first file. */
export async function startDelivery(wh: Warehouse): Promise<void> {
  await wh.runFile('ingest/ingest_checks.sql');
  await wh.run('drop table if exists ingest_delivery_row', undefined, { stage: STAGE });
  await wh.runFile('ingest/ingest_delivery_reject.sql');
}

/** Drop every temp table the stage made. */
export async function finishDelivery(wh: Warehouse): Promise<void> {
  const tables = [
    ...['ingest_typed', 'ingest_record_line', 'ingest_line_offset', 'ingest_blank_record', 'ingest_scan_note'],
    ...['ingest_unit', 'ingest_delivery_row', 'ingest_delivery_reject', 'ingest_reject_errors', 'ingest_reject_scans'],
  ];
  const drops = tables.map((t) => `drop table if exists ${t};`).join(' ');
  await wh.run(`${drops} reset variable ingest_unit_of;`, undefined, { stage: STAGE });
}

/** Stage one prepared file into the delivery's temp tables and count what became of its rows. */
export async function stageFile(
  wh: Warehouse,
  file: PreparedFile,
  first: boolean,
  rows: { monthly: boolean } = { monthly: false },
): Promise<FileCounts> {
  const context = { stage: STAGE, file: file.path };
  const typing: Typing = { isUtf8Replaced: file.scan !== null && !file.scan.isUtf8, monthly: rows.monthly };
  if (file.scan) await stageCsv(wh, file, file.scan, typing);
  else await stageParquet(wh, file, typing);

  if (first) {
    await wh.run(
      `create temp table ingest_delivery_row as
       select cast(null as varchar) as source_file, cast(null as bigint) as source_line, *
       from ingest_typed limit 0`,
      undefined,
      context,
    );
  }
  // Rows join the delivery in file order, so that billing_line is stored in it without a sort: a file whose lines
  // are its rows' numbers plus one offset (no blank line, no line break inside a field, no rejected record: every
  // Parquet file and nearly every export) needs no join with its line map.
  const lineStep = await wh.row<{ lo: string | null; hi: string | null }>(
    'select min(source_line - row_index) as lo, max(source_line - row_index) as hi from ingest_record_line',
    undefined,
    context,
  );
  if (lineStep?.lo === lineStep?.hi) {
    await wh.runFile('ingest/ingest_delivery_row_append.sql', {
      source_file: file.path,
      line_offset: lineStep?.lo ?? '0',
    });
  } else await wh.runFile('ingest/ingest_delivery_row_append_mapped.sql', { source_file: file.path });
  let rejected = 0;
  if (file.scan) {
    await wh.runFile('ingest/ingest_delivery_reject_append.sql', { source_file: file.path });
    const row = await wh.row<{ n: string }>(
      'select count(distinct line) as n from ingest_reject_errors',
      undefined,
      context,
    );
    rejected = Number(row?.n ?? 0);
  }
  const typed = await wh.row<{ ok: string; bad: string }>(
    'select count(*) filter (where reason is null) as ok, count(*) filter (where reason is not null) as bad from ingest_typed',
    undefined,
    context,
  );
  const ok = Number(typed?.ok ?? 0);
  const bad = Number(typed?.bad ?? 0);
  return { rowsIngested: ok, rowsQuarantined: bad + rejected, rowsRead: ok + bad + rejected };
}

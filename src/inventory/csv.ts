// Loads a canonical inventory CSV (share_state.csv, disk_snapshot.csv, transactions.csv of contract.md) into its
// staging table as text, with each row's physical line and raw text. DuckDB reads the file (all columns VARCHAR,
// no sniffing: the header says the columns); typing and checks happen in sql/inventory/*_record.sql.
import { listValue } from '@duckdb/node-api';
import { scanCsv, type CsvScan } from '../ingest/csv-scan.ts';
import { literalFilePath, quoteIdentifier, quoteLiteral } from '../db/quote.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError, SqlError, errorMessage } from '../errors.ts';

export type CsvKind = 'share_state' | 'disk_snapshot' | 'transactions';

interface CsvSpec {
  stageTable: string;
  /** Canonical column → required? (observed_at may instead come from the path.) */
  columns: Record<string, boolean>;
}

const SPECS: Record<CsvKind, CsvSpec> = {
  share_state: {
    stageTable: 'inventory_stage_share_csv',
    columns: {
      observed_at: false,
      share_resource_id: true,
      billing_resource_id: false,
      billing_model: true,
      media_tier: true,
      redundancy: true,
      protocol: false,
      access_tier: false,
      provisioned_gib: false,
      provisioned_iops: false,
      provisioned_mibps: false,
      used_bytes: false,
      snapshot_differential_bytes: false,
      metadata_bytes: false,
      is_deleted: false,
      deleted_at: false,
      retention_days: false,
    },
  },
  disk_snapshot: {
    stageTable: 'inventory_stage_disk_snapshot_csv',
    columns: {
      observed_at: false,
      snapshot_resource_id: true,
      source_disk_id: false,
      redundancy: true,
      used_bytes: false,
      created_at: false,
      deleted_at: false,
    },
  },
  transactions: {
    stageTable: 'inventory_stage_transaction_csv',
    columns: { hour: true, billing_resource_id: true, api_name: true, count: true },
  },
};

export interface CsvFile {
  path: string;
  kind: CsvKind;
  header: string[];
  scan: CsvScan;
}

/** Reads a CSV's header and says which canonical file it is; InputError when it is none of them. */
export async function identifyCsv(path: string): Promise<CsvFile> {
  let scan: CsvScan;
  try {
    scan = await scanCsv(path, false);
  } catch (error) {
    throw new InputError(`${path}: cannot read it (${errorMessage(error)})`);
  }
  if (scan.recordCount === 0) throw new InputError(`${path}: the file is empty`);
  // a column without a name (a trailing comma) is an extra column like any other: name it by its position
  const header = parseHeader(scan.headerBytes).map((name, i) => (name === '' ? `column${i + 1}` : name));
  const names = new Set(header.map((h) => h.toLowerCase()));
  const kind: CsvKind | undefined = names.has('share_resource_id')
    ? 'share_state'
    : names.has('snapshot_resource_id')
      ? 'disk_snapshot'
      : names.has('api_name')
        ? 'transactions'
        : undefined;
  if (!kind) {
    const separator = header.length === 1 ? [';', '\t', '|'].find((s) => header[0]?.includes(s)) : undefined;
    if (separator !== undefined) {
      throw new InputError(
        `${path}: the header is separated by ${separator === '\t' ? 'tabs' : `'${separator}'`}, not commas: ` +
          'canonical inventory CSVs are comma-separated',
      );
    }
    throw new InputError(
      `${path}: not a recognised inventory CSV: its header has none of share_resource_id (share_state.csv), ` +
        `snapshot_resource_id (disk_snapshot.csv) or api_name (transactions.csv)`,
    );
  }
  return { path, kind, header, scan };
}

/** The header record's fields: BOM and line end stripped, quotes removed, names trimmed. */
function parseHeader(bytes: Buffer): string[] {
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * Loads one canonical CSV into its staging table; returns the number of data rows. `pathTime` is the observation
 * time the file's path gives, used for rows without observed_at.
 */
export async function loadCsv(
  wh: Warehouse,
  file: CsvFile,
  fileOrd: number,
  pathTime: string | undefined,
): Promise<number> {
  const spec = SPECS[file.kind];
  const context = { stage: 'inventory', file: file.path };
  const byName = new Map<string, string>();
  for (const name of file.header) {
    const key = name.toLowerCase();
    if (byName.has(key)) throw new InputError(`${file.path}: column ${name} appears twice in the header`);
    byName.set(key, name);
  }
  for (const [column, required] of Object.entries(spec.columns)) {
    if (required && !byName.has(column)) throw new InputError(`${file.path}: the header has no ${column} column`);
  }
  if ('observed_at' in spec.columns && !byName.has('observed_at') && pathTime === undefined) {
    throw new InputError(
      `${file.path}: no observation time: the header has no observed_at column and the file and folder names ` +
        `carry no ISO timestamp (e.g. inventory/2024-03-01T00-00Z/${file.kind}.csv)`,
    );
  }

  await loadLineMap(wh, file.scan);
  // Every column as VARCHAR, named as the header names it: a bad value is a quarantined row, not a failed read.
  // Rows are numbered by ORDINALITY on a sequential read (rowid is not 0-based inside a transaction).
  const columns = `{${file.header.map((name) => `${quoteLiteral(name)}: 'VARCHAR'`).join(', ')}}`;
  const select = Object.keys(spec.columns).map((column) => {
    const actual = byName.get(column);
    const value = actual === undefined ? 'null::varchar' : quoteIdentifier(actual);
    // a row without observed_at falls back to the file's path time
    const expression = column === 'observed_at' ? `coalesce(inv_text(${value}), $path_time::varchar)` : value;
    return `${expression} as ${quoteIdentifier(column)}`;
  });
  const rawText = `concat_ws(',', ${file.header.map((name) => `csv_cell(${quoteIdentifier(name)})`).join(', ')})`;
  try {
    await wh.run(
      `insert into ${quoteIdentifier(spec.stageTable)} by name
       with
       raw as materialized (
         select ordinality - 1 as row_index, *
         from read_csv($read_path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
           parallel = false, columns = ${columns}) with ordinality
       ),
       -- Each row's physical line, from its index alone: the ASOF joins sort what they read, and over the whole
       -- rows they ran out of memory at --memory-limit 1GB (1.7M rows of an hourly inventory); the rows join back.
       located as (
         select numbered.row_index, numbered.ordinal + line_offset.line_offset as located_line
         from (
           select raw.row_index, raw.row_index + 2 + coalesce(shift.blank_count, 0) as ordinal
           from (select row_index from raw) as raw
           asof left join inventory_csv_blank_shift as shift on raw.row_index >= shift.from_row_index
         ) as numbered
         asof join inventory_csv_line_offset as line_offset on numbered.ordinal >= line_offset.ordinal
       )
       select
         $file as source_file,
         $file_ord::integer as file_ord,
         located.located_line as source_line,
         ${rawText} as raw_text,
         ${select.join(',\n         ')}
       from raw
       join located using (row_index)`,
      'observed_at' in spec.columns
        ? { file: file.path, read_path: literalFilePath(file.path), file_ord: fileOrd, path_time: pathTime ?? null }
        : { file: file.path, read_path: literalFilePath(file.path), file_ord: fileOrd },
      context,
    );
  } catch (error) {
    if (error instanceof SqlError && /CSV/.test(errorMessage(error))) {
      throw new InputError(`${file.path}: not a readable CSV: ${duckdbCsvProblem(error, file.scan)}`);
    }
    throw error;
  }
  const count = (
    await wh.row<{ n: number }>(
      `select count(*)::integer as n from ${quoteIdentifier(spec.stageTable)} where source_file = $file`,
      { file: file.path },
      context,
    )
  )?.n;
  // Both readers must agree on the records; DuckDB silently reads nothing after an unterminated quote.
  const expected = file.scan.recordCount - 1 - file.scan.blankOrdinals.filter((b) => b > 1).length;
  if (count !== expected) {
    throw new InputError(
      `${file.path}: not a readable CSV: the line scan found ${expected} data records but DuckDB read ` +
        `${count ?? 0}; check the file's quoting (an unterminated quote?)`,
    );
  }
  return count;
}

/**
 * Fills the line map of the file being loaded. DuckDB numbers data rows 0, 1, 2… skipping blank records; the
 * scan knows the blank records' ordinals and where quoted line breaks shift record starts. The j-th blank
 * record (1-based, ordinal b, header = 1) moves every row from index b − j − 1 on by one more ordinal.
 */
async function loadLineMap(wh: Warehouse, scan: CsvScan): Promise<void> {
  const context = { stage: 'inventory' };
  await wh.run('delete from inventory_csv_blank_shift', undefined, context);
  await wh.run('delete from inventory_csv_line_offset', undefined, context);
  const shifts = scan.blankOrdinals.filter((b) => b > 1).map((b, j) => b - (j + 1) - 1);
  if (shifts.length > 0) {
    // shift j (0-based) applies from its row index on; blank_count is how many shifts apply there
    await wh.run(
      `insert into inventory_csv_blank_shift
       select from_row_index, max(blank_count) from (
         select unnest($shifts::bigint[]) as from_row_index, unnest($counts::bigint[]) as blank_count
       ) group by from_row_index`,
      { shifts: listValue(shifts), counts: listValue(shifts.map((_, j) => j + 1)) },
      context,
    );
  }
  await wh.run(
    'insert into inventory_csv_line_offset select unnest($ordinals::bigint[]), unnest($offsets::bigint[])',
    {
      ordinals: listValue(scan.lineOffsets.map((o) => o.ordinal)),
      offsets: listValue(scan.lineOffsets.map((o) => o.lineOffset)),
    },
    context,
  );
}

/**
 * DuckDB's CSV error without its list of possible fixes: the line and what is wrong. DuckDB numbers records (blank
 * ones included), so its line is turned into the physical line the scan knows (quoted line breaks before it).
 */
function duckdbCsvProblem(error: SqlError, scan: CsvScan): string {
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  const lines = cause.split('\n').filter((line) => line.trim() !== '');
  const fixes = lines.findIndex((line) => line.startsWith('Possible fixes'));
  return (fixes >= 0 ? lines.slice(0, fixes) : lines.slice(0, 3))
    .join(' ')
    .replace(/^Invalid Input Error: /, '')
    .replace(/\s+/g, ' ')
    .replace(
      /CSV Error on Line: (\d+)/,
      (_, ordinal: string) => `CSV Error on Line: ${physicalLine(scan, Number(ordinal))}`,
    )
    .trim();
}

/** The physical line record `ordinal` (header = 1) starts on. */
function physicalLine(scan: CsvScan, ordinal: number): number {
  let offset = 0;
  for (const change of scan.lineOffsets) {
    if (change.ordinal > ordinal) break;
    offset = change.lineOffset;
  }
  return ordinal + offset;
}

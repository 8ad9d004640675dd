// The Parquet export: parquet/<table>/billing_month=YYYY-MM/data.parquet for each table of EXPORT_TABLES and each
// billing month asked for (parquet/<table>/data.parquet for a table without months: the meter dimension).
// Deterministic — one file per partition written by one COPY of a query ordered by the table's grain, with explicit
// column types — so the same warehouse content gives byte-identical files.
// Every file is first written under a staging folder; only when all are written are the month folders swapped in,
// one rename each, so a failed export leaves the previous partitions untouched and other months are never touched.
// A file that cannot be written (full disk, read-only folder) stops the export with a WriteError naming it.
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { intoTempTable, runInBatches } from '../db/batches.ts';
import { quoteIdentifier } from '../db/quote.ts';
import { loadSql, type Warehouse } from '../db/warehouse.ts';
import { checkBillingMonths } from '../output/billing-months.ts';
import { ensureRunScope } from '../scope.ts';
import { InputError, SqlError, WriteError } from '../errors.ts';
import { asWriteError, duckDbWriteFailure } from '../output/files.ts';
import { meterDimensionRows } from './meter-dimension.ts';
import { EXPORT_TABLES, type ExportTable } from './tables.ts';

export interface ExportResult {
  /** Paths of the Parquet files written, in table then month order. */
  files: string[];
  /** Rows written across all files. */
  rows: number;
}

interface StagedPartition {
  table: string;
  /** The partition folder under the table's folder; undefined: the table's whole folder (no months). */
  month: string | undefined;
  stagedDir: string;
}

const PARTITION_FILE = 'data.parquet';
/** Where a batched table's month is built before it is copied (ExportTable.batchedBy). */
const BATCHED_ROWS = 'export_batched_rows';
/**
 * Rows per Parquet row group of a batched table: the writer holds a row group in memory, and DuckDB's 122,880 rows
 * of expected_usage with an hourly inventory's interval-id lists (about 30 a row) ran out of memory at 1GB, where
 * 20,000 fit (139,411 rows, 4.1M ids: 2.5 s; 2026-12-04).
 */
const BATCHED_ROW_GROUP_ROWS = 20_000;
const STAGE = 'export';

export async function exportParquet(
  wh: Warehouse,
  outDir: string,
  billingMonths: readonly string[],
): Promise<ExportResult> {
  const months = checkBillingMonths(billingMonths);
  const root = join(outDir, 'parquet');
  // Inside the target folder so the final renames stay on one file system.
  const staging = await writing(root, async () => {
    await mkdir(root, { recursive: true });
    await removeLeftStaging(root);
    return mkdtemp(join(root, '.staging-'));
  });
  const staged: StagedPartition[] = [];
  let rows = 0;
  try {
    await ensureRunScope(wh, months);
    await prepare(wh);
    for (const table of EXPORT_TABLES) {
      const source = table.source;
      await wh.run(
        `create or replace temp view export_source as select * from ${quoteIdentifier(source)}
         where ${await scopeFilter(wh, source)}`,
        undefined,
        { stage: STAGE },
      );
      const query = await loadSql(table.sqlFile);
      for (const month of table.partitioning === 'none' ? [undefined] : months) {
        const stagedDir = join(staging, table.name, ...(month === undefined ? [] : [`billing_month=${month}`]));
        await writing(stagedDir, () => mkdir(stagedDir, { recursive: true }));
        rows += await copyToParquet(wh, query, month, join(stagedDir, PARTITION_FILE), table);
        staged.push({ table: table.name, month, stagedDir });
      }
    }
    const files: string[] = [];
    for (const partition of staged) files.push(await swapIn(root, staging, partition));
    return { files, rows };
  } finally {
    // a failed drop must not hide the export's own error
    for (const view of ['export_source', 'export_line']) {
      await wh.run(`drop view if exists ${view}`, undefined, { stage: STAGE }).catch(() => undefined);
    }
    await wh
      .dropTempTables(STAGE, ['export_meter', 'export_billed_resource_month', BATCHED_ROWS])
      .catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * What the table queries share: the billing lines that count (export_line), the export's macros and the meter
 * dimension's rows (export_meter, from src/billing/meters.ts through src/export/meter-dimension.ts).
 */
async function prepare(wh: Warehouse): Promise<void> {
  await wh.run('create or replace temp view export_line as select * from current_billing_line', undefined, {
    stage: STAGE,
  });
  for (const file of ['export/export_billed_resource_month.sql', 'export/macros.sql', 'export/export_meter.sql']) {
    await wh.run(await loadSql(file), undefined, { stage: STAGE, file: `sql/${file}` });
  }
  for (const row of meterDimensionRows()) {
    const insert = 'insert into export_meter values ($meter, $model, $unit_kind, $unit, $description)';
    await wh.run(insert, { ...row }, { stage: STAGE });
  }
}

/**
 * The run's days and resources (run_scope, sql/pipeline/run_scope_macros.sql) over the columns `source` has: a
 * scoped run exports exactly its scope; a table without a resource or day column (delivery) is kept whole.
 */
async function scopeFilter(wh: Warehouse, source: string): Promise<string> {
  const rows = await wh.rows<{ column_name: string }>(
    `select distinct column_name from duckdb_columns()
     where table_name = $name and column_name in ('billing_resource_id', 'usage_date')`,
    { name: source },
    { stage: STAGE },
  );
  const columns = new Set(rows.map((row) => row.column_name));
  return [
    'true',
    ...(columns.has('usage_date') ? ['in_scope_day(usage_date)'] : []),
    ...(columns.has('first_day') ? ['in_scope_span(first_day, last_day)'] : []),
    ...(columns.has('billing_resource_id') ? ['in_scope_resource(billing_resource_id)'] : []),
  ].join(' and ');
}

async function copyToParquet(
  wh: Warehouse,
  query: string,
  month: string | undefined,
  path: string,
  table: ExportTable,
): Promise<number> {
  const context = { stage: STAGE, file: `sql/${table.sqlFile}` };
  // COPY … TO takes a bound path, and the query's $billing_month binds in the same statement.
  try {
    if (table.batchedBy !== undefined && month !== undefined) {
      await runInBatches(wh, {
        stage: STAGE,
        file: table.sqlFile,
        countsSql: table.batchedBy.countsSql,
        statement: intoTempTable(BATCHED_ROWS),
        params: { billing_month: month },
      });
      const options = `format parquet, compression snappy, row_group_size ${BATCHED_ROW_GROUP_ROWS}`;
      await wh.run(`copy (select * from ${BATCHED_ROWS}) to $path (${options})`, { path }, context);
    } else {
      await wh.run(
        `copy (${query}\n) to $path (format parquet, compression snappy)`,
        month === undefined ? { path } : { billing_month: month, path },
        context,
      );
    }
  } catch (error) {
    const tooWide = decimalOverflow(error, table, month);
    if (tooWide !== undefined) throw tooWide;
    const failure = duckDbWriteFailure(error);
    if (failure === undefined) throw error;
    throw new WriteError(`cannot write ${failure.path}: ${failure.reason} (the previous Parquet files are kept)`, {
      cause: error,
    });
  }
  const written = await wh.row<{ num_rows: string }>(
    'select num_rows from parquet_file_metadata($path)',
    { path },
    { stage: STAGE },
  );
  return Number(written?.num_rows ?? '0'); // a row count, not a quantity
}

/**
 * A value with more integer digits than its documented DECIMAL(28, s) column holds fails the cast in the table's
 * query. It is never rounded or cut to fit: the export stops, naming the table, month and value, and the previous
 * files are kept.
 */
function decimalOverflow(error: unknown, table: ExportTable, month: string | undefined): InputError | undefined {
  if (!(error instanceof SqlError)) return undefined;
  const found = /Casting value "([^"]+)" to type (DECIMAL\(\d+,\d+\)) failed: value is out of range/.exec(
    error.message,
  );
  if (found === null) return undefined;
  const [, value = '', type = ''] = found;
  const where = month === undefined ? table.name : `${table.name}, billing month ${month}`;
  return new InputError(
    `cannot export ${where} to Parquet: the value ${value} does not fit its ${type} column ` +
      `(docs/parquet-schemas.md, "Exact numbers"); nothing was written, the previous Parquet files are kept`,
    { cause: error },
  );
}

/** Move a staged month folder into place, replacing that month's previous folder; returns the file's path. */
async function swapIn(root: string, staging: string, partition: StagedPartition): Promise<string> {
  const folder = partition.month === undefined ? [] : [`billing_month=${partition.month}`];
  const target = join(root, partition.table, ...folder);
  return writing(target, async () => {
    await mkdir(partition.month === undefined ? root : join(root, partition.table), { recursive: true });
    let aside: string | undefined;
    if (await exists(target)) {
      const replaced = join(staging, '.replaced', partition.table);
      await mkdir(replaced, { recursive: true });
      aside = join(replaced, ...(folder.length > 0 ? folder : ['table']));
      await rename(target, aside);
    }
    try {
      await rename(partition.stagedDir, target);
    } catch (error) {
      // Put the previous month back: the staging folder, and what was set aside in it, is removed at the end.
      if (aside !== undefined) await rename(aside, target).catch(() => undefined);
      throw error;
    }
    return join(target, PARTITION_FILE);
  });
}

/** Run file-system work on `path`, turning a failure (full disk, read-only folder) into a WriteError naming it. */
async function writing<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asWriteError(error, path);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * A run killed mid-export leaves its staging folder behind. The warehouse lock means no other export is writing
 * here now, so any staging folder is a leftover: remove it before staging anew.
 */
async function removeLeftStaging(root: string): Promise<void> {
  for (const name of await readdir(root)) {
    if (name.startsWith('.staging-')) await rm(join(root, name), { recursive: true, force: true });
  }
}

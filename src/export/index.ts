// The Parquet export: parquet/<table>/billing_month=YYYY-MM/data.parquet for each table of EXPORT_TABLES and each
// billing month asked for. Deterministic — one file per partition written by one COPY of a query ordered by the
// table's grain, with explicit column types — so the same warehouse content gives byte-identical files.
// Every file is first written under a staging folder; only when all are written are the month folders swapped in,
// one rename each, so a failed export leaves the previous partitions untouched and other months are never touched.
// A file that cannot be written (full disk, read-only folder) stops the export with a WriteError naming it.
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { quoteIdentifier } from '../db/quote.ts';
import { loadSql, type Warehouse } from '../db/warehouse.ts';
import { checkBillingMonths } from '../report/billing-months.ts';
import { WriteError } from '../errors.ts';
import { asWriteError, duckDbWriteFailure } from '../report/files.ts';
import { relationExists } from '../report/relation.ts';
import { EXPORT_TABLES, type ExportTable } from './tables.ts';

export interface SkippedTable {
  table: string;
  reason: string;
}

export interface ExportResult {
  /** Paths of the Parquet files written, in table then month order. */
  files: string[];
  /** Rows written across all files. */
  rows: number;
  skipped: SkippedTable[];
}

interface StagedPartition {
  table: string;
  month: string;
  stagedDir: string;
}

const PARTITION_FILE = 'data.parquet';
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
  const skipped: SkippedTable[] = [];
  const staged: StagedPartition[] = [];
  let rows = 0;
  try {
    for (const table of EXPORT_TABLES) {
      const source = await firstExisting(wh, table.sources);
      if (source === undefined) {
        skipped.push({ table: table.name, reason: `none of ${table.sources.join(', ')} exists in the warehouse` });
        continue;
      }
      await wh.run(`create or replace temp view export_source as select * from ${quoteIdentifier(source)}`, undefined, {
        stage: STAGE,
      });
      const query = await loadSql(table.sqlFile);
      for (const month of months) {
        const stagedDir = join(staging, table.name, `billing_month=${month}`);
        await writing(stagedDir, () => mkdir(stagedDir, { recursive: true }));
        rows += await copyToParquet(wh, query, month, join(stagedDir, PARTITION_FILE), table);
        staged.push({ table: table.name, month, stagedDir });
      }
    }
    const files: string[] = [];
    for (const partition of staged) files.push(await swapIn(root, staging, partition));
    return { files, rows, skipped };
  } finally {
    await wh.run('drop view if exists export_source', undefined, { stage: STAGE }).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
  }
}

async function firstExisting(wh: Warehouse, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) if (await relationExists(wh, name)) return name;
  return undefined;
}

async function copyToParquet(
  wh: Warehouse,
  query: string,
  month: string,
  path: string,
  table: ExportTable,
): Promise<number> {
  const context = { stage: STAGE, file: `sql/${table.sqlFile}` };
  // COPY … TO takes a bound path, and the query's $billing_month binds in the same statement.
  try {
    await wh.run(
      `copy (${query}\n) to $path (format parquet, compression snappy)`,
      { billing_month: month, path },
      context,
    );
  } catch (error) {
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

/** Move a staged month folder into place, replacing that month's previous folder; returns the file's path. */
async function swapIn(root: string, staging: string, partition: StagedPartition): Promise<string> {
  const target = join(root, partition.table, `billing_month=${partition.month}`);
  return writing(target, async () => {
    await mkdir(join(root, partition.table), { recursive: true });
    let aside: string | undefined;
    if (await exists(target)) {
      const replaced = join(staging, '.replaced', partition.table);
      await mkdir(replaced, { recursive: true });
      aside = join(replaced, `billing_month=${partition.month}`);
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

// Inventory stage: reads what the user's inventory files say each storage account, share and disk snapshot was
// (Azure CLI / ARM JSON or canonical CSV) into observation tables, and derives the intervals the recompute
// stage bills from. Also loads pay-as-you-go transaction counts. See docs/inventory.md.
import { extname } from 'node:path';
import { listValue } from '@duckdb/node-api';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { identifyCsv, loadCsv } from './csv.ts';
import { listInputFiles, observationTimeFromPath } from './files.ts';
import { rebuildIntervals, type IntervalCounts, type IntervalOptions } from './intervals.ts';
import { loadJson } from './json.ts';
import { applyInventoryRecords } from './observations.ts';
import { loadTransactions } from './transactions.ts';
import { recordLoad, stampFiles, unchangedLoad, type FileStamp, type LoadStage } from './unchanged.ts';

export interface InventoryOptions {
  onProgress?: (message: string) => void;
  /** ISO-8601 time up to which open intervals are known to hold (default: the end of their observation's UTC day). */
  asOf?: string;
  /**
   * The inputs are the whole inventory (--full): observations and quarantine rows of files not given this run are
   * forgotten, so removing a wrong file and re-running reconciles against exactly what is left.
   */
  exact?: boolean;
  /**
   * Read every file again even when the files are exactly those of the last load, unchanged (--rehash, implied by
   * --full). By default such a load is not repeated: it would replace every row by itself.
   */
  rehash?: boolean;
}

export interface InventoryReport {
  files: number;
  recordsRead: number;
  recordsIngested: number;
  recordsQuarantined: number;
  accounts: number;
  shares: number;
  snapshots: number;
  shareIntervals: number;
  snapshotIntervals: number;
  /** The change-log hold assumption in words (src/inventory/intervals.ts), null when no row was held. */
  heldLastState: string | null;
}

export interface TransactionsReport {
  files: number;
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
}

const INVENTORY_EXTENSIONS = ['.json', '.csv'];

/** Reads inventory files and folders (recursively), replaces their observations, then rebuilds the intervals. */
export async function ingestInventory(
  wh: Warehouse,
  inputs: readonly string[],
  options: InventoryOptions = {},
): Promise<InventoryReport> {
  const progress = options.onProgress ?? (() => undefined);
  const files = await listInputFiles(inputs, INVENTORY_EXTENSIONS, 'inventory');
  const exact = options.exact ?? false;
  // Taken before any byte is read: a file written during the read has a newer mtime, so it is read again next time.
  const stamps = await stampFiles(files);
  return wh.transaction('inventory', async () => {
    const unchanged = await unchangedFiles(wh, 'inventory', stamps, options.rehash || exact, progress);
    if (unchanged) return unchangedInventory(wh, files, unchanged, options, progress);
    await wh.runFile('inventory/stage_tables.sql');
    let recordsRead = 0;
    const recordCounts: number[] = [];
    for (const [index, path] of files.entries()) {
      const ord = index + 1;
      const pathTime = observationTimeFromPath(path);
      const extension = extname(path).toLowerCase();
      let kind: string;
      let records: number;
      if (extension === '.json') {
        kind = 'json';
        records = await loadJson(wh, path, ord, pathTime);
      } else if (extension === '.csv') {
        const csv = await identifyCsv(path);
        if (csv.kind === 'transactions') {
          throw new InputError(`${path}: a transactions.csv file, not inventory; pass it with --transactions`);
        }
        kind = `${csv.kind}_csv`;
        records = await loadCsv(wh, csv, ord, pathTime);
      } else {
        throw new InputError(`${path}: not an inventory file (expected .json or .csv)`);
      }
      await wh.run(
        'insert into inventory_stage_file values ($file, $ord::integer, $kind, $records::bigint)',
        { file: path, ord, kind, records },
        { stage: 'inventory' },
      );
      recordsRead += records;
      recordCounts.push(records);
      progress(`inventory: ${path}: ${records} records`);
    }
    const counts = await applyInventoryRecords(wh, { exact });
    if (counts.records !== recordsRead) {
      throw new Error(
        `inventory: ${recordsRead} records staged but ${counts.records} typed; a record kind is unhandled`,
      );
    }
    const intervals = await rebuildIntervals(wh, intervalOptions(options));
    const report: InventoryReport = {
      files: files.length,
      recordsRead,
      recordsIngested: recordsRead - counts.quarantined,
      recordsQuarantined: counts.quarantined,
      accounts: counts.written.storage_account_observation ?? 0,
      shares: counts.written.share_observation ?? 0,
      snapshots: counts.written.disk_snapshot_observation ?? 0,
      ...intervals,
    };
    await recordLoad(wh, 'inventory', stamps, recordCounts, exact);
    progressInventory(report, progress);
    return report;
  });
}

function progressInventory(report: InventoryReport, progress: (message: string) => void): void {
  progress(
    `inventory: ${report.recordsIngested} of ${report.recordsRead} records ingested, ` +
      `${report.recordsQuarantined} quarantined; ${report.shareIntervals} share and ` +
      `${report.snapshotIntervals} snapshot intervals`,
  );
}

/** The stage's files as last loaded, when they are exactly those and unchanged (src/inventory/unchanged.ts). */
async function unchangedFiles(
  wh: Warehouse,
  stage: LoadStage,
  stamps: readonly (FileStamp | null)[],
  rehash: boolean | undefined,
  progress: (message: string) => void,
): Promise<Map<string, number> | null> {
  if (rehash) return null;
  const counts = await unchangedLoad(wh, stage, stamps);
  if (counts) {
    for (const path of counts.keys()) {
      progress(`${stage}: ${path}: unchanged since its last load (path, size and mtime match; not re-read)`);
    }
  }
  return counts;
}

/**
 * The report of a load not repeated: the observations and quarantine rows are those the last load of the same
 * files wrote; only the intervals are rebuilt, since how far a last state holds follows this run's deliveries.
 */
async function unchangedInventory(
  wh: Warehouse,
  files: readonly string[],
  recordCounts: ReadonlyMap<string, number>,
  options: InventoryOptions,
  progress: (message: string) => void,
): Promise<InventoryReport> {
  const intervals = await rebuildIntervals(wh, intervalOptions(options));
  const tally = await wh.row<{ quarantined: number; accounts: number; shares: number; snapshots: number }>(
    `select
       (select count(*) from quarantine where stage = 'inventory' and list_contains($files::varchar[], source_file))::integer as quarantined,
       (select count(*) from storage_account_observation where list_contains($files::varchar[], source_file))::integer as accounts,
       (select count(*) from share_observation where list_contains($files::varchar[], source_file))::integer as shares,
       (select count(*) from disk_snapshot_observation where list_contains($files::varchar[], source_file))::integer as snapshots`,
    { files: listValue([...files]) },
    { stage: 'inventory' },
  );
  const recordsRead = [...recordCounts.values()].reduce((sum, n) => sum + n, 0);
  const quarantined = tally?.quarantined ?? 0;
  const report: InventoryReport = {
    files: files.length,
    recordsRead,
    recordsIngested: recordsRead - quarantined,
    recordsQuarantined: quarantined,
    accounts: tally?.accounts ?? 0,
    shares: tally?.shares ?? 0,
    snapshots: tally?.snapshots ?? 0,
    ...intervals,
  };
  progressInventory(report, progress);
  return report;
}

/** Reads transactions.csv files and folders (recursively) into transaction_count, replacing their earlier rows. */
export async function ingestTransactions(
  wh: Warehouse,
  inputs: readonly string[],
  options: InventoryOptions = {},
): Promise<TransactionsReport> {
  const progress = options.onProgress ?? (() => undefined);
  const files = await listInputFiles(inputs, ['.csv'], 'transactions');
  const stamps = await stampFiles(files);
  return wh.transaction('transactions', async () => {
    const unchanged = await unchangedFiles(wh, 'transactions', stamps, options.rehash, progress);
    if (unchanged) {
      // transaction_count and the quarantine rows are those the last load of these same files wrote
      const tally = await wh.row<{ quarantined: number }>(
        `select count(*)::integer as quarantined from quarantine
         where stage = 'transactions' and list_contains($files::varchar[], source_file)`,
        { files: listValue(files) },
        { stage: 'transactions' },
      );
      const rowsRead = [...unchanged.values()].reduce((sum, n) => sum + n, 0);
      const rowsQuarantined = tally?.quarantined ?? 0;
      return { files: files.length, rowsRead, rowsIngested: rowsRead - rowsQuarantined, rowsQuarantined };
    }
    const { fileRows, ...report } = await loadTransactions(wh, files, progress);
    await recordLoad(wh, 'transactions', stamps, fileRows, false);
    return report;
  });
}

/** Rebuilds share_interval and disk_snapshot_interval from every observation in the warehouse. */
export async function buildIntervals(wh: Warehouse, options: IntervalOptions = {}): Promise<IntervalCounts> {
  return wh.transaction('inventory', () => rebuildIntervals(wh, options));
}

function intervalOptions(options: InventoryOptions): IntervalOptions {
  return options.asOf === undefined ? {} : { asOf: options.asOf };
}

export type { IntervalOptions } from './intervals.ts';

// Inventory stage: reads what the user's inventory files say each storage account, share and disk snapshot was
// (Azure CLI / ARM JSON or canonical CSV) into observation tables, and derives the intervals the recompute
// stage bills from. Also loads pay-as-you-go transaction counts. See docs/inventory.md.
import { extname } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { identifyCsv, loadCsv } from './csv.ts';
import { listInputFiles, observationTimeFromPath } from './files.ts';
import { rebuildIntervals, type IntervalCounts, type IntervalOptions } from './intervals.ts';
import { loadJson } from './json.ts';
import { applyInventoryRecords } from './observations.ts';
import { loadTransactions } from './transactions.ts';

export interface InventoryOptions {
  onProgress?: (message: string) => void;
  /** ISO-8601 time up to which open intervals are known to hold (default: the end of their observation's UTC day). */
  asOf?: string;
  /**
   * The inputs are the whole inventory (--full): observations and quarantine rows of files not given this run are
   * forgotten, so removing a wrong file and re-running reconciles against exactly what is left.
   */
  exact?: boolean;
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
  return wh.transaction('inventory', async () => {
    await wh.runFile('inventory/stage_tables.sql');
    let recordsRead = 0;
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
      progress(`inventory: ${path}: ${records} records`);
    }
    const counts = await applyInventoryRecords(wh, { exact: options.exact ?? false });
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
    progress(
      `inventory: ${report.recordsIngested} of ${report.recordsRead} records ingested, ` +
        `${report.recordsQuarantined} quarantined; ${report.shareIntervals} share and ` +
        `${report.snapshotIntervals} snapshot intervals`,
    );
    return report;
  });
}

/** Reads transactions.csv files and folders (recursively) into transaction_count, replacing their earlier rows. */
export async function ingestTransactions(
  wh: Warehouse,
  inputs: readonly string[],
  options: InventoryOptions = {},
): Promise<TransactionsReport> {
  const progress = options.onProgress ?? (() => undefined);
  const files = await listInputFiles(inputs, ['.csv'], 'transactions');
  return wh.transaction('transactions', () => loadTransactions(wh, files, progress));
}

/** Rebuilds share_interval and disk_snapshot_interval from every observation in the warehouse. */
export async function buildIntervals(wh: Warehouse, options: IntervalOptions = {}): Promise<IntervalCounts> {
  return wh.transaction('inventory', () => rebuildIntervals(wh, options));
}

function intervalOptions(options: InventoryOptions): IntervalOptions {
  return options.asOf === undefined ? {} : { asOf: options.asOf };
}

export type { IntervalOptions } from './intervals.ts';

// Pay-as-you-go transaction counts (canonical transactions.csv) → transaction_count, each API name in its
// billing bucket (src/billing/transaction-buckets.ts). Unknown API names and bad rows are quarantined.
import { listValue } from '@duckdb/node-api';
import { apiNameBuckets } from '../billing/transaction-buckets.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { identifyCsv, loadCsv } from './csv.ts';
import { dropStageTables, querySql } from './sql.ts';

export interface TransactionCounts {
  files: number;
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
  /** Rows read from each file, in the order given. */
  fileRows: number[];
}

/** Loads the given transactions CSVs and replaces their rows in transaction_count. Runs in the caller's transaction. */
export async function loadTransactions(
  wh: Warehouse,
  files: readonly string[],
  onProgress: (message: string) => void,
): Promise<TransactionCounts> {
  const context = { stage: 'transactions' };
  await wh.runFile('inventory/stage_tables.sql');
  const table = apiNameBuckets();
  await wh.run(
    `insert into inventory_api_bucket
     select lower(name), name, bucket from (select unnest($names::varchar[]) as name, unnest($buckets::varchar[]) as bucket)`,
    { names: listValue(table.map((t) => t.apiName)), buckets: listValue(table.map((t) => t.bucket)) },
    context,
  );
  let rowsRead = 0;
  const fileRows: number[] = [];
  for (const [ord, path] of files.entries()) {
    const csv = await identifyCsv(path);
    if (csv.kind !== 'transactions') {
      throw new InputError(`${path}: a ${csv.kind}.csv inventory file, not transactions.csv; pass it with --inventory`);
    }
    const rows = await loadCsv(wh, csv, ord + 1, undefined);
    await wh.run(
      `insert into inventory_stage_file values ($file, $ord::integer, 'transactions_csv', $rows::bigint)`,
      { file: path, ord: ord + 1, rows },
      context,
    );
    rowsRead += rows;
    fileRows.push(rows);
    onProgress(`transactions: ${path}: ${rows} rows`);
  }

  await wh.run(
    `create or replace temp table inventory_transaction_record as ${await querySql('inventory/transaction_record.sql')}`,
    undefined,
    { stage: 'transactions', file: 'sql/inventory/transaction_record.sql' },
  );
  await wh.run(
    `delete from transaction_count
     where source_file in (select source_file from inventory_stage_file)
        or exists (
          select 1 from inventory_transaction_record as r
          where r.reject_reason is null and r.billing_resource_id = transaction_count.billing_resource_id
            and r.usage_hour = transaction_count.usage_hour and r.api_name = transaction_count.api_name)`,
    undefined,
    context,
  );
  await wh.run(
    `insert into transaction_count by name
     select usage_hour, billing_resource_id, api_name, bucket, transaction_count, source_file, source_line
     from inventory_transaction_record
     where reject_reason is null`,
    undefined,
    context,
  );
  await wh.run(
    `delete from quarantine
     where stage = 'transactions' and source_file in (select source_file from inventory_stage_file)`,
    undefined,
    context,
  );
  await wh.run(
    `insert into quarantine (stage, source_file, source_line, reason, raw_text, recorded_at)
     select 'transactions', source_file, source_line, reject_reason, raw_text, now()::timestamp
     from inventory_transaction_record
     where reject_reason is not null
     order by source_file, source_line`,
    undefined,
    context,
  );
  const tally = await wh.row<{ quarantined: number }>(
    'select count(reject_reason)::integer as quarantined from inventory_transaction_record',
    undefined,
    context,
  );
  const rowsQuarantined = tally?.quarantined ?? 0;
  await dropStageTables(wh, 'transactions', ['inventory_transaction_record']);
  return { files: files.length, rowsRead, rowsIngested: rowsRead - rowsQuarantined, rowsQuarantined, fileRows };
}

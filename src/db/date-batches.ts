// Statements whose aggregates have about one group per input row, run a batch of usage dates at a time: billed
// usage, the diff's wrong-meter inference and billed cells, the expected_usage export's interval evidence.
//
// Why: DuckDB spills a hash aggregate's groups but keeps the states of list aggregates, ordered aggregates and
// string-valued states on arenas it cannot evict (duckdb/duckdb#24499 starts to change that). billed_usage has a
// group per line or nearly (1,245,927 groups for 1,245,948 lines in the 2M-row bench month), so summing a month in
// one statement ran out of memory under --memory-limit 1GB, while 320k groups at a time fit (2 threads, measured
// 2026-12-04). Every grain that is batched includes the usage date, so a batch never splits a group and the rows
// are the same whatever the batch size.
import type { DuckDBValue } from '@duckdb/node-api';
import { InputError } from '../errors.ts';
import { loadSql, type Warehouse } from './warehouse.ts';

/** About how many rows one batch reads (a date is never split: a date with more rows is a batch of its own). */
export const BATCH_ROWS = 250_000;

/** The batch size: RECON_BATCH_ROWS when set (tuning, and tests that force many batches), else BATCH_ROWS. */
export function batchRows(): number {
  const text = process.env.RECON_BATCH_ROWS;
  if (text === undefined || text === '') return BATCH_ROWS;
  if (!/^[1-9][0-9]*$/.test(text)) throw new InputError(`RECON_BATCH_ROWS '${text}' is not a positive whole number`);
  return Number(text);
}

export interface DateBatch {
  from_date: string;
  to_date: string;
}

/** Consecutive dates in batches of about `limit` rows, from each date's row count (in date order). */
export function planDateBatches(
  counts: readonly { usage_date: string; row_count: string }[],
  limit: number,
): DateBatch[] {
  const batches: DateBatch[] = [];
  let current: DateBatch | undefined;
  let rows = 0;
  for (const { usage_date, row_count } of counts) {
    // Row counts fit a JS number comfortably (they count rows, they are not quantities).
    const n = Number(row_count);
    if (current && rows + n > limit) current = undefined;
    if (!current) {
      current = { from_date: usage_date, to_date: usage_date };
      batches.push(current);
      rows = 0;
    }
    current.to_date = usage_date;
    rows += n;
  }
  return batches;
}

/**
 * Run the query in `file` (its usage dates bounded by $from_date and $to_date) once per batch of the dates that
 * `countsSql` counts (columns usage_date, row_count), through `statement`, which turns the query into the statement
 * for the batch (the first batch creates a table, the others insert, say). Returns the number of statements run.
 */
export async function runInDateBatches(
  wh: Warehouse,
  options: {
    stage: string;
    file: string;
    countsSql: string;
    statement: (query: string, batchIndex: number) => string;
    params?: Record<string, DuckDBValue>;
    limit?: number;
  },
): Promise<number> {
  const { stage, file, countsSql, statement, params = {}, limit = batchRows() } = options;
  const counts = await wh.rows<{ usage_date: string; row_count: string }>(
    `select usage_date::varchar as usage_date, row_count::varchar as row_count
     from (${countsSql}) order by usage_date`,
    params,
    { stage },
  );
  const query = await loadSql(file);
  // No dates: one statement over none (null bounds), so that a table the statement creates exists, empty.
  const batches = counts.length > 0 ? planDateBatches(counts, limit) : [{ from_date: null, to_date: null }];
  for (const [index, batch] of batches.entries()) {
    await wh.run(
      statement(query, index),
      { ...params, from_date: batch.from_date, to_date: batch.to_date },
      { stage, file: `sql/${file}` },
    );
  }
  return batches.length;
}

/** The statement of a batch that fills temp table `table`: the first batch creates it, the others insert. */
export function intoTempTable(table: string): (query: string, batchIndex: number) => string {
  return (query, batchIndex) =>
    batchIndex === 0 ? `create or replace temp table ${table} as ${query}` : `insert into ${table} ${query}`;
}

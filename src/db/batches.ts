// Statements whose aggregates have about one group per input row, run a batch of keys at a time: billed usage,
// the diff's wrong-meter inference and billed cells by usage date; the inventory's share merge by observation day;
// the expected_usage export by billing resource.
//
// Why: DuckDB spills a hash aggregate's groups but keeps the states of list aggregates, ordered aggregates and
// string-valued states on arenas it cannot evict (duckdb/duckdb#24499 starts to change that); a sort of rows that
// carry long lists did not fit either. billed_usage has a group per line or nearly (1,245,927 groups for 1,245,948
// lines in the 2M-row bench month), so summing a month in one statement ran out of memory under --memory-limit 1GB,
// while 320k groups at a time fit (2 threads, measured 2026-12-04). Every grain that is batched includes the batch
// key, so a batch never splits a group and the rows are the same whatever the batch size.
import type { DuckDBValue } from '@duckdb/node-api';
import { InputError } from '../errors.ts';
import { loadSql, type Warehouse } from './warehouse.ts';

/** About how many rows one batch reads (a key is never split: a key with more rows is a batch of its own). */
export const BATCH_ROWS = 250_000;

/** The batch size: RECON_BATCH_ROWS when set (tuning, and tests that force many batches), else BATCH_ROWS. */
export function batchRows(): number {
  const text = process.env.RECON_BATCH_ROWS;
  if (text === undefined || text === '') return BATCH_ROWS;
  if (!/^[1-9][0-9]*$/.test(text)) throw new InputError(`RECON_BATCH_ROWS '${text}' is not a positive whole number`);
  return Number(text);
}

export interface Batch {
  batch_from: string;
  batch_to: string;
}

/** Consecutive keys in batches of about `limit` rows, from each key's row count (in key order). */
export function planBatches(counts: readonly { batch_key: string; row_count: string }[], limit: number): Batch[] {
  const batches: Batch[] = [];
  let current: Batch | undefined;
  let rows = 0;
  for (const { batch_key, row_count } of counts) {
    // Row counts fit a JS number comfortably (they count rows, they are not quantities).
    const n = Number(row_count);
    if (current && rows + n > limit) current = undefined;
    if (!current) {
      current = { batch_from: batch_key, batch_to: batch_key };
      batches.push(current);
      rows = 0;
    }
    current.batch_to = batch_key;
    rows += n;
  }
  return batches;
}

/**
 * Run the query in `file` (its keys bounded by $batch_from and $batch_to, as text: cast them to the key's type) once
 * per batch of the keys that `countsSql` counts (columns batch_key, row_count), in key order, through `statement`,
 * which turns the query into the statement for the batch (the first batch creates a table, the others insert, say).
 * The counts must name the key of every row the query is driven by: a key between two batches that the counts do
 * not name is in no batch. `params` bind in every statement, and in the counts those it names. Returns the number
 * of statements run.
 */
export async function runInBatches(
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
  // DuckDB refuses a named parameter a statement does not use: the counts get those they name
  const countsParams = Object.fromEntries(
    Object.entries(params).filter(([name]) => new RegExp(`\\$${name}\\b`).test(countsSql)),
  );
  const counts = await wh.rows<{ batch_key: string; row_count: string }>(
    `select batch_key::varchar as batch_key, row_count::varchar as row_count
     from (${countsSql}) as counted order by counted.batch_key`,
    countsParams,
    { stage },
  );
  const query = await loadSql(file);
  // No keys: one statement over none (null bounds), so that a table the statement creates exists, empty.
  const batches = counts.length > 0 ? planBatches(counts, limit) : [{ batch_from: null, batch_to: null }];
  for (const [index, batch] of batches.entries()) {
    await wh.run(
      statement(query, index),
      { ...params, batch_from: batch.batch_from, batch_to: batch.batch_to },
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

// Rows a test puts into the warehouse directly, standing in for the stage that would write them (ingest writes
// delivery and billing_line, inventory writes the observations and intervals). Every insert names its columns and
// casts each value to the column's own type, read from the catalog: a column added to a table later cannot shift
// values into the wrong column, and an exact decimal string stays exact. A builder fills only what the table
// requires (NOT NULL) with a neutral default; a suite that wants its own defaults (a v2 SSD storage hour, a
// March 2025 delivery) wraps a builder in its helpers file.
import type { Warehouse } from '../../src/db/warehouse.ts';

/**
 * A column's value: money and quantities as decimal strings, never JS numbers (a number is for a small integer: a
 * line number, a count, a size in GiB); `sql()` for an expression.
 */
export type Value = string | number | bigint | boolean | null | SqlExpression;

/** A value written as SQL, e.g. `sql('now()::timestamp')`. Test code only, never data. */
export class SqlExpression {
  constructor(readonly text: string) {}
}
export const sql = (text: string): SqlExpression => new SqlExpression(text);

export type Columns = Record<string, Value | undefined>;

/** `row` over `defaults`, where a column `row` leaves undefined keeps its default. */
function withDefaults<T extends Columns>(defaults: Columns, row: T): T {
  const merged: Columns = { ...defaults };
  for (const [name, value] of Object.entries(row)) if (value !== undefined) merged[name] = value;
  return merged as T;
}

const columnTypes = new Map<string, Map<string, string>>();

async function typesOf(wh: Warehouse, table: string): Promise<Map<string, string>> {
  const cached = columnTypes.get(table);
  if (cached) return cached;
  const rows = await wh.rows<{ name: string; type: string }>(
    `select column_name as name, data_type as type from duckdb_columns()
     where database_name = current_database() and schema_name = 'main' and table_name = $table`,
    { table },
  );
  if (rows.length === 0) throw new Error(`test builder: no table ${table}`);
  const types = new Map(rows.map((row) => [row.name, row.type]));
  // Every test warehouse is migrated by the same migrations: the types of a table are the same in all of them.
  columnTypes.set(table, types);
  return types;
}

/** Insert rows into `table`, one statement per row, each naming its columns (undefined: the column's default). */
export async function insertRows(wh: Warehouse, table: string, rows: readonly Columns[]): Promise<void> {
  const types = await typesOf(wh, table);
  for (const row of rows) {
    const names: string[] = [];
    const values: string[] = [];
    const params: Record<string, string | number | bigint | boolean | null> = {};
    for (const [name, value] of Object.entries(row)) {
      if (value === undefined) continue;
      const type = types.get(name);
      if (type === undefined) throw new Error(`test builder: ${table} has no column ${name}`);
      names.push(name);
      if (value instanceof SqlExpression) {
        values.push(`(${value.text})::${type}`);
      } else {
        params[name] = value;
        values.push(`$${name}::${type}`);
      }
    }
    await wh.run(`insert into ${table} (${names.join(', ')}) values (${values.join(', ')})`, params);
  }
}

export interface DeliveryRow extends Columns {
  delivery_id: string;
  billing_month: string;
}

/**
 * One delivery: a complete, one-file EA delivery of its own export scope ('file:' || id, so any "current
 * delivery" rule keeps each test delivery), read from `<id>.csv` with no rows, ingested now.
 */
export async function insertDelivery(wh: Warehouse, delivery: DeliveryRow): Promise<void> {
  await insertRows(wh, 'delivery', [
    withDefaults(
      {
        export_scope: `file:${delivery.delivery_id}`,
        dialect: 'ea',
        days_covered: 31,
        file_count: 1,
        byte_count: 0,
        rows_read: 0,
        rows_ingested: 0,
        rows_quarantined: 0,
        is_complete: true,
        source_path: `${delivery.delivery_id}.csv`,
        ingested_at: sql('now()'),
      },
      delivery,
    ),
  ]);
}

export interface BillingLineRow extends Columns {
  delivery_id: string;
  source_file: string;
  source_line: number;
  /** 'YYYY-MM-DD HH:MM:SS' (UTC); billing_month and usage_date follow from it unless given. */
  charge_period_start: string;
  charge_period_end: string;
}

/** Billing lines as ingest writes them; billing_month and usage_date default to those of charge_period_start. */
export async function insertBillingLines(wh: Warehouse, lines: readonly BillingLineRow[]): Promise<void> {
  await insertRows(
    wh,
    'billing_line',
    lines.map((line) =>
      withDefaults(
        { billing_month: line.charge_period_start.slice(0, 7), usage_date: line.charge_period_start.slice(0, 10) },
        line,
      ),
    ),
  );
}

export interface ShareObservationRow extends Columns {
  /** 'YYYY-MM-DD HH:MM:SS' (UTC). */
  observed_at: string;
  share_resource_id: string;
  billing_resource_id: string;
  billing_model: string;
  media_tier: string;
}

/** share_observation rows as the inventory stage reads them; defaults: a live LRS share read from share_state.csv. */
export async function insertShareObservations(wh: Warehouse, rows: readonly ShareObservationRow[]): Promise<void> {
  await insertRows(
    wh,
    'share_observation',
    rows.map((row) =>
      withDefaults(
        {
          resource_kind: row.share_resource_id.includes('/fileservices/') ? 'classic' : 'fileshares',
          redundancy: 'lrs',
          is_deleted: false,
          source_kind: 'csv',
          source_file: 'share_state.csv',
        },
        row,
      ),
    ),
  );
}

export interface ShareIntervalRow extends Columns {
  share_resource_id: string;
  billing_resource_id: string;
  /** 'YYYY-MM-DD HH:MM:SS' (UTC). */
  valid_from: string;
  valid_to: string | null;
  billing_model: string;
  media_tier: string;
}

/**
 * An interval's id as the inventory stage spells it (inv_interval_id, sql/inventory/model.sql): the share or
 * snapshot id '@' its ISO valid_from, e.g. …/shares/data@2026-10-01T00:00:00Z. `validFrom` as the tests write
 * timestamps ('2026-10-01 00:00:00', a date, or ISO).
 */
export function intervalId(resource: string, validFrom: string): string {
  const utc = /^\d{4}-\d{2}-\d{2}$/.test(validFrom)
    ? `${validFrom}T00:00:00Z`
    : /[zZ]$/.test(validFrom)
      ? validFrom
      : `${validFrom.replace(' ', 'T')}Z`;
  const time = new Date(utc);
  if (Number.isNaN(time.getTime())) throw new Error(`intervalId: '${validFrom}' is not a timestamp`);
  return `${resource}@${time.toISOString().replace('.000Z', 'Z')}`;
}

/**
 * share_interval rows as the inventory stage writes them. Defaults: id share '@' valid_from (intervalId), a live LRS share of
 * the kind its id says, observed when the interval starts, read from share_state.csv.
 */
export async function insertShareIntervals(wh: Warehouse, intervals: readonly ShareIntervalRow[]): Promise<void> {
  await insertRows(
    wh,
    'share_interval',
    intervals.map((interval) =>
      withDefaults(
        {
          share_interval_id: intervalId(interval.share_resource_id, interval.valid_from),
          resource_kind: interval.share_resource_id.includes('/fileservices/') ? 'classic' : 'fileshares',
          state: 'live',
          redundancy: 'lrs',
          observed_at: interval.valid_from,
          source_file: 'share_state.csv',
        },
        interval,
      ),
    ),
  );
}

export interface SnapshotIntervalRow extends Columns {
  snapshot_resource_id: string;
  valid_from: string;
  valid_to: string | null;
}

/** disk_snapshot_interval rows; defaults: id snapshot '@' valid_from (intervalId), LRS, observed at valid_from. */
export async function insertSnapshotIntervals(wh: Warehouse, intervals: readonly SnapshotIntervalRow[]): Promise<void> {
  await insertRows(
    wh,
    'disk_snapshot_interval',
    intervals.map((interval) =>
      withDefaults(
        {
          snapshot_interval_id: intervalId(interval.snapshot_resource_id, interval.valid_from),
          redundancy: 'lrs',
          observed_at: interval.valid_from,
          source_file: 'disk_snapshot.csv',
        },
        interval,
      ),
    ),
  );
}

export interface TransactionCountRow extends Columns {
  usage_hour: string;
  billing_resource_id: string;
  api_name: string;
  bucket: string;
  /** An exact integer: a string or bigint. */
  transaction_count: string | bigint;
}

/** transaction_count rows as the inventory stage reads them from transactions.csv. */
export async function insertTransactionCounts(wh: Warehouse, rows: readonly TransactionCountRow[]): Promise<void> {
  await insertRows(
    wh,
    'transaction_count',
    rows.map((row) => withDefaults({ source_file: 'transactions.csv' }, row)),
  );
}

/** `timestamp` ('YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD', UTC) plus whole hours, as 'YYYY-MM-DD HH:MM:SS'. */
export function addHours(timestamp: string, hours: number): string {
  const at = new Date(`${timestamp.length === 10 ? `${timestamp} 00:00:00` : timestamp}Z`.replace(' ', 'T'));
  if (Number.isNaN(at.getTime())) throw new Error(`test builder: not a timestamp: ${timestamp}`);
  return new Date(at.getTime() + hours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The last day of a month 'YYYY-MM', as 'YYYY-MM-DD'. */
export function lastDayOf(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  if (year === undefined || monthNumber === undefined) throw new Error(`test builder: not a month: ${month}`);
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

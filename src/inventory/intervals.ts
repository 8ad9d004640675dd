// Rebuilds share_interval and disk_snapshot_interval from all observations in the warehouse
// (sql/inventory/share_interval.sql, disk_snapshot_interval.sql). A full rebuild: inventory is small, and an
// observation added anywhere in a share's history changes its neighbours' intervals.
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { querySql } from './sql.ts';

export interface IntervalOptions {
  /** ISO-8601 time up to which open intervals are known to hold (default: the end of their observation's UTC day). */
  asOf?: string;
}

export interface IntervalCounts {
  shareIntervals: number;
  snapshotIntervals: number;
}

/** Rebuilds both interval tables. Runs inside the caller's transaction. */
export async function rebuildIntervals(wh: Warehouse, options: IntervalOptions = {}): Promise<IntervalCounts> {
  const context = { stage: 'inventory' };
  let asOf: string | null = null;
  if (options.asOf !== undefined) {
    const parsed = await wh.row<{ t: string | null }>(
      'select inv_timestamp($t)::varchar as t',
      { t: options.asOf },
      context,
    );
    if (!parsed?.t) throw new InputError(`as-of time '${options.asOf}' is not an ISO-8601 timestamp`);
    asOf = parsed.t;
  }
  for (const [table, file] of [
    ['share_interval', 'inventory/share_interval.sql'],
    ['disk_snapshot_interval', 'inventory/disk_snapshot_interval.sql'],
  ] as const) {
    await wh.run(`delete from ${table}`, undefined, context);
    await wh.run(
      `insert into ${table} by name ${await querySql(file)}`,
      { as_of: asOf },
      { stage: 'inventory', file: `sql/${file}` },
    );
  }
  const counts = await wh.row<{ shares: number; snapshots: number }>(
    `select (select count(*) from share_interval)::integer as shares,
            (select count(*) from disk_snapshot_interval)::integer as snapshots`,
    undefined,
    context,
  );
  return { shareIntervals: counts?.shares ?? 0, snapshotIntervals: counts?.snapshots ?? 0 };
}

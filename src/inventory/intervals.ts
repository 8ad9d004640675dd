// Rebuilds share_interval and disk_snapshot_interval from all observations in the warehouse
// (sql/inventory/share_interval.sql, disk_snapshot_interval.sql). A full rebuild: an observation added anywhere in a
// share's history changes its neighbours' intervals (a month of hourly observations of 10,000 shares, 7.3M, takes
// about 75 s, a batch of shares at a time).
import { runInBatches } from '../db/batches.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { querySql } from './sql.ts';

export interface IntervalOptions {
  /**
   * ISO-8601 time up to which the last state of each share and snapshot is known to hold (--inventory-as-of).
   * Default: a change-log CSV row to the end of the billed period, a JSON snapshot to the end of its UTC day.
   */
  asOf?: string;
}

export interface IntervalCounts {
  shareIntervals: number;
  snapshotIntervals: number;
  /** The assumption made for change-log rows held past their day, in words for the summary; null when none. */
  heldLastState: string | null;
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
  // The end of the billed period being reconciled: the day after the last usage day any current delivery bills.
  const billed = await wh.row<{ t: string | null }>(
    `select (max(coalesce(period_end, last_charge_at::date)) + interval 1 day)::timestamp::varchar as t
     from current_delivery`,
    undefined,
    context,
  );
  const billedUntil = billed?.t ?? null;
  const params = { as_of: asOf, billed_until: billedUntil };
  await wh.run('delete from share_interval', undefined, context);
  await runInBatches(wh, {
    stage: 'inventory',
    file: 'inventory/share_interval.sql',
    countsSql: 'select share_resource_id as batch_key, count(*) as row_count from share_observation group by all',
    statement: (query) => `insert into share_interval by name ${query}`,
    params,
  });
  const snapshotFile = 'inventory/disk_snapshot_interval.sql';
  await wh.run('delete from disk_snapshot_interval', undefined, context);
  await wh.run(`insert into disk_snapshot_interval by name ${await querySql(snapshotFile)}`, params, {
    stage: 'inventory',
    file: `sql/${snapshotFile}`,
  });
  const counts = await wh.row<{ shares: number; snapshots: number }>(
    `select (select count(*) from share_interval)::integer as shares,
            (select count(*) from disk_snapshot_interval)::integer as snapshots`,
    undefined,
    context,
  );
  return {
    shareIntervals: counts?.shares ?? 0,
    snapshotIntervals: counts?.snapshots ?? 0,
    heldLastState: await heldLastState(wh, asOf !== null),
  };
}

/**
 * "2 shares and 1 snapshot of the change-log CSVs last changed before 15 Feb 2026; held to 28 Feb 2026 (…)": the
 * change-log rows whose last state is held past their own day, so the user can correct the assumption.
 */
async function heldLastState(wh: Warehouse, isAsOf: boolean): Promise<string | null> {
  const row = await wh.row<{ shares: number; snapshots: number; before: string; held_to: string }>(
    `with held as (
       select 'share' as kind, observed_at, covered_to from share_interval
       where valid_to is null and covered_to > date_trunc('day', observed_at) + interval 1 day
         and lower(source_file) like '%.csv'
       union all
       select 'snapshot', observed_at, covered_to from disk_snapshot_interval
       where valid_to is null and covered_to > date_trunc('day', observed_at) + interval 1 day
         and lower(source_file) like '%.csv'
     )
     select count(*) filter (where kind = 'share')::integer as shares,
            count(*) filter (where kind = 'snapshot')::integer as snapshots,
            strftime(date_trunc('day', max(observed_at)) + interval 1 day, '%-d %b %Y') as before,
            case when $as_of then strftime(max(covered_to), '%-d %b %Y %H:%M UTC')
                 else strftime(max(covered_to) - interval 1 day, '%-d %b %Y') end as held_to
     from held having count(*) > 0`,
    { as_of: isAsOf },
    { stage: 'inventory' },
  );
  if (!row) return null;
  const counted = [
    row.shares > 0 ? `${row.shares} ${row.shares === 1 ? 'share' : 'shares'}` : null,
    row.snapshots > 0 ? `${row.snapshots} ${row.snapshots === 1 ? 'snapshot' : 'snapshots'}` : null,
  ].filter((part): part is string => part !== null);
  const why = isAsOf ? '--inventory-as-of' : 'the end of the billed period; --inventory-as-of says otherwise';
  return `${counted.join(' and ')} of the change-log CSVs last changed before ${row.before}; held to ${row.held_to} (${why})`;
}

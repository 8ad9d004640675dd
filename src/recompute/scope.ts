// Validates a recompute scope, and installs recompute's parameters (horizon, bucket), meter rules and views for the
// sql/recompute files. The slice itself is installed as the scope (run_scope, src/scope.ts withStageScope) and read
// through the in_scope_* macros like every other stage's; its days are recompute_parameter's window.
import { BUCKET_METER, type TransactionBucket } from '../billing/transaction-buckets.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { checkScope, isCalendarDay, lastDayOfMonth, type RunScope } from '../scope.ts';
import { meterRuleRows } from './rules.ts';

/** The run scope (src/scope.ts) and, for recompute alone, how far open intervals reach. */
export interface RecomputeScope extends RunScope {
  /**
   * Where intervals without valid_to end ('YYYY-MM-DD HH:MM:SS', UTC). Default: the latest time the inventory
   * observed anything — what was last seen is assumed to hold until then, not beyond.
   */
  horizon?: string;
}

/** The scope as SQL will see it: usage days [windowFrom, windowTo) as timestamps, null = unbounded. */
export interface ResolvedScope {
  windowFrom: string | null;
  windowTo: string | null;
  prefixes: string[];
  horizon: string | null;
}

export type Bucket = 'day' | 'hour';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/;

export function resolveScope(scope: RecomputeScope = {}): ResolvedScope {
  const { month, from, to, prefixes } = checkScope('recompute', scope);
  let windowFrom: string | null = month === null ? null : `${month}-01`;
  let windowTo: string | null = month === null ? null : addDays(lastDayOfMonth(month), 1);
  if (from !== null && (windowFrom === null || from > windowFrom)) windowFrom = from;
  if (to !== null) {
    const toExclusive = addDays(to, 1);
    if (windowTo === null || toExclusive < windowTo) windowTo = toExclusive;
  }
  if (windowFrom !== null && windowTo !== null && windowFrom >= windowTo) {
    throw new InputError(
      `recompute: the scope selects no day (month ${scope.month ?? '-'}, from ${scope.from ?? '-'}, to ${scope.to ?? '-'})`,
    );
  }
  let horizon: string | null = null;
  if (scope.horizon !== undefined) {
    const match = TIMESTAMP.exec(scope.horizon);
    if (!match) throw new InputError(`recompute: horizon '${scope.horizon}' is not 'YYYY-MM-DD HH:MM:SS' (UTC)`);
    if (!isCalendarDay(`${match[1]}-${match[2]}-${match[3]}`)) {
      throw new InputError(`recompute: horizon '${scope.horizon}' is not a calendar date and time`);
    }
    horizon = `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}`;
  }
  return {
    windowFrom: windowFrom === null ? null : `${windowFrom} 00:00:00`,
    windowTo: windowTo === null ? null : `${windowTo} 00:00:00`,
    prefixes,
    horizon,
  };
}

/**
 * Installs recompute's parameters, the meter rules and the recompute views for the following recompute SQL; the
 * slice must be installed as the scope already (withStageScope).
 */
export async function installRecompute(wh: Warehouse, horizon: string | null, bucket: Bucket): Promise<void> {
  const stage = { stage: 'recompute' };
  await wh.runFile('recompute/recompute_parameter.sql', { horizon, bucket: bucket === 'day' ? '1 day' : '1 hour' });
  await wh.run(
    `create or replace temp table recompute_meter_rule (
       meter varchar primary key, rule varchar not null, unit_kind varchar not null, numerator_unit varchar not null,
       denominator_base bigint not null)`,
    undefined,
    stage,
  );
  for (const row of meterRuleRows()) {
    await wh.run(
      'insert into recompute_meter_rule values ($meter, $rule, $unit_kind, $numerator_unit, $denominator_base::bigint)',
      {
        meter: row.meter,
        rule: row.rule,
        unit_kind: row.unitKind,
        numerator_unit: row.numeratorUnit,
        denominator_base: row.denominatorBase.toString(),
      },
      stage,
    );
  }
  await wh.run(
    'create or replace temp table recompute_bucket_meter (bucket varchar primary key, meter varchar not null)',
    undefined,
    stage,
  );
  for (const [bucketName, meter] of Object.entries(BUCKET_METER) as [TransactionBucket, string][]) {
    await wh.run('insert into recompute_bucket_meter values ($bucket, $meter)', { bucket: bucketName, meter }, stage);
  }
  for (const file of [
    'recompute_source_interval.sql',
    'recompute_meter_rate.sql',
    'recompute_interval_bucket.sql',
    'recompute_interval_part.sql',
    'recompute_share_usage.sql',
  ]) {
    await wh.runFile(`recompute/${file}`);
  }
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

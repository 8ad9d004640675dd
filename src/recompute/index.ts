// The recompute stage: from share / snapshot intervals and transaction counts, what every meter should have billed
// (spec/billing-rules.md), per share, per billed resource and day, and per month; plus how much of each day the
// inventory observed. Bulk work is in sql/recompute; this module validates the scope, audits the intervals and runs
// the files in one transaction, replacing the slice in scope.
import type { MeterKey } from '../billing/meters.ts';
import { runInBatches } from '../db/batches.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError, SqlError } from '../errors.ts';
import { firstLines } from '../output/format.ts';
import { withStageScope } from '../scope.ts';
import { installRecompute, resolveScope, type RecomputeScope } from './scope.ts';

export type { RecomputeScope } from './scope.ts';
export { RECOMPUTE_RULES, type RecomputeRule } from './rules.ts';

export interface RecomputeReport {
  /** expected_usage rows (billed resource × meter × day) in the scope after the run. */
  expectedRows: number;
  /** Billed resources with expected usage in the scope. */
  resources: number;
  /** Billing months (YYYY-MM) with expected usage in the scope, ascending. */
  months: string[];
}

export interface ExpectedHourlyRow {
  billingResourceId: string;
  meter: MeterKey;
  /** 'YYYY-MM-DD HH:00:00', UTC. */
  usageHour: string;
  rule: string;
  /** Decimal string, rounded half-up at the 20th decimal of quantityNumerator / quantityDenominator. */
  quantity: string;
  quantityNumerator: string;
  quantityDenominator: string;
  sourceResourceIds: string[];
  intervalIds: string[];
  /** False when an input (a size, a tier) was unknown for part of the hour: quantity is then a lower bound. */
  isComplete: boolean;
}

const STAGE = 'recompute';

/**
 * The recompute's steps, in order, each replacing the scope's slice of its table (sql/recompute/<table>.sql).
 * expected_usage has about one group per row, each with a list of its sources, which DuckDB cannot spill: it is
 * summed a batch of usage days at a time (src/db/batches.ts). In one statement it fit a first night but ran out of
 * memory at 1GB in the transaction that replaces a month already loaded, keys or none (2026-12-07).
 */
export const RECOMPUTE_STEPS: readonly { table: string; run: (wh: Warehouse) => Promise<unknown> }[] = [
  { table: 'expected_share_usage', run: (wh) => wh.runFile('recompute/expected_share_usage.sql') },
  { table: 'expected_interval', run: (wh) => wh.runFile('recompute/expected_interval.sql') },
  {
    table: 'expected_usage',
    run: async (wh) => {
      const inScope = 'in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id)';
      await wh.run(`delete from expected_usage where ${inScope}`, undefined, { stage: STAGE });
      return runInBatches(wh, {
        stage: STAGE,
        file: 'recompute/expected_usage.sql',
        countsSql: `select usage_date as batch_key, count(*) as row_count
                    from expected_share_usage where ${inScope} group by usage_date`,
        statement: (query) => `insert into expected_usage by name ${query}`,
      });
    },
  },
  { table: 'expected_usage_month', run: (wh) => wh.runFile('recompute/expected_usage_month.sql') },
  { table: 'inventory_coverage', run: (wh) => wh.runFile('recompute/inventory_coverage.sql') },
];

export async function recompute(wh: Warehouse, scope: RecomputeScope = {}): Promise<RecomputeReport> {
  const { horizon } = resolveScope(scope);
  return withStageScope(wh, STAGE, scope, async () => {
    await installRecompute(wh, horizon, 'day');
    await auditIntervals(wh);
    await wh.transaction(STAGE, async () => {
      for (const step of RECOMPUTE_STEPS) await step.run(wh);
      await auditExpectedKeys(wh);
    });
    // the interval parts are the recompute's largest relation: give their memory back to the billed and diff stages
    await wh.dropTempTables(STAGE, ['recompute_interval_part', 'recompute_source_interval']);
    return report(wh);
  });
}

/**
 * Expected usage of one billed resource hour by hour over [from, to] (YYYY-MM-DD, inclusive), from the same rules as
 * recompute(): evidence for a dispute, computed on demand and not stored.
 */
export async function expectedHourly(
  wh: Warehouse,
  billingResourceId: string,
  from: string,
  to: string,
): Promise<ExpectedHourlyRow[]> {
  const id = billingResourceId.trim().toLowerCase();
  const slice = { from, to, resourcePrefixes: [id] };
  resolveScope(slice);
  return withStageScope(wh, STAGE, slice, async () => {
    await installRecompute(wh, null, 'hour');
    await auditIntervals(wh);
    return hourlyRows(wh, id);
  });
}

async function hourlyRows(wh: Warehouse, id: string): Promise<ExpectedHourlyRow[]> {
  const rows = await wh.rowsFromFile<{
    billing_resource_id: string;
    meter: MeterKey;
    usage_hour: string;
    rule: string;
    quantity: string;
    quantity_numerator: string;
    quantity_denominator: string;
    source_resource_ids: string[];
    interval_ids: string[] | null;
    is_complete: boolean;
  }>('recompute/expected_hourly.sql', { billing_resource_id: id });
  return rows.map((r) => ({
    billingResourceId: r.billing_resource_id,
    meter: r.meter,
    usageHour: r.usage_hour,
    rule: r.rule,
    quantity: r.quantity,
    quantityNumerator: r.quantity_numerator,
    quantityDenominator: r.quantity_denominator,
    sourceResourceIds: r.source_resource_ids,
    intervalIds: r.interval_ids ?? [],
    isComplete: r.is_complete,
  }));
}

type AuditRow = {
  source_kind: string;
  source_interval_id: string;
  source_file: string;
  source_line: string | null;
  problem: string;
};

/** Refuses intervals the integral would get wrong, naming where each came from. */
async function auditIntervals(wh: Warehouse): Promise<void> {
  const problems = await wh.rowsFromFile<AuditRow>('recompute/audit_interval.sql');
  if (problems.length === 0) return;
  const lines = problems.map(
    (p) => `${p.source_file}:${p.source_line ?? '?'}: ${p.source_kind} interval ${p.source_interval_id}: ${p.problem}`,
  );
  throw new InputError(
    `recompute: ${problems.length} inventory interval(s) cannot be recomputed:\n${firstLines(lines)}`,
  );
}

/**
 * Refuses the recompute (inside its transaction, so nothing of it is kept) when a key of expected_share_usage or
 * expected_usage is held by more than one row: the tables keep their grain by construction, not by a primary key.
 */
export async function auditExpectedKeys(wh: Warehouse): Promise<void> {
  const file = 'recompute/audit_expected_key.sql';
  const repeated = await wh.rowsFromFile<{
    relation: string;
    resource_id: string;
    meter: string;
    usage_date: string;
    row_count: string;
  }>(file);
  if (repeated.length === 0) return;
  const lines = repeated.map(
    (r) => `${r.relation}: ${r.resource_id} × ${r.meter} × ${r.usage_date}: ${r.row_count} rows for one key`,
  );
  throw new SqlError(STAGE, `sql/${file}`, new Error(`repeated keys in the recompute's output:\n${firstLines(lines)}`));
}

async function report(wh: Warehouse): Promise<RecomputeReport> {
  const summary = await wh.row<{ expected_rows: string; resources: string; months: string[] | null }>(
    `select count(*) as expected_rows, count(distinct billing_resource_id) as resources,
            list(distinct billing_month order by billing_month) as months
     from expected_usage
     where in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id)`,
    undefined,
    { stage: 'recompute' },
  );
  return {
    expectedRows: Number(summary?.expected_rows ?? 0),
    resources: Number(summary?.resources ?? 0),
    months: summary?.months ?? [],
  };
}

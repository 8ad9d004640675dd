// The diff stage: billed usage against expected usage, classified into the finding kinds of contract.md.
// Bulk work is in sql/diff (the slice's lines matched to the catalog once in diff_line.sql, the wrong-meter inference in diff_wrong_meter.sql, one full outer join in diff_cell.sql,
// the unit-convention search over its mismatches in diff_cell_unit_convention.sql, one view per group of finding kinds); this module
// validates the options, binds them once into diff_parameter, installs its slice as the scope (run_scope, read by
// the in_scope_* macros), audits both sides' keys, and replaces the slice of `comparison` and `finding` in one
// transaction.
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { intoTempTable, runInBatches } from '../db/batches.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError, SqlError } from '../errors.ts';
import { firstLines } from '../output/format.ts';
import { withStageScope, type RunScope } from '../scope.ts';
import { METER_KEYS } from '../billing/meters.ts';
import { RECOMPUTE_RULES } from '../recompute/rules.ts';
import { DEFAULT_SETTLE_HOURS, SEVERITY_HIGH_COST, SEVERITY_MEDIUM_COST } from './policy.ts';

export interface DiffOptions {
  runId: string;
  /** Absolute tolerance in the meter's unit, a decimal string ≥ 0. */
  tolerance: string;
  /** Relative tolerance in percent of the expected figure, a decimal string ≥ 0. */
  tolerancePct: string;
  /** Settle window in hours after the end of a usage day (default 72). */
  settleHours?: number;
  scope?: RunScope;
}

export interface DiffReport {
  findings: number;
  byKind: Record<string, number>;
  bySeverity: Record<string, number>;
  /** Sum of cost_impact as a decimal string; null when no finding has money or they are in several currencies. */
  costImpact: string | null;
  currency: string | null;
  billingMonths: string[];
}

const STAGE = 'diff';

// Temp tables and views, in dependency order. diff_parameter and diff_rule are bound first (parameterised).
const SETUP_FILES = [
  'diff/diff_month.sql',
  'diff/diff_line.sql',
  'diff/diff_duplicate_line.sql',
  'diff/diff_resource_delivery.sql',
  'diff/diff_unit_convention.sql',
  'diff/diff_unit_convention_match.sql',
];
const AUDITS = [
  { file: 'diff/audit_billed_usage_key.sql', relation: 'billed_usage' },
  { file: 'diff/audit_expected_usage_key.sql', relation: 'expected_usage' },
] as const;
// Built a batch of usage dates at a time (src/db/batches.ts), first: about one group per billed_usage row.
const BATCHED_TABLES = ['diff_wrong_meter', 'diff_billed_cell'];
const BILLED_ROWS_PER_DAY = `select usage_date as batch_key, count(*) as row_count
                             from billed_usage join diff_month using (billing_month) group by usage_date`;
const BUILD_FILES = [
  'diff/diff_cell.sql',
  'diff/diff_cell_unit_convention.sql',
  'diff/diff_wrong_meter_money.sql',
  'diff/diff_month_total.sql',
  'diff/diff_finding_comparison.sql',
  'diff/diff_finding_month.sql',
  'diff/diff_finding_duplicate.sql',
  'diff/diff_finding_unmapped.sql',
  'diff/diff_finding_price.sql',
  'diff/diff_finding_metadata.sql',
];
const WRITE_FILES = ['diff/comparison.sql', 'diff/finding.sql'];
// Dropped when the slice is written (diff_wrong_meter holds the few wrong cells only, and stays for inspection).
const MONTH_SIZED_TABLES = ['diff_line', 'diff_duplicate_line', 'diff_billed_cell', 'diff_cell'];

export async function runDiff(wh: Warehouse, options: DiffOptions): Promise<DiffReport> {
  return withStageScope(wh, STAGE, options.scope ?? {}, () => diffSlice(wh, options));
}

/** The diff of the stage's slice, installed as the scope (run_scope, read by in_scope_row and in_scope_month). */
async function diffSlice(wh: Warehouse, options: DiffOptions): Promise<DiffReport> {
  await installDiff(wh, options);
  await auditKeys(wh);
  for (const table of BATCHED_TABLES) {
    await runInBatches(wh, {
      stage: STAGE,
      file: `diff/${table}.sql`,
      countsSql: BILLED_ROWS_PER_DAY,
      statement: intoTempTable(table),
    });
  }
  for (const file of BUILD_FILES) await wh.runFile(file);
  await wh.transaction(STAGE, async () => {
    for (const file of WRITE_FILES) await wh.runFile(file);
  });
  // the slice's lines and cells are month-sized: give their memory back before the next slice or stage
  await wh.dropTempTables(STAGE, MONTH_SIZED_TABLES);
  return report(wh);
}

/** Creates the diff macros and binds the options into diff_parameter and the rule texts into diff_rule. */
async function installDiff(wh: Warehouse, options: DiffOptions): Promise<void> {
  await wh.runFile('diff/diff_macros.sql');
  await wh.runFile('diff/diff_parameter.sql', parameters(options));
  const rules = METER_KEYS.flatMap((meter) => {
    const rule = RECOMPUTE_RULES[meter];
    return rule === null ? [] : [{ meter, rule: rule.rule, formula: rule.formula }];
  });
  await wh.runFile('diff/diff_rule.sql', {
    meters: listValue(rules.map((r) => r.meter)),
    rules: listValue(rules.map((r) => r.rule)),
    formulas: listValue(rules.map((r) => r.formula)),
  });
  for (const file of SETUP_FILES) await wh.runFile(file);
}

const DECIMAL = /^\d{1,18}(\.\d{1,18})?$/;
const PCT = /^\d{1,3}(\.\d{1,6})?$/;

function parameters(options: DiffOptions): Record<string, DuckDBValue> {
  const { tolerance, tolerancePct, settleHours = DEFAULT_SETTLE_HOURS } = options;
  if (!DECIMAL.test(tolerance)) throw new InputError(`diff: tolerance '${tolerance}' is not a decimal ≥ 0`);
  if (!PCT.test(tolerancePct)) {
    throw new InputError(`diff: tolerance-pct '${tolerancePct}' is not a percentage ≥ 0 with at most 6 decimals`);
  }
  if (!Number.isInteger(settleHours) || settleHours < 0) {
    throw new InputError(`diff: settle hours ${settleHours} is not a whole number ≥ 0`);
  }
  const unrecomputed = METER_KEYS.filter((meter) => RECOMPUTE_RULES[meter] === null);
  return {
    run_id: options.runId,
    tolerance,
    tolerance_pct: tolerancePct,
    settle_hours: settleHours,
    unrecomputed_meters: listValue(unrecomputed),
    severity_high_cost: SEVERITY_HIGH_COST,
    severity_medium_cost: SEVERITY_MEDIUM_COST,
  };
}

interface AuditRow extends Record<string, unknown> {
  billing_resource_id: string | null;
  usage_date: string | null;
  problem: string;
  meter_key?: string | null;
  meter?: string | null;
  evidence?: string[] | null;
}

/** data-diff's first rule: both sides' keys must be non-null and unique, or the join would miscount. */
async function auditKeys(wh: Warehouse): Promise<void> {
  for (const { file, relation } of AUDITS) {
    const rows = await wh.rowsFromFile<AuditRow>(file);
    if (rows.length === 0) continue;
    const problems = rows.map((r) => {
      const key = `${r.billing_resource_id ?? 'NULL'} × ${r.meter_key ?? r.meter ?? 'NULL'} × ${r.usage_date ?? 'NULL'}`;
      const lines = r.evidence && r.evidence.length > 0 ? ` (${r.evidence.join(', ')})` : '';
      return `${key}: ${r.problem}${lines}`;
    });
    throw new SqlError(
      STAGE,
      `sql/${file}`,
      new Error(`${relation} has ${rows.length} key(s) that are NULL or not unique:\n${firstLines(problems)}`),
    );
  }
}

async function report(wh: Warehouse): Promise<DiffReport> {
  const rows = await wh.rowsFromFile<{ dimension: string; value: string | null; amount: string | null }>(
    'diff/diff_report.sql',
  );
  const byKind: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  const money: { currency: string | null; amount: string }[] = [];
  const billingMonths: string[] = [];
  for (const { dimension, value, amount } of rows) {
    // counts are row counts (safe as JS numbers); money stays a decimal string
    if (dimension === 'kind' && value !== null) byKind[value] = Number(amount);
    if (dimension === 'severity' && value !== null) bySeverity[value] = Number(amount);
    if (dimension === 'currency' && amount !== null) money.push({ currency: value, amount });
    if (dimension === 'month' && value !== null) billingMonths.push(value);
  }
  const findings = Object.values(byKind).reduce((sum, n) => sum + n, 0);
  const single = money.length === 1 ? money[0] : undefined;
  return {
    findings,
    byKind,
    bySeverity,
    costImpact: single?.amount ?? null,
    currency: single?.currency ?? null,
    billingMonths,
  };
}

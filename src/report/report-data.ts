// Reads what the reports show from the warehouse, once, into typed rows. Decimals stay the exact strings DuckDB
// returns; the writers decide how to spell them.
import { listValue } from '@duckdb/node-api';
import type { Warehouse } from '../db/warehouse.ts';
import type { MoneyDirection, PublicFinding } from './finding.ts';

/** One finding: the public columns of contract.md plus the evidence the HTML report shows. */
export interface FindingRow extends PublicFinding {
  /** The meter's unit, which billed, expected and delta quantities are in; null for an unmapped meter. */
  unit: string | null;
  rule: string | null;
  unit_convention: string | null;
  evidence_json: string | null;
}

export interface RollupRow {
  dimension: 'kind' | 'meter' | 'severity' | 'total';
  value: string | null;
  currency: string | null;
  finding_count: string;
  case_count: string;
  overbilled_cost: string | null;
  underbilled_cost: string | null;
  unverifiable_cost: string | null;
}

/** One case (sql/diff/finding_case.sql): findings of one problem over contiguous days. */
export interface CaseRow {
  case_id: string;
  billing_month: string;
  billing_resource_id: string | null;
  meter: string | null;
  meters: string[] | null;
  billed_meter_name: string | null;
  kind: string;
  cause: string | null;
  severity: string;
  money_direction: MoneyDirection;
  first_day: string | null;
  last_day: string | null;
  day_count: number;
  finding_count: number;
  billed_quantity: string | null;
  expected_quantity: string | null;
  delta_quantity: string | null;
  billed_cost: string | null;
  cost_impact: string | null;
  overbilled_cost: string | null;
  underbilled_cost: string | null;
  unverifiable_cost: string | null;
  currency: string | null;
  provisional: boolean;
  explanation: string;
  finding_ids: string[];
}

export interface QuarantineReasonRow {
  stage: string;
  reason: string;
  row_count: string;
  examples: string[];
}

export interface ChartPointRow {
  chart_rank: string;
  pair_count: string;
  finding_count: string;
  billing_month: string;
  billing_resource_id: string;
  meter: string;
  usage_date: string;
  billed_quantity: string | null;
  expected_quantity: string | null;
  is_covered: boolean;
  status: 'match' | 'finding' | 'unverifiable';
}

export interface ReportData {
  findings: FindingRow[];
  cases: CaseRow[];
  rollup: RollupRow[];
  quarantine: QuarantineReasonRow[];
  chartPoints: ChartPointRow[];
}

/** Examples listed per quarantine reason in summary.md. */
export const QUARANTINE_EXAMPLES = 3;
/** Charts drawn in report.html; the rest of the compared pairs are in parquet/comparison. */
export const MAX_CHARTS = 200;

export async function loadReportData(wh: Warehouse, billingMonths: readonly string[]): Promise<ReportData> {
  // An empty list has no element type to bind; NULL matches no month, which is what an empty scope means.
  const months = billingMonths.length > 0 ? listValue([...billingMonths]) : null;
  const data: ReportData = {
    findings: await wh.rowsFromFile<FindingRow & Record<string, unknown>>('report/report_finding.sql', {
      billing_months: months,
    }),
    cases: await wh.rowsFromFile<CaseRow & Record<string, unknown>>('report/report_case.sql', {
      billing_months: months,
    }),
    rollup: await wh.rowsFromFile<RollupRow & Record<string, unknown>>('report/finding_rollup.sql', {
      billing_months: months,
    }),
    quarantine: await wh.rowsFromFile<QuarantineReasonRow & Record<string, unknown>>(
      'report/quarantine_by_reason.sql',
      { billing_months: months, example_count: QUARANTINE_EXAMPLES },
    ),
    chartPoints: await wh.rowsFromFile<ChartPointRow & Record<string, unknown>>('report/comparison_chart_point.sql', {
      billing_months: months,
      max_charts: MAX_CHARTS,
    }),
  };
  return data;
}

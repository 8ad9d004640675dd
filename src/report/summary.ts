// The run summary of contract.md: what the run read, set aside and found. Printed with --json and written to
// out/summary.json and out/summary.md. Every figure comes from a stage report or the warehouse, never estimated.
import { SEVERITIES, type Severity } from '../config.ts';
import { runFingerprint, type RunFingerprint } from '../pipeline/fingerprint.ts';
import { monthsInScope, type StageContext } from '../pipeline/stages.ts';

export interface StageTiming {
  name: string;
  seconds: number;
  rows: number;
}

export interface RunSummary {
  run_id: string;
  pipeline: string;
  status: 'succeeded' | 'failed';
  scope: { month: string | null; from: string | null; to: string | null; resources: string[] };
  inputs: {
    files: number;
    rows_read: number;
    rows_ingested: number;
    rows_quarantined: number;
    deliveries_replaced: number;
    deliveries_incomplete: number;
    inventory_files: number;
    inventory_records_read: number;
    inventory_records_quarantined: number;
    transaction_rows_read: number;
    transaction_rows_quarantined: number;
  };
  expected: { rows: number; resources: number; months: string[] };
  billed: { lines: number; mapped_lines: number; unmapped_lines: number; ignored_lines: number };
  provisioning_violations: number;
  findings: { total: number; by_kind: Record<string, number>; by_severity: Record<string, number> };
  /** Money at stake across all findings, decimal string in billing currency; null when nothing was compared. */
  cost_impact: string | null;
  currency: string | null;
  /** Same fingerprint → same findings: hashes of deliveries, inventory, rules and tolerances. */
  fingerprint: RunFingerprint;
  /** Plain-language warnings about the inputs (e.g. an inventory that covers none of the billed resources). */
  warnings: string[];
  stages: StageTiming[];
}

export async function buildRunSummary(context: StageContext, status: RunSummary['status']): Promise<RunSummary> {
  const { pipeline } = context;
  const { results, config } = context;
  const ingest = results.ingest;
  const inventory = results.inventory;
  const transactions = results.transactions;
  const currency = await billingCurrency(context);
  return {
    run_id: context.runId,
    pipeline: pipeline.name,
    status,
    scope: {
      month: config.month ?? null,
      from: config.from ?? null,
      to: config.to ?? null,
      resources: config.resources,
    },
    inputs: {
      files: ingest?.files ?? 0,
      rows_read: ingest?.rowsRead ?? 0,
      rows_ingested: ingest?.rowsIngested ?? 0,
      rows_quarantined: ingest?.rowsQuarantined ?? 0,
      deliveries_replaced: ingest?.deliveriesReplaced ?? 0,
      deliveries_incomplete: ingest?.deliveries.filter((delivery) => !delivery.isComplete).length ?? 0,
      inventory_files: inventory?.files ?? 0,
      inventory_records_read: inventory?.recordsRead ?? 0,
      inventory_records_quarantined: inventory?.recordsQuarantined ?? 0,
      transaction_rows_read: transactions?.rowsRead ?? 0,
      transaction_rows_quarantined: transactions?.rowsQuarantined ?? 0,
    },
    expected: {
      rows: results.recompute?.expectedRows ?? 0,
      resources: results.recompute?.resources ?? 0,
      months: results.recompute?.months ?? [],
    },
    billed: {
      lines: results.billed?.lines ?? 0,
      mapped_lines: results.billed?.mappedLines ?? 0,
      unmapped_lines: results.billed?.unmappedLines ?? 0,
      ignored_lines: results.billed?.ignoredLines ?? 0,
    },
    provisioning_violations: results.provisioning?.violations ?? 0,
    findings: {
      total: results.diff?.findings ?? 0,
      by_kind: results.diff?.byKind ?? {},
      by_severity: results.diff?.bySeverity ?? {},
    },
    cost_impact: results.diff?.costImpact ?? null,
    currency: results.diff?.currency ?? currency,
    fingerprint: await runFingerprint(context.wh, config, await monthsInScope(context)),
    warnings: context.warnings,
    stages: context.timings,
  };
}

/** The billing currency of the current lines in scope; 'mixed' is reported as null with every currency listed. */
async function billingCurrency({ wh }: StageContext): Promise<string | null> {
  const exists = await wh.row<{ n: string }>(
    "select count(*) as n from information_schema.tables where table_name = 'current_billing_line'",
  );
  if (exists?.n === '0') return null;
  const rows = await wh.rows<{ billing_currency: string }>(
    'select distinct billing_currency from current_billing_line where billing_currency is not null order by 1',
  );
  return rows.length === 1 ? (rows[0]?.billing_currency ?? null) : null;
}

/** True when a finding at or above `threshold` exists (high > medium > low): the --fail-on test. */
export function tripsFailOn(summary: RunSummary, threshold: Severity): boolean {
  const atOrAbove = SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1);
  return atOrAbove.some((severity) => (summary.findings.by_severity[severity] ?? 0) > 0);
}

// The run summary of contract.md: what the run read, set aside and found. Printed with --json and written to
// out/summary.json and out/summary.md. Every figure comes from a stage report or the warehouse, never estimated.
import { listValue } from '@duckdb/node-api';
import { SEVERITIES, type Severity } from '../config.ts';
import { planOf, type StageContext, type StageTiming } from '../pipeline/context.ts';
import type { RunFingerprint } from '../pipeline/fingerprint.ts';
import { canonicalDecimal } from '../output/format.ts';

export type { StageTiming };

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
    /** Ingested rows kept although a descriptive column (Tags, AdditionalInfo, UnitPrice) could not be read. */
    rows_with_descriptive_problems: number;
    deliveries_replaced: number;
    deliveries_incomplete: number;
    inventory_files: number;
    inventory_records_read: number;
    inventory_records_quarantined: number;
    transaction_rows_read: number;
    transaction_rows_quarantined: number;
  };
  /**
   * The current deliveries of the months in scope and whether each was counted: every usage is reconciled once,
   * from one cost view and one export (counted_delivery, README "Cost views and overlapping exports").
   */
  deliveries: { used: DeliveryUse[]; set_aside: DeliveryUse[] };
  expected: { rows: number; resources: number; months: string[] };
  billed: {
    lines: number;
    mapped_lines: number;
    /** Files and snapshot meters recon knows and does not reconcile (the catalog's not_reconciled verdict). */
    known_not_reconciled_lines: number;
    unmapped_lines: number;
    ignored_lines: number;
  };
  /** Provisioning rule violations on the usage days of the months in scope. */
  provisioning_violations: number;
  /** Findings of the months in scope (and resources, when --resource is given) as the warehouse now holds them. */
  findings: { total: number; by_kind: Record<string, number>; by_severity: Record<string, number> };
  /** The same findings grouped into cases (one problem, one case: sql/diff/finding_case.sql). */
  cases: { total: number; by_kind: Record<string, number>; by_severity: Record<string, number> };
  /**
   * Money at stake by direction, decimal strings in billing currency (null: none in that direction, or several
   * currencies): overbilled is claimable, underbilled owed, unverifiable billed but not checkable. Never added up.
   */
  money: {
    currency: string | null;
    overbilled: string | null;
    underbilled: string | null;
    unverifiable: string | null;
  };
  /**
   * Sum of cost_impact across all findings regardless of direction (contract.md); kept for compatibility. It is not
   * a claim: read `money`.
   */
  cost_impact: string | null;
  currency: string | null;
  /** Months the run reports on; which it rebuilt, and which it kept because none of their inputs changed. */
  months: { in_scope: string[]; processed: string[]; skipped: string[] };
  /** Same fingerprint → same findings: hashes of deliveries, inventory, rules and tolerances. */
  fingerprint: RunFingerprint;
  /** Plain-language warnings about the inputs (e.g. an inventory that covers none of the billed resources). */
  warnings: string[];
  stages: StageTiming[];
}

export interface DeliveryUse {
  delivery_id: string;
  billing_month: string;
  export: string;
  /** actual | amortized | focus; null when neither a manifest nor the values tell. */
  cost_view: string | null;
  cost_view_source: string | null;
  source_path: string;
  /** Why it was set aside; null for a used delivery. */
  reason: string | null;
}

/** Used and set-aside deliveries of the months in scope. */
async function deliveryUse({ wh }: StageContext, months: readonly string[]): Promise<RunSummary['deliveries']> {
  if (months.length === 0) return { used: [], set_aside: [] };
  const rows = await wh.rows<DeliveryUse & { is_counted: boolean } & Record<string, unknown>>(
    `select delivery_id, billing_month, coalesce(export_name, export_scope) as export, cost_view, cost_view_source,
            source_path, set_aside_reason as reason, is_counted
     from counted_delivery
     where list_contains($months::varchar[], billing_month)
     order by billing_month, preference_rank`,
    { months: listValue([...months]) },
    { stage: 'summary' },
  );
  const strip = (row: DeliveryUse & { is_counted: boolean }): DeliveryUse => ({
    delivery_id: row.delivery_id,
    billing_month: row.billing_month,
    export: row.export,
    cost_view: row.cost_view,
    cost_view_source: row.cost_view_source,
    source_path: row.source_path,
    reason: row.reason,
  });
  return { used: rows.filter((r) => r.is_counted).map(strip), set_aside: rows.filter((r) => !r.is_counted).map(strip) };
}

export async function buildRunSummary(context: StageContext, status: RunSummary['status']): Promise<RunSummary> {
  const { pipeline } = context;
  const { results, config } = context;
  const ingest = results.ingest;
  const inventory = results.inventory;
  const transactions = results.transactions;
  const { months, monthPlan: plan, fingerprint } = planOf(context);
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
      rows_with_descriptive_problems: ingest?.rowsWithDescriptiveProblems ?? 0,
      deliveries_replaced: ingest?.deliveriesReplaced ?? 0,
      deliveries_incomplete: ingest?.deliveries.filter((delivery) => !delivery.isComplete).length ?? 0,
      inventory_files: inventory?.files ?? 0,
      inventory_records_read: inventory?.recordsRead ?? 0,
      inventory_records_quarantined: inventory?.recordsQuarantined ?? 0,
      transaction_rows_read: transactions?.rowsRead ?? 0,
      transaction_rows_quarantined: transactions?.rowsQuarantined ?? 0,
    },
    deliveries: await deliveryUse(context, months),
    expected: {
      rows: results.recompute?.expectedRows ?? 0,
      resources: results.recompute?.resources ?? 0,
      months: results.recompute?.months ?? [],
    },
    billed: {
      lines: results.billed?.lines ?? 0,
      mapped_lines: results.billed?.mappedLines ?? 0,
      known_not_reconciled_lines: results.billed?.knownLines ?? 0,
      unmapped_lines: results.billed?.unmappedLines ?? 0,
      ignored_lines: results.billed?.ignoredLines ?? 0,
    },
    ...(await findingTotals(context, months)),
    months: { in_scope: plan.inScope, processed: plan.processed, skipped: plan.skipped },
    fingerprint,
    warnings: context.warnings,
    stages: context.timings,
  };
}

type FindingTotals = Pick<
  RunSummary,
  'provisioning_violations' | 'findings' | 'cases' | 'money' | 'cost_impact' | 'currency'
>;

/**
 * Findings and money at stake of the run's scope (months, days and resource prefixes: the run_scope the runner
 * installed), read from the warehouse.
 */
async function findingTotals({ wh }: StageContext, months: readonly string[]): Promise<FindingTotals> {
  // Months travel as a bound list; an empty list is bound as null (DuckDB cannot type an empty list value).
  const params = { months: months.length === 0 ? null : listValue([...months]) };
  const filter = `list_contains(coalesce($months::varchar[], []), billing_month)
    and in_scope_day(usage_date) and in_scope_resource(billing_resource_id)`;
  const groups = await wh.rows<{ kind: string; severity: string; n: string }>(
    `select kind, severity, count(*) as n from finding where ${filter} group by all order by all`,
    params,
    { stage: 'summary' },
  );
  const money = await wh.row<{
    cost_impact: string | null;
    overbilled: string | null;
    underbilled: string | null;
    unverifiable: string | null;
    currencies: string[] | null;
  }>(
    `select sum(cost_impact)::varchar as cost_impact, sum(overbilled_cost)::varchar as overbilled,
       sum(underbilled_cost)::varchar as underbilled, sum(unverifiable_cost)::varchar as unverifiable,
       list(distinct currency order by currency) filter (where currency is not null) as currencies
     from finding where ${filter}`,
    params,
    { stage: 'summary' },
  );
  const caseGroups = await wh.rows<{ kind: string; severity: string; n: string }>(
    `select kind, severity, count(*) as n from finding_case
     where list_contains(coalesce($months::varchar[], []), billing_month)
       and in_scope_span(first_day, last_day) and in_scope_resource(billing_resource_id)
     group by all order by all`,
    params,
    { stage: 'summary' },
  );
  const violations = await wh.row<{ n: string }>(
    `select count(*) as n from provisioning_violation
     where list_contains(coalesce($months::varchar[], []), strftime(usage_date, '%Y-%m'))
       and in_scope_day(usage_date)
       and (in_scope_resource(billing_resource_id) or in_scope_resource(share_resource_id))`,
    params,
    { stage: 'summary' },
  );
  const currencies = money?.currencies ?? [];
  const one = currencies.length === 1;
  const canonical = (value: string | null | undefined) => (one && value != null ? canonicalDecimal(value) : null);
  return {
    provisioning_violations: Number(violations?.n ?? '0'),
    findings: counts(groups),
    cases: counts(caseGroups),
    money: {
      currency: one ? (currencies[0] ?? null) : null,
      overbilled: canonical(money?.overbilled),
      underbilled: canonical(money?.underbilled),
      unverifiable: canonical(money?.unverifiable),
    },
    // Money in two currencies is not added up: then cost_impact is null and summary.md lists it per currency.
    cost_impact: currencies.length === 1 ? (money?.cost_impact ?? null) : null,
    currency: currencies.length === 1 ? (currencies[0] ?? null) : null,
  };
}

function counts(groups: readonly { kind: string; severity: string; n: string }[]): RunSummary['findings'] {
  const byKind: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  for (const group of groups) {
    byKind[group.kind] = (byKind[group.kind] ?? 0) + Number(group.n);
    bySeverity[group.severity] = (bySeverity[group.severity] ?? 0) + Number(group.n);
  }
  return { total: groups.reduce((sum, group) => sum + Number(group.n), 0), by_kind: byKind, by_severity: bySeverity };
}

/** True when a finding at or above `threshold` exists (high > medium > low): the --fail-on test. */
export function tripsFailOn(summary: RunSummary, threshold: Severity): boolean {
  const atOrAbove = SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1);
  return atOrAbove.some((severity) => (summary.findings.by_severity[severity] ?? 0) > 0);
}

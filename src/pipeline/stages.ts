// The stage registry: each stage name of definition.ts maps to the function that runs it. The compiler checks that
// every stage has an implementation (Record<StageName, …>). A stage returns the number of rows it produced.
import type { RunConfig } from '../config.ts';
import { InputError } from '../errors.ts';
import { lastDayOfMonth, type RunScope } from '../scope.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { buildBilledUsage, type BilledReport } from '../billed/index.ts';
import { loadMeterCatalog } from '../billing/meter-catalog.ts';
import { ingestExports, type IngestReport } from '../ingest/index.ts';
import {
  buildIntervals,
  ingestInventory,
  ingestTransactions,
  type InventoryReport,
  type TransactionsReport,
} from '../inventory/index.ts';
import { evaluateProvisioning } from '../provisioning/index.ts';
import { recompute, type RecomputeReport } from '../recompute/index.ts';
import type { PipelineDefinition, StageName } from './definition.ts';
import type { RunFingerprint } from './fingerprint.ts';
import { monthPlan, type MonthPlan } from './incremental.ts';
import { runDiff } from '../diff/index.ts';
import { writeEvidencePack } from '../dispute/index.ts';
import { exportParquet, type ExportResult } from '../export/index.ts';
import { writeReports } from '../report/index.ts';
import { buildRunSummary, type StageTiming } from '../report/summary.ts';

export interface StageResults {
  ingest?: IngestReport;
  inventory?: InventoryReport;
  transactions?: TransactionsReport;
  recompute?: RecomputeReport;
  billed?: BilledReport;
  export?: ExportResult;
}

export interface StageContext {
  pipeline: PipelineDefinition;
  wh: Warehouse;
  config: RunConfig;
  runId: string;
  progress: (message: string) => void;
  results: StageResults;
  timings: StageTiming[];
  /** Plain-language warnings for the run summary. */
  warnings: string[];
  /** The billing months in scope, computed once after ingest (see monthsInScope). */
  months?: string[];
  /** Which months this run rebuilds (see incremental.ts), computed once after the inputs are read. */
  plan?: MonthPlan;
  /** The run fingerprint (fingerprint.ts), computed once after the inputs are read. */
  fingerprint?: RunFingerprint;
}

export type { RunScope };

export function scopeOf(config: RunConfig): RunScope {
  return {
    ...(config.month === undefined ? {} : { month: config.month }),
    ...(config.from === undefined ? {} : { from: config.from }),
    ...(config.to === undefined ? {} : { to: config.to }),
    ...(config.resources.length === 0 ? {} : { resourcePrefixes: config.resources }),
  };
}

/** A month scope as the provisioning checks take it: UTC days (first to last of the month). */
function daySpanOf(scope: RunScope): RunScope {
  if (scope.month === undefined) return scope;
  const { month: _month, ...rest } = scope;
  return { ...rest, from: scope.from ?? `${scope.month}-01`, to: scope.to ?? lastDayOfMonth(scope.month) };
}

type Stage = (context: StageContext) => Promise<number>;

export const STAGES: Record<StageName, Stage> = {
  async ingest(context) {
    const { wh, config, progress, results } = context;
    if (config.exports.length === 0) {
      progress('ingest: no --exports given; using the deliveries already in the warehouse');
      return 0;
    }
    const report = await ingestExports(wh, config.exports, {
      onProgress: progress,
      exclude: [config.out],
      rehash: config.rehash,
    });
    results.ingest = report;
    context.warnings.push(...report.warnings);
    if (report.files === 0) context.warnings.push(`no export files found under ${config.exports.join(', ')}`);
    return report.rowsIngested;
  },
  async inventory(context) {
    const { wh, config, progress, results } = context;
    const asOf = config.inventoryAsOf === undefined ? {} : { asOf: config.inventoryAsOf };
    if (config.inventory.length === 0) {
      progress('inventory: no --inventory given; using the observations already in the warehouse');
      // The observations stay; how far their last states hold follows this run's deliveries and --inventory-as-of.
      const intervals = await buildIntervals(wh, asOf);
      if (intervals.heldLastState !== null) context.warnings.push(`inventory: ${intervals.heldLastState}`);
      return 0;
    }
    // --full: the inventory given is the whole inventory (a wrong file removed from the folder is forgotten).
    const report = await ingestInventory(wh, config.inventory, {
      onProgress: progress,
      exact: config.full,
      rehash: config.rehash,
      ...asOf,
    });
    results.inventory = report;
    if (report.heldLastState !== null) context.warnings.push(`inventory: ${report.heldLastState}`);
    return report.recordsIngested;
  },
  async transactions({ wh, config, progress, results }) {
    if (config.transactions.length === 0) return 0;
    const report = await ingestTransactions(wh, config.transactions, { onProgress: progress, rehash: config.rehash });
    results.transactions = report;
    return report.rowsIngested;
  },
  async provisioning(context) {
    let violations = 0;
    for (const scope of (await monthPlan(context)).scopes) {
      const report = await evaluateProvisioning(context.wh, daySpanOf(scope));
      violations += report.violations;
    }
    return violations;
  },
  async recompute(context) {
    const { wh, results } = context;
    for (const scope of (await monthPlan(context)).scopes) {
      const report = await recompute(wh, scope);
      const before = results.recompute;
      results.recompute = {
        expectedRows: (before?.expectedRows ?? 0) + report.expectedRows,
        resources: Math.max(before?.resources ?? 0, report.resources),
        months: [...new Set([...(before?.months ?? []), ...report.months])].sort(),
      };
    }
    return results.recompute?.expectedRows ?? 0;
  },
  async billed(context) {
    const { wh, results } = context;
    await loadMeterCatalog(wh);
    for (const scope of (await monthPlan(context)).scopes) {
      const report = await buildBilledUsage(wh, scope);
      const before = results.billed;
      results.billed = {
        lines: (before?.lines ?? 0) + report.lines,
        mappedLines: (before?.mappedLines ?? 0) + report.mappedLines,
        knownLines: (before?.knownLines ?? 0) + report.knownLines,
        unmappedLines: (before?.unmappedLines ?? 0) + report.unmappedLines,
        ignoredLines: (before?.ignoredLines ?? 0) + report.ignoredLines,
      };
    }
    await warnAboutCoverage(context);
    return (results.billed?.mappedLines ?? 0) + (results.billed?.unmappedLines ?? 0);
  },
  async diff(context) {
    const { wh, config, runId } = context;
    let findings = 0;
    for (const scope of (await monthPlan(context)).scopes) {
      const report = await runDiff(wh, {
        runId,
        tolerance: config.tolerance,
        tolerancePct: config.tolerancePct,
        scope,
      });
      findings += report.findings;
    }
    return findings;
  },
  async export(context) {
    const { wh, config, results } = context;
    const result = await exportParquet(wh, config.out, (await monthPlan(context)).processed);
    results.export = result;
    return result.rows;
  },
  async report(context) {
    const { wh, config } = context;
    const summary = await buildRunSummary(context, 'succeeded');
    const files = await writeReports(wh, config.out, summary, {
      billingMonths: await monthsInScope(context),
      csvBom: config.csvBom,
    });
    return files.length;
  },
  async evidence({ wh, config, progress }) {
    if (config.month === undefined || config.resources.length === 0) {
      throw new InputError('the evidence stage needs --month and --resource');
    }
    const pack = await writeEvidencePack(
      wh,
      config.out,
      { month: config.month, resourcePrefixes: config.resources },
      { bom: config.csvBom },
    );
    progress(`evidence: ${pack.folder}`);
    return pack.files.length;
  },
};

/**
 * The billing months a run reports on: --month, else every month a current delivery bills. Expected usage alone
 * (a snapshot created late in the previous month, the day of the last inventory observation) does not make a
 * month: without a delivery there is nothing to reconcile yet.
 */
export async function monthsInScope(context: StageContext): Promise<string[]> {
  if (context.months !== undefined) return context.months;
  const { wh, config } = context;
  const rows = await wh.rows<{ billing_month: string }>(
    'select distinct billing_month from current_delivery order by billing_month',
    undefined,
    { stage: 'scope' },
  );
  const delivered = rows.map((row) => row.billing_month);
  if (config.month !== undefined) {
    if (!delivered.includes(config.month)) {
      context.warnings.push(`no current delivery bills ${config.month}: nothing billed to reconcile for that month`);
    }
    context.months = [config.month];
  } else {
    context.months = delivered.filter((month) => inSpan(month, config.from, config.to));
  }
  return context.months;
}

/** Warn when the inventory covers none of the billed resources: almost always the wrong --inventory folder. */
async function warnAboutCoverage(context: StageContext): Promise<void> {
  const row = await context.wh.row<{ billed: string; covered: string }>(
    `select count(distinct b.billing_resource_id) as billed,
            count(distinct c.billing_resource_id) as covered
     from billed_usage b
     left join inventory_coverage c on c.billing_resource_id = b.billing_resource_id`,
    undefined,
    { stage: 'billed' },
  );
  if (row && row.billed !== '0' && row.covered === '0') {
    context.warnings.push(
      `the inventory covers none of the ${row.billed} billed resources: every charge will be unverifiable ` +
        '(check --inventory)',
    );
  }
}

/** A month overlaps the --from/--to span when its first day is not after --to and its last is not before --from. */
function inSpan(month: string, from: string | undefined, to: string | undefined): boolean {
  return (to === undefined || `${month}-01` <= to) && (from === undefined || `${month}-31` >= from);
}

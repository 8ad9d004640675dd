// The stage registry: each stage name of definition.ts maps to the function that runs it. The compiler checks that
// every stage has an implementation (Record<StageName, …>). A stage returns the number of rows it produced.
import { InputError } from '../errors.ts';
import { buildBilledUsage } from '../billed/index.ts';
import { loadMeterCatalog } from '../billing/meter-catalog.ts';
import { ingestExports } from '../ingest/index.ts';
import { buildIntervals, ingestInventory, ingestTransactions } from '../inventory/index.ts';
import { evaluateProvisioning } from '../provisioning/index.ts';
import { recompute } from '../recompute/index.ts';
import { planOf, type StageContext, type StageResults } from './context.ts';
import type { StageName } from './definition.ts';
import { runDiff } from '../diff/index.ts';
import { writeEvidencePack } from '../dispute/index.ts';
import { exportParquet } from '../export/index.ts';
import { writeReports } from '../report/index.ts';
import { buildRunSummary } from '../report/summary.ts';

export type { StageContext, StageResults };

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
    for (const scope of planOf(context).monthPlan.scopes) {
      const report = await evaluateProvisioning(context.wh, scope);
      violations += report.violations;
    }
    return violations;
  },
  async recompute(context) {
    const { wh, results } = context;
    for (const scope of planOf(context).monthPlan.scopes) {
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
    for (const scope of planOf(context).monthPlan.scopes) {
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
    for (const scope of planOf(context).monthPlan.scopes) {
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
    const { wh, results } = context;
    const plan = planOf(context);
    const result = await exportParquet(wh, plan.outDir, plan.monthPlan.processed);
    results.export = result;
    return result.rows;
  },
  async report(context) {
    const { wh, config } = context;
    const plan = planOf(context);
    const summary = await buildRunSummary(context, 'succeeded');
    const files = await writeReports(wh, plan.outDir, summary, {
      billingMonths: plan.months,
      csvBom: config.csvBom,
    });
    return files.length;
  },
  async evidence(context) {
    const { wh, config, progress } = context;
    const { scope } = planOf(context);
    if (scope.month === null || scope.prefixes.length === 0) {
      throw new InputError('the evidence stage needs --month and --resource');
    }
    // The pack's folder is named after its scope already (dispute-<resource>-<month>): it stays in --out itself.
    const pack = await writeEvidencePack(
      wh,
      config.out,
      { month: scope.month, resourcePrefixes: scope.prefixes },
      { bom: config.csvBom },
    );
    progress(`evidence: ${pack.folder}`);
    return pack.files.length;
  },
};

/** Warn when the inventory covers none of the billed resources: almost always the wrong --inventory folder. */
async function warnAboutCoverage(context: StageContext): Promise<void> {
  const row = await context.wh.row<{ billed: string; covered: string }>(
    // Resources, not rows: joined row by row, a resource's billed days × meters met its covered days (5 s a night).
    `select count(*)::varchar as billed,
            count(*) filter (where billing_resource_id in (select billing_resource_id from inventory_coverage))::varchar
              as covered
     from (select distinct billing_resource_id from billed_usage)`,
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

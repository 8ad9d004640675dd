// Incremental nights: a scheduled run re-processes only the billing months whose inputs changed since the last
// successful run of the same pipeline — a month's fingerprint covers its current deliveries, the inventory that can
// change its numbers (sql/pipeline/month_inventory_rows.sql), the rules and the tolerances. Ad hoc runs (--month,
// --from/--to, --resource) and --full process what they are asked.
import type { Warehouse } from '../db/warehouse.ts';
import type { RunScope } from '../scope.ts';
import type { RunFingerprint } from './fingerprint.ts';

export interface MonthPlan {
  /** Months the run reports on. */
  inScope: string[];
  /** Months whose expected usage, billed usage and findings this run rebuilds. */
  processed: string[];
  /** Months left as the last successful run built them: nothing they depend on changed. */
  skipped: string[];
  /** The scopes the month-level stages run with, one call each. */
  scopes: RunScope[];
  /** True when months were chosen by comparing fingerprints with the previous run. */
  isIncremental: boolean;
}

export interface MonthPlanInput {
  wh: Warehouse;
  pipeline: string;
  /** The run's resolved scope: undefined fields and no prefixes for a whole-warehouse run. */
  scope: RunScope;
  isAdHoc: boolean;
  full: boolean;
  inScope: string[];
  fingerprint: RunFingerprint;
}

export async function planMonths(input: MonthPlanInput): Promise<MonthPlan> {
  const { inScope } = input;
  if (input.isAdHoc || input.full) {
    return { inScope, processed: inScope, skipped: [], scopes: [input.scope], isIncremental: false };
  }
  const current = input.fingerprint.months;
  const previous = await previousMonthFingerprints(input.wh, input.pipeline);
  const processed = inScope.filter((month) => previous?.[month] !== current[month]);
  return {
    inScope,
    processed,
    skipped: inScope.filter((month) => !processed.includes(month)),
    scopes: processed.map((month) => ({ month })),
    isIncremental: true,
  };
}

interface StoredSummary {
  scope?: { month: string | null; from: string | null; to: string | null; resources: string[] };
  fingerprint?: { months?: Record<string, string> };
}

/** The month fingerprints of the last successful whole-warehouse run of this pipeline, if any. */
async function previousMonthFingerprints(wh: Warehouse, pipeline: string): Promise<Record<string, string> | undefined> {
  const rows = await wh.rows<{ summary: string }>(
    `select summary::varchar as summary from recon_run
     where pipeline = $1 and status = 'succeeded' and summary is not null
     order by started_at desc`,
    [pipeline],
    { stage: 'plan' },
  );
  for (const row of rows) {
    const summary = JSON.parse(row.summary) as StoredSummary;
    const scope = summary.scope;
    const wasWholeWarehouse =
      scope !== undefined &&
      scope.month === null &&
      scope.from === null &&
      scope.to === null &&
      scope.resources.length === 0;
    if (wasWholeWarehouse) return summary.fingerprint?.months ?? {};
  }
  return undefined;
}

// Incremental nights: a scheduled run re-processes only the billing months whose inputs changed since the last
// successful run of the same pipeline — a month's fingerprint covers its current deliveries, the inventory that can
// change its numbers (sql/pipeline/month_inventory_rows.sql), the rules and the tolerances. Ad hoc runs (--month,
// --from/--to, --resource) and --full process what they are asked.
import { runFingerprint, type RunFingerprint } from './fingerprint.ts';
import { monthsInScope, scopeOf, type RunScope, type StageContext } from './stages.ts';

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

export async function monthPlan(context: StageContext): Promise<MonthPlan> {
  if (context.plan !== undefined) return context.plan;
  const { config } = context;
  const inScope = await monthsInScope(context);
  const isAdHoc =
    config.month !== undefined || config.from !== undefined || config.to !== undefined || config.resources.length > 0;
  if (isAdHoc || config.full) {
    context.plan = { inScope, processed: inScope, skipped: [], scopes: [scopeOf(config)], isIncremental: false };
    return context.plan;
  }
  const current = (await fingerprintOf(context)).months;
  const previous = await previousMonthFingerprints(context);
  const processed = inScope.filter((month) => previous?.[month] !== current[month]);
  context.plan = {
    inScope,
    processed,
    skipped: inScope.filter((month) => !processed.includes(month)),
    scopes: processed.map((month) => ({ month })),
    isIncremental: true,
  };
  return context.plan;
}

/** The run's fingerprint over the months in scope, computed once: the inputs are fixed once they are read. */
export async function fingerprintOf(context: StageContext): Promise<RunFingerprint> {
  context.fingerprint ??= await runFingerprint(context.wh, context.config, await monthsInScope(context));
  return context.fingerprint;
}

interface StoredSummary {
  scope?: { month: string | null; from: string | null; to: string | null; resources: string[] };
  fingerprint?: { months?: Record<string, string> };
}

/** The month fingerprints of the last successful whole-warehouse run of this pipeline, if any. */
async function previousMonthFingerprints(context: StageContext): Promise<Record<string, string> | undefined> {
  const rows = await context.wh.rows<{ summary: string }>(
    `select summary::varchar as summary from recon_run
     where pipeline = $1 and status = 'succeeded' and summary is not null
     order by started_at desc`,
    [context.pipeline.name],
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

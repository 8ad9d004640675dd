// The billed side of the diff: rebuild billed_usage — mapped lines summed per resource, meter key and day in the key's
// own unit — for one scope. Lines are classified against the meter catalog by the view billed_line_meter, and the
// duplicate and price checks are the views duplicate_billed_line and price_check (sql/billed/, part of the model).
import type { Row, Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { checkScope, withStageScope, type RunScope } from '../scope.ts';
import { ensureMeterCatalog } from '../billing/meter-catalog.ts';
import { runInBatches } from '../db/batches.ts';

export interface BilledReport {
  lines: number;
  mappedLines: number;
  /** Files and snapshot meters recon knows and does not reconcile (catalog verdict not_reconciled). */
  knownLines: number;
  unmappedLines: number;
  ignoredLines: number;
}

const STAGE = 'billed';

interface OverlapRow extends Row {
  billing_month: string;
  shared: string;
  export_a: string;
  view_a: string | null;
  path_a: string;
  export_b: string;
  view_b: string | null;
  path_b: string;
}

/**
 * Two counted deliveries that bill the same usage, each also billing resources the other does not (e.g. exports of
 * two scopes that partly overlap): no choice counts every usage once, so the run stops naming both exports rather
 * than report every shared line as a duplicate or a quantity mismatch (counted_delivery, sql/ingest/model_cost_view.sql).
 */
async function refuseOverlappingExports(wh: Warehouse, month: string | null): Promise<void> {
  const overlaps = await wh.rows<OverlapRow>(
    `select a.billing_month, a.overlap_shared_key_count::varchar as shared,
            coalesce(a.export_name, a.export_scope) as export_a, a.cost_view as view_a, a.source_path as path_a,
            coalesce(b.export_name, b.export_scope) as export_b, b.cost_view as view_b, b.source_path as path_b
     from counted_delivery as a
     join counted_delivery as b on b.delivery_id = a.overlap_delivery_id
     where a.preference_rank < b.preference_rank
       and ($month::varchar is null or a.billing_month = $month::varchar)
     order by a.billing_month, a.preference_rank, b.preference_rank`,
    { month },
    { stage: STAGE },
  );
  const [first] = overlaps;
  if (!first) return;
  const label = (name: string, view: string | null, path: string): string =>
    `export ${name} (${view ?? 'cost view undetermined'}, ${path})`;
  throw new InputError(
    `${label(first.export_a, first.view_a, first.path_a)} and ${label(first.export_b, first.view_b, first.path_b)} ` +
      `both bill the same usage of ${first.billing_month} (${first.shared} resource × meter × day keys), and each ` +
      'also bills resources the other does not: their scopes overlap without one containing the other, so recon ' +
      'cannot count that usage once. Point --exports at exports whose scopes do not overlap (or at the wider one).' +
      (overlaps.length > 1 ? ` (${overlaps.length - 1} more overlapping pair(s).)` : ''),
  );
}

/**
 * Rebuild the billed side for a scope: (re)create the billed views, replace the scope's billed_usage rows, and
 * count the scope's lines by classification. Loads data/meter-catalog.csv first if no catalog is loaded.
 */
export async function buildBilledUsage(wh: Warehouse, scope: RunScope = {}): Promise<BilledReport> {
  const { month } = checkScope(STAGE, scope);
  return withStageScope(wh, STAGE, scope, () => buildSlice(wh, month));
}

/** The stage's work on its slice, installed as the scope (run_scope, read by in_scope_row). */
async function buildSlice(wh: Warehouse, month: string | null): Promise<BilledReport> {
  await ensureMeterCatalog(wh);

  await refuseOverlappingExports(wh, month);

  await wh.transaction(STAGE, async () => {
    // Replace, never append: the scope's previous rows go, whatever delivery they came from.
    await wh.run(
      `delete from billed_usage
       where in_scope_row(billing_month, usage_date, billing_resource_id)`,
      undefined,
      { stage: STAGE },
    );
    await wh.runFile('billed/billed_scope_line.sql');
    await runInBatches(wh, {
      stage: STAGE,
      file: 'billed/billed_usage.sql',
      countsSql: 'select usage_date as batch_key, count(*) as row_count from billed_scope_line group by usage_date',
      statement: (query) => `insert into billed_usage by name ${query}`,
    });
    await wh.dropTempTables(STAGE, ['billed_scope_line']);
  });

  const counts = await wh.rows<{ classification: string; n: string }>(
    `select classification, count(*)::varchar as n
     from billed_line_meter_of(scope_month_list())
     where in_scope_row(billing_month, usage_date, billing_resource_id)
     group by classification`,
    undefined,
    { stage: STAGE },
  );
  // Line counts fit a JS number comfortably (they are row counts, not quantities).
  const count = (classification: string): number =>
    Number(counts.find((c) => c.classification === classification)?.n ?? 0);
  const report = {
    mappedLines: count('mapped'),
    knownLines: count('known'),
    unmappedLines: count('unmapped'),
    ignoredLines: count('ignored'),
  };
  return {
    lines: report.mappedLines + report.knownLines + report.unmappedLines + report.ignoredLines,
    ...report,
  };
}

// The ingest stage: reads Cost Management exports (EA, MCA, FOCUS; CSV, CSV.gz, Parquet; with or without
// manifest.json) into delivery, ingest_file, billing_line and quarantine. Each delivery is ingested in one
// transaction and identified by a content hash, so re-ingesting it changes nothing. Which delivery counts for
// a month is decided by the current_delivery view (sql/ingest/model_delivery.sql), not here.
// One delivery's way from files to warehouse is src/ingest/delivery.ts; this file plans the deliveries, runs them in
// order and reports on the run (months billed, deliveries replaced, month-to-date shortfalls).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Row, Warehouse } from '../db/warehouse.ts';
import { ingestDelivery } from './delivery.ts';
import { STAGE, type DeliverySummary } from './delivery-record.ts';
import { planDeliveries } from './inputs.ts';

export type { DeliverySummary } from './delivery-record.ts';

export interface IngestOptions {
  onProgress?: (message: string) => void;
  /** Folders never read as exports (the run's --out, when it lies inside --exports). */
  exclude?: readonly string[];
  /** Hash every file's bytes again even when its path, size and mtime match a file already ingested (--rehash). */
  rehash?: boolean;
}

export interface IngestReport {
  files: number;
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
  /** Ingested rows with a descriptive column that could not be read (kept; see descriptive_field_problem). */
  rowsWithDescriptiveProblems: number;
  deliveriesReplaced: number;
  deliveries: DeliverySummary[];
  billingMonths: string[];
  /** Plain-language warnings for the run summary (also printed as 'ingest: warning: …' lines). */
  warnings: string[];
}

const PRICING_UNITS_CSV = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'data',
  'finops-toolkit',
  'PricingUnits.csv',
);

async function ensurePricingUnits(wh: Warehouse): Promise<void> {
  const row = await wh.row<{ n: string }>('select count(*) as n from pricing_unit', undefined, { stage: STAGE });
  if (row?.n === '0') await wh.runFile('ingest/pricing_unit.sql', { path: PRICING_UNITS_CSV });
}

/** The months the deliveries bill: each one's own and every month its lines fall in (30 Sep in an October file). */
async function billedMonths(wh: Warehouse, deliveries: readonly DeliverySummary[]): Promise<string[]> {
  const rows = await wh.rows<{ billing_month: string }>(
    `select distinct billing_month from delivery_day
     where list_contains(from_json($1, '["varchar"]'), delivery_id)`,
    [JSON.stringify(deliveries.map((d) => d.deliveryId))],
    { stage: STAGE },
  );
  return [...new Set([...deliveries.map((d) => d.billingMonth), ...rows.map((r) => r.billing_month)])].sort();
}

/** Remove the empty, month-less deliveries older recons stored for header-only files (they crashed every run). */
async function repairBrokenDeliveries(wh: Warehouse, progress: (message: string) => void): Promise<void> {
  const broken = await wh.rowsFromFile<{ delivery_id: string; source_path: string }>('ingest/broken_delivery.sql');
  if (broken.length === 0) return;
  await wh.transaction(STAGE, async () => {
    const ids = JSON.stringify(broken.map((b) => b.delivery_id));
    for (const table of ['ingest_file', 'quarantine', 'delivery_source', 'delivery']) {
      await wh.run(`delete from ${table} where list_contains(from_json($1, '["varchar"]'), delivery_id)`, [ids], {
        stage: STAGE,
      });
    }
  });
  for (const b of broken) {
    progress(
      `ingest: removed a stored delivery of ${b.source_path} with no data rows and no billing month (left by an older recon)`,
    );
  }
}

interface ShortfallRow extends Row {
  export_scope: string;
  billing_month: string;
  newest_source: string;
  kept_source: string;
  newest_days: string;
  month_days: string;
  kept_days: string;
  first_day: string;
  last_day: string;
}

/** Month-to-date exports only grow: name the newest delivery that lacks days and the one kept for them. */
async function shortfallWarnings(wh: Warehouse, deliveryIds: readonly string[]): Promise<string[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await wh.rowsFromFile<ShortfallRow>('ingest/delivery_shortfall.sql', {
    delivery_ids: JSON.stringify(deliveryIds),
  });
  return rows.map((r) => {
    const span = r.first_day === r.last_day ? r.first_day : `${r.first_day} to ${r.last_day}`;
    return (
      `${r.billing_month}: the newest delivery ${r.newest_source} bills ${r.newest_days} of the ${r.month_days} usage ` +
      `days known for ${r.export_scope}; a month-to-date export only grows, so ${span} (${r.kept_days} days) ` +
      `still count from ${r.kept_source}`
    );
  });
}

export async function ingestExports(
  wh: Warehouse,
  inputs: readonly string[],
  options: IngestOptions = {},
): Promise<IngestReport> {
  const progress = options.onProgress ?? (() => undefined);
  const plan = await planDeliveries(inputs, { exclude: options.exclude ?? [] });
  for (const note of plan.notes) progress(`ingest: ${note}`);
  await ensurePricingUnits(wh);
  await repairBrokenDeliveries(wh, progress);
  const deliveries: DeliverySummary[] = [];
  let emptyFiles = 0;
  for (const delivery of plan.deliveries) {
    const outcome = await ingestDelivery(wh, delivery, progress, options.rehash ?? false);
    if (outcome && 'summary' in outcome) deliveries.push(outcome.summary);
    else if (outcome) emptyFiles += outcome.emptyFiles;
  }
  const warnings = [
    ...plan.warnings,
    ...(await shortfallWarnings(
      wh,
      deliveries.map((d) => d.deliveryId),
    )),
  ];
  for (const warning of warnings) progress(`ingest: warning: ${warning}`);
  const replaced = await wh.rowsFromFile<{ n: string }>('ingest/replaced_delivery_count.sql', {
    scopes: JSON.stringify(deliveries.map((d) => d.exportScope)),
    months: JSON.stringify(deliveries.map((d) => d.billingMonth)),
  });
  const described = await wh.row<{ n: string }>(
    `select count(distinct (delivery_id, source_file, source_line)) as n from descriptive_field_problem
     where list_contains($ids::varchar[], delivery_id)`,
    { ids: JSON.stringify(deliveries.map((d) => d.deliveryId)) },
    { stage: STAGE },
  );
  const sum = (pick: (d: DeliverySummary) => number): number => deliveries.reduce((s, d) => s + pick(d), 0);
  return {
    files: sum((d) => d.files) + emptyFiles,
    rowsRead: sum((d) => d.rowsRead),
    rowsIngested: sum((d) => d.rowsIngested),
    rowsQuarantined: sum((d) => d.rowsQuarantined),
    rowsWithDescriptiveProblems: Number(described?.n ?? 0),
    deliveriesReplaced: Number(replaced[0]?.n ?? 0),
    deliveries,
    billingMonths: await billedMonths(wh, deliveries),
    warnings,
  };
}

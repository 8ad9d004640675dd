// The dispute evidence pack: for one billing month and some billed resources, the files an analyst attaches to an
// Azure support case — the hourly state of each share, the billed lines with their provenance, the expected rows
// with their rule and inputs, the deltas and findings, the restatements between deliveries, and a short letter.
// The queries are in sql/dispute; this module installs the scope, renders the files and writes them atomically.
import { join } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { METERS, isMeterKey } from '../billing/meters.ts';
import { expectedHourly } from '../recompute/index.ts';
import { writeFilesAtomic } from '../output/files.ts';
import type { CsvOptions } from '../output/csv.ts';
import { renderCsvTable, type CsvColumns } from './csv-table.ts';
import {
  renderLetter,
  type AttachedFile,
  type LetterCaseRow,
  type MeterMoneyRow,
  type MeterQuantityRow,
  type ScopeResourceRow,
} from './letter.ts';
import { withStageScope } from '../scope.ts';
import {
  disputeSlug,
  installDispute,
  resolveDisputeScope,
  type DisputeScope,
  type ResolvedDisputeScope,
} from './scope.ts';

export type { DisputeScope } from './scope.ts';
export { disputeSlug, TIMELINE_SOURCE_LIMIT } from './scope.ts';

const TIMELINE_COLUMNS: CsvColumns = [
  ['source_kind', 'text'],
  ['source_resource_id', 'text'],
  ['billing_resource_id', 'text'],
  ['hour_start', 'text'],
  ['state', 'text'],
  ['seconds_in_state', 'decimal'],
  ['billing_model', 'text'],
  ['media_tier', 'text'],
  ['redundancy', 'text'],
  ['access_tier', 'text'],
  ['provisioned_gib', 'integer'],
  ['provisioned_iops', 'integer'],
  ['provisioned_mibps', 'integer'],
  ['used_bytes', 'integer'],
  ['snapshot_differential_bytes', 'integer'],
  ['is_iops_default', 'boolean'],
  ['is_mibps_default', 'boolean'],
  ['is_open_ended', 'boolean'],
  ['source_interval_id', 'text'],
  ['source_file', 'text'],
  ['source_line', 'integer'],
];

const BILLED_COLUMNS: CsvColumns = [
  ['billing_resource_id', 'text'],
  ['usage_date', 'text'],
  ['charge_period_start', 'text'],
  ['charge_period_end', 'text'],
  ['meter_key', 'text'],
  ['meter_id', 'text'],
  ['meter_category', 'text'],
  ['meter_subcategory', 'text'],
  ['meter_name', 'text'],
  ['unit_of_measure', 'text'],
  ['quantity', 'decimal'],
  ['quantity_meter_unit', 'decimal'],
  ['meter_unit', 'text'],
  ['effective_price', 'decimal'],
  ['unit_price', 'decimal'],
  ['cost', 'decimal'],
  ['billing_currency', 'text'],
  ['charge_type', 'text'],
  ['charge_class', 'text'],
  ['pricing_model', 'text'],
  ['subscription_id', 'text'],
  ['delivery_id', 'text'],
  ['export_scope', 'text'],
  ['delivery_submitted_at', 'text'],
  ['source_file', 'text'],
  ['source_line', 'integer'],
];

const EXPECTED_COLUMNS: CsvColumns = [
  ['billing_resource_id', 'text'],
  ['meter', 'text'],
  ['meter_unit', 'text'],
  ['usage_date', 'text'],
  ['rule', 'text'],
  ['quantity', 'decimal'],
  ['quantity_numerator', 'integer'],
  ['quantity_denominator', 'integer'],
  ['numerator_unit', 'text'],
  ['days_in_month', 'integer'],
  ['source_count', 'integer'],
  ['source_resource_ids', 'text'],
  ['interval_ids', 'text'],
  ['unknown_seconds', 'integer'],
  ['is_complete', 'boolean'],
  ['is_open_ended', 'boolean'],
];

const EXPECTED_HOURLY_COLUMNS: CsvColumns = [
  ['billing_resource_id', 'text'],
  ['meter', 'text'],
  ['meter_unit', 'text'],
  ['usage_hour', 'text'],
  ['rule', 'text'],
  ['quantity', 'decimal'],
  ['quantity_numerator', 'integer'],
  ['quantity_denominator', 'integer'],
  ['source_resource_ids', 'list'],
  ['interval_ids', 'list'],
  ['is_complete', 'boolean'],
];

const DELTA_COLUMNS: CsvColumns = [
  ['billing_resource_id', 'text'],
  ['meter', 'text'],
  ['usage_date', 'text'],
  ['billed_quantity', 'decimal'],
  ['expected_quantity', 'decimal'],
  ['delta_quantity', 'decimal'],
  ['meter_unit', 'text'],
  ['billed_cost', 'decimal'],
  ['effective_price', 'decimal'],
  ['currency', 'text'],
  ['is_covered', 'boolean'],
  ['status', 'text'],
  ['finding_id', 'text'],
  ['kind', 'text'],
  ['severity', 'text'],
  ['finding_billed_quantity', 'decimal'],
  ['finding_expected_quantity', 'decimal'],
  ['finding_delta_quantity', 'decimal'],
  ['cost_impact', 'decimal'],
  ['provisional', 'boolean'],
  ['explanation', 'text'],
];

const RESTATEMENT_COLUMNS: CsvColumns = [
  ['billing_resource_id', 'text'],
  ['meter_id', 'text'],
  ['meter_name', 'text'],
  ['usage_date', 'text'],
  ['replaced_quantity', 'decimal'],
  ['current_quantity', 'decimal'],
  ['delta_quantity', 'decimal'],
  ['unit_of_measure', 'text'],
  ['replaced_cost', 'decimal'],
  ['current_cost', 'decimal'],
  ['delta_cost', 'decimal'],
  ['export_scope', 'text'],
  ['replaced_delivery_id', 'text'],
  ['current_delivery_id', 'text'],
];

const ATTACHED: readonly AttachedFile[] = [
  {
    name: 'timeline.csv',
    description:
      'the state of each share and snapshot hour by hour (live, soft-deleted, gone or unknown; provisioned ' +
      'GiB, IOPS and MiB/s; used and snapshot bytes) with the inventory interval, file and line it comes from',
  },
  {
    name: 'billed.csv',
    description: 'every billed line of the month, with its export delivery, source file and line',
  },
  {
    name: 'expected.csv',
    description:
      'the expected quantity per resource, meter and day (exact), with the rule and the shares and intervals used',
  },
  { name: 'expected-hourly.csv', description: 'the same expected quantities hour by hour' },
  {
    name: 'deltas.csv',
    description: 'billed against expected per resource, meter and day, with every finding and its explanation',
  },
  {
    name: 'restatements.csv',
    description: 'what the latest export delivery changed against the one it replaced, per resource, meter and day',
  },
];

/**
 * Writes the evidence pack for `scope` to `<outDir>/dispute-<slug>-<month>/`, replacing the files of an earlier run.
 * Throws InputError when the month or prefixes are malformed, or when nothing was billed or expected for them.
 */
export async function writeEvidencePack(
  wh: Warehouse,
  outDir: string,
  scope: DisputeScope,
  csv: CsvOptions = {},
): Promise<{ folder: string; files: string[] }> {
  const resolved = resolveDisputeScope(scope);
  const slice = { month: resolved.month, resourcePrefixes: resolved.prefixes };
  return withStageScope(wh, 'dispute', slice, () => writePack(wh, outDir, resolved, csv));
}

async function writePack(
  wh: Warehouse,
  outDir: string,
  resolved: ResolvedDisputeScope,
  csv: CsvOptions,
): Promise<{ folder: string; files: string[] }> {
  await installDispute(wh);

  const resources = await wh.rowsFromFile<ScopeResourceRow>('dispute/scope_resource.sql');
  if (resources.length === 0) {
    throw new InputError(
      `dispute: nothing was billed or expected in ${resolved.month} for resource prefix(es) ` +
        `${resolved.prefixes.map((p) => `'${p}'`).join(', ')}: check the ids, or run the nightly pipeline for that ` +
        'month first',
    );
  }

  const timeline = await wh.rowsFromFile('dispute/timeline.sql');
  const timelineCount = await wh.rowsFromFile<{ source_count: string }>('dispute/timeline_source_count.sql');
  const billed = await wh.rowsFromFile('dispute/billed_line.sql');
  const expected = await wh.rowsFromFile('dispute/expected_usage.sql');
  const deltas = await wh.rowsFromFile('dispute/delta.sql');
  const restatements = await wh.rowsFromFile('dispute/restatement.sql');
  const meterQuantities = await wh.rowsFromFile<MeterQuantityRow>('dispute/meter_quantity.sql');
  const meterMoney = await wh.rowsFromFile<MeterMoneyRow>('dispute/meter_money.sql');
  const cases = await wh.rowsFromFile<LetterCaseRow>('dispute/letter_case.sql');
  // Last: expectedHourly installs its own slice (and puts the pack's back) and the recompute views.
  const hourly = await hourlyRows(wh, resources, resolved.month);

  const involved = Number(timelineCount[0]?.source_count ?? '0');
  const shown = new Set(timeline.map((row) => row.source_resource_id)).size;
  const letter = renderLetter({
    month: resolved.month,
    prefixes: resolved.prefixes,
    resources,
    meterQuantities,
    meterMoney,
    cases,
    files: ATTACHED,
    timelineSources: { involved, shown },
  });

  const folder = join(outDir, `dispute-${disputeSlug(resolved.prefixes)}-${resolved.month}`);
  const contents: [string, string][] = [
    ['letter.md', letter],
    ['timeline.csv', renderCsvTable(TIMELINE_COLUMNS, timeline, csv)],
    ['billed.csv', renderCsvTable(BILLED_COLUMNS, billed, csv)],
    ['expected.csv', renderCsvTable(EXPECTED_COLUMNS, expected, csv)],
    ['expected-hourly.csv', renderCsvTable(EXPECTED_HOURLY_COLUMNS, hourly, csv)],
    ['deltas.csv', renderCsvTable(DELTA_COLUMNS, deltas, csv)],
    ['restatements.csv', renderCsvTable(RESTATEMENT_COLUMNS, restatements, csv)],
  ];
  // Every file is written before any is renamed into place (writeFilesAtomic): a full disk leaves the previous pack
  // whole, so an analyst never attaches a letter whose CSVs come from another run.
  const files = contents.map(([name, content]) => ({ path: join(folder, name), content }));
  await writeFilesAtomic(files);
  return { folder, files: files.map((f) => f.path) };
}

/** expectedHourly for every resource of the scope over the month, as CSV rows. */
async function hourlyRows(
  wh: Warehouse,
  resources: readonly ScopeResourceRow[],
  month: string,
): Promise<Record<string, unknown>[]> {
  const from = `${month}-01`;
  const to = lastDayOfMonth(month);
  const rows: Record<string, unknown>[] = [];
  for (const resource of resources) {
    for (const row of await expectedHourly(wh, resource.billing_resource_id, from, to)) {
      rows.push({
        billing_resource_id: row.billingResourceId,
        meter: row.meter,
        meter_unit: isMeterKey(row.meter) ? METERS[row.meter].unit : null,
        usage_hour: row.usageHour,
        rule: row.rule,
        quantity: row.quantity,
        quantity_numerator: row.quantityNumerator,
        quantity_denominator: row.quantityDenominator,
        source_resource_ids: row.sourceResourceIds,
        interval_ids: row.intervalIds,
        is_complete: row.isComplete,
      });
    }
  }
  return rows;
}

/** YYYY-MM-DD of a YYYY-MM month's last day (UTC calendar). */
function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map((part) => Number(part));
  return new Date(Date.UTC(year ?? 0, monthNumber ?? 0, 0)).toISOString().slice(0, 10);
}

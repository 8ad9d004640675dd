// Test helpers for the diff stage, over a warehouse from openTestWarehouse({ meterCatalog: true }): bound inserts of
// the diff's inputs — deliveries and billing lines (turned into billed_usage by the real billed stage), expected_usage
// and inventory_coverage rows as recompute would write them.
import { listValue } from '@duckdb/node-api';
import { Decimal } from 'decimal.js';
import { buildBilledUsage } from '../../src/billed/index.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { addHours, insertBillingLines, insertDelivery as insertBuiltDelivery, lastDayOf } from '../helpers/builders.ts';
import { runDiff, type DiffOptions, type DiffReport } from '../../src/diff/index.ts';

export const ACCOUNT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/stv2ssdprod';
export const V1_ACCOUNT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/stv1prod';
export const PAYG_ACCOUNT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/stpayg';

export async function insertDelivery(
  wh: Warehouse,
  deliveryId: string,
  billingMonth = '2026-10',
  submittedAt: string | null = '2026-11-05 00:00:00',
): Promise<void> {
  await insertBuiltDelivery(wh, {
    delivery_id: deliveryId,
    billing_month: billingMonth,
    submitted_at: submittedAt,
    period_start: `${billingMonth}-01`,
    period_end: lastDayOf(billingMonth),
  });
}

export interface LineInput {
  source_line: number;
  delivery_id?: string;
  source_file?: string;
  usage_date?: string;
  billing_resource_id?: string | null;
  /** ARM region name as EA/MCA ResourceLocation writes it, e.g. 'westeurope'; default none. */
  resource_location?: string | null;
  meter_category?: string;
  meter_subcategory?: string;
  meter_name?: string;
  unit_of_measure?: string;
  pricing_block_size?: string;
  distinct_unit?: string;
  quantity: string;
  effective_price?: string;
  /** Default: quantity × effective_price, exactly. */
  cost?: string;
  billing_currency?: string;
  charge_type?: string;
  charge_class?: string | null;
  /** Exclusive end of the charge period; default usage_date + 1 day (a daily row). A month-long period is a
   * monthly-granularity row. */
  charge_period_end?: string;
}

/** One daily billing line; defaults: a v2 SSD LRS Provisioned Storage day on ACCOUNT at 0.000137 EUR per GiB-hour. */
export async function insertLine(wh: Warehouse, input: LineInput): Promise<void> {
  const price = input.effective_price ?? '0.000137';
  const usageDate = input.usage_date ?? '2026-10-10';
  await insertBillingLines(wh, [
    {
      delivery_id: 'd1',
      source_file: 'part_0.csv',
      billing_resource_id: ACCOUNT,
      resource_location: null,
      meter_category: 'Storage',
      meter_subcategory: 'Azure Files Provisioned v2',
      meter_name: 'SSD LRS Provisioned Storage',
      unit_of_measure: '1 GiB/Hour',
      pricing_block_size: '1',
      distinct_unit: 'GiB/Hour',
      billing_currency: 'EUR',
      charge_type: 'Usage',
      charge_class: null,
      pricing_model: 'OnDemand',
      tags: '{}',
      ...input,
      usage_date: usageDate,
      charge_period_start: `${usageDate} 00:00:00`,
      charge_period_end: input.charge_period_end ?? addHours(usageDate, 24),
      effective_price: price,
      cost: input.cost ?? new Decimal(input.quantity).times(price).toFixed(),
    },
  ]);
}

export interface ExpectedInput {
  resource?: string;
  meter?: string;
  date?: string;
  /** Exact rational: quantity = numerator / denominator (the quantity column is written from them). */
  numerator: string;
  denominator: string;
  rule?: string;
  daysInMonth?: number;
  isComplete?: boolean;
  sources?: string[];
}

/** An expected_usage row as recompute writes it (quantity = numerator / denominator at 20 decimals). */
export async function insertExpected(wh: Warehouse, input: ExpectedInput): Promise<void> {
  const sources = input.sources ?? [`${input.resource ?? ACCOUNT}/fileservices/default/shares/s1`];
  await wh.run(
    `insert into expected_usage (billing_resource_id, meter, usage_date, billing_month, rule, quantity,
       quantity_numerator, quantity_denominator, numerator_unit, days_in_month, source_count, source_resource_ids,
       unknown_seconds, is_complete, is_open_ended)
     values ($resource, $meter, $date::date, strftime($date::date, '%Y-%m'), $rule,
       exact_quotient_38_20($numerator::hugeint, $denominator::bigint), $numerator::hugeint, $denominator::bigint,
       'byte_seconds', $days, len($sources::varchar[]), $sources::varchar[],
       case when $complete then 0 else 3600 end, $complete, false)`,
    {
      resource: input.resource ?? ACCOUNT,
      meter: input.meter ?? 'v2.provisioned_storage',
      date: input.date ?? '2026-10-10',
      rule: input.rule ?? 'v2_provisioned_storage_hourly',
      numerator: input.numerator,
      denominator: input.denominator,
      days: input.daysInMonth ?? 31,
      sources: listValue(sources),
      complete: input.isComplete ?? true,
    },
  );
}

/** inventory_coverage rows: the whole day observed (or `seconds` of it) for each day in [from, to]. */
export async function insertCoverage(
  wh: Warehouse,
  resource: string,
  from: string,
  to = from,
  seconds = 86_400,
): Promise<void> {
  await wh.run(
    `insert into inventory_coverage (billing_resource_id, usage_date, billing_month, covered_seconds, is_fully_covered)
     select $resource, d::date, strftime(d, '%Y-%m'), $seconds, $seconds = 86400
     from range($from::date, $to::date + interval 1 day, interval 1 day) as t(d)`,
    { resource, from, to, seconds },
  );
}

/** v2 GiB-hours for a whole day of `gib` GiB: numerator in byte-seconds, denominator 3600 × 2^30. */
export function v2DayGibHours(gib: number): { numerator: string; denominator: string } {
  return { numerator: String(BigInt(gib) * 1_073_741_824n * 86_400n), denominator: String(3600n * 1_073_741_824n) };
}

/** Monthly-unit GiB-months for a whole day of `gib` GiB in a month of `days` days. */
export function monthlyDayGibMonths(gib: number, days = 31): { numerator: string; denominator: string } {
  return {
    numerator: String(BigInt(gib) * 1_073_741_824n * 86_400n),
    denominator: String(86_400n * BigInt(days) * 1_073_741_824n),
  };
}

export const DEFAULT_OPTIONS: DiffOptions = { runId: 'run-1', tolerance: '0.000001', tolerancePct: '0' };

/** The billed stage, then the diff, as the pipeline runs them. */
export async function billAndDiff(wh: Warehouse, options: Partial<DiffOptions> = {}): Promise<DiffReport> {
  await buildBilledUsage(wh);
  return runDiff(wh, { ...DEFAULT_OPTIONS, ...options });
}

export interface FindingRow {
  finding_id: string;
  billing_month: string;
  usage_date: string | null;
  billing_resource_id: string | null;
  meter: string | null;
  kind: string;
  severity: string;
  billed_quantity: string | null;
  expected_quantity: string | null;
  delta_quantity: string | null;
  billed_cost: string | null;
  cost_impact: string | null;
  currency: string | null;
  provisional: boolean;
  explanation: string;
  rule: string | null;
  unit_convention: string | null;
  evidence: string | null;
}

export async function findings(wh: Warehouse): Promise<FindingRow[]> {
  return wh.rows<FindingRow & Record<string, unknown>>(
    'select * exclude (run_id) from finding order by kind, billing_resource_id, meter, usage_date, finding_id',
  );
}

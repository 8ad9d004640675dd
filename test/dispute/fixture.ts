// A small, realistic dispute: one classic provisioned-v2 storage account (acct1) with two shares in March 2025 —
// s1 resized from 100 to 200 GiB at 10:20 on the 10th, s2 deleted on the 20th and purged on the 27th — billed by two
// deliveries of one export (the second restates the 10th upwards), with the diff's comparison and two findings.
// Inventory and billing lines are inserted as their stages would leave them; recompute and the billed stage then run
// for real; comparison and finding rows are inserted as the diff stage would write them.
import { buildBilledUsage } from '../../src/billed/index.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';
import {
  addHours,
  insertBillingLines,
  insertDelivery as insertBuiltDelivery,
  insertRows,
  insertShareIntervals,
  intervalId,
  lastDayOf,
} from '../helpers/builders.ts';

export const MONTH = '2025-03';
export const ACCOUNT = '/subscriptions/sub-1/resourcegroups/rg-files/providers/microsoft.storage/storageaccounts/acct1';
export const OTHER_ACCOUNT =
  '/subscriptions/sub-1/resourcegroups/rg-files/providers/microsoft.storage/storageaccounts/other';
export const shareOf = (name: string, account = ACCOUNT): string => `${account}/fileservices/default/shares/${name}`;
export const S1 = shareOf('s1');
export const S2 = shareOf('s2');
export const GIB = 1_073_741_824n;

export interface IntervalInput {
  share: string;
  state?: 'live' | 'soft_deleted';
  from: string;
  to: string | null;
  gib: number;
  iops: number;
  mibps: number;
  usedBytes: bigint;
  coveredTo?: string;
  endsBy?: 'next_observation' | 'purge' | null;
  line: number;
}

export { intervalId };

export async function insertInterval(wh: Warehouse, i: IntervalInput): Promise<void> {
  await insertShareIntervals(wh, [
    {
      share_interval_id: intervalId(i.share, i.from),
      share_resource_id: i.share,
      billing_resource_id: i.share.slice(0, i.share.indexOf('/fileservices/')),
      resource_kind: 'classic',
      state: i.state ?? 'live',
      valid_from: i.from,
      valid_to: i.to,
      billing_model: 'v2',
      media_tier: 'ssd',
      redundancy: 'lrs',
      protocol: 'smb',
      access_tier: 'premium',
      provisioned_gib: String(i.gib),
      provisioned_iops: String(i.iops),
      provisioned_mibps: String(i.mibps),
      used_bytes: i.usedBytes.toString(),
      snapshot_differential_bytes: '0',
      metadata_bytes: '0',
      observed_at: i.from,
      source_file: 'inventory/share_state.csv',
      source_line: i.line,
      covered_to: i.coveredTo ?? i.to,
      ends_by: i.endsBy ?? (i.to === null ? null : 'next_observation'),
      deleted_at: i.state === 'soft_deleted' ? i.from : null,
      retention_days: i.state === 'soft_deleted' ? 7 : null,
    },
  ]);
}

/** One delivery of the MCA export 'daily-actual' on sub-1, submitted at `submittedAt`, ingested an hour later. */
export async function insertDelivery(wh: Warehouse, id: string, submittedAt: string, month = MONTH): Promise<void> {
  await insertBuiltDelivery(wh, {
    delivery_id: id,
    export_scope: '/subscriptions/sub-1',
    export_name: 'daily-actual',
    dataset_type: 'ActualCost',
    dialect: 'mca',
    billing_month: month,
    run_id: id,
    submitted_at: submittedAt,
    period_start: `${month}-01`,
    period_end: lastDayOf(month),
    last_charge_at: addHours(submittedAt, -24),
    days_covered: 11,
    byte_count: 1000,
    rows_read: 3,
    rows_ingested: 3,
    source_path: `exports/${id}/manifest.json`,
    ingested_at: addHours(submittedAt, 1),
  });
}

export interface LineInput {
  delivery: string;
  line: number;
  account?: string;
  day: string;
  meterName?: string;
  meterId?: string;
  quantity: string;
  price: string;
  cost: string;
}

export async function insertLine(wh: Warehouse, l: LineInput): Promise<void> {
  await insertBillingLines(wh, [
    {
      delivery_id: l.delivery,
      source_file: `exports/${l.delivery}/part_0_0001.csv`,
      source_line: l.line,
      charge_period_start: `${l.day} 00:00:00`,
      charge_period_end: addHours(l.day, 24),
      billing_account_id: 'ba-1',
      subscription_id: 'sub-1',
      resource_group: 'rg-files',
      billing_resource_id: l.account ?? ACCOUNT,
      resource_name: 'acct1',
      service_name: 'Storage',
      product_name: 'Azure Files v2 SSD',
      meter_id: l.meterId ?? '6f1c1a5e-0000-4000-8000-000000000001',
      meter_category: 'Storage',
      meter_subcategory: 'Azure Files v2',
      meter_name: l.meterName ?? 'SSD LRS Provisioned Storage',
      meter_region: 'westeurope',
      unit_of_measure: '1 GiB/Hour',
      pricing_block_size: '1',
      distinct_unit: 'GiB/Hour',
      quantity: l.quantity,
      effective_price: l.price,
      unit_price: l.price,
      cost: l.cost,
      billing_currency: 'EUR',
      charge_type: 'Usage',
      pricing_model: 'OnDemand',
      tags: '{}',
    },
  ]);
}

export async function insertComparison(
  wh: Warehouse,
  c: {
    meter: string;
    day: string;
    billed: string | null;
    expected: string | null;
    delta: string;
    cost: string | null;
    status: string;
  },
): Promise<void> {
  await insertRows(wh, 'comparison', [
    {
      billing_month: '2025-03',
      billing_resource_id: ACCOUNT,
      meter: c.meter,
      usage_date: c.day,
      billed_quantity: c.billed,
      expected_quantity: c.expected,
      delta_quantity: c.delta,
      billed_cost: c.cost,
      effective_price: '0.000123',
      currency: 'EUR',
      is_covered: true,
      status: c.status,
    },
  ]);
}

export async function insertFinding(
  wh: Warehouse,
  f: {
    id: string;
    meter: string | null;
    day: string | null;
    kind: string;
    severity: string;
    billed: string | null;
    expected: string | null;
    delta: string;
    impact: string;
    explanation: string;
  },
): Promise<void> {
  await wh.run(
    `insert into finding (finding_id, billing_month, usage_date, billing_resource_id, meter, kind, severity,
       billed_quantity, expected_quantity, delta_quantity, billed_cost, cost_impact, currency, provisional, explanation,
       run_id, money_direction, overbilled_cost, underbilled_cost)
     values ($id, '2025-03', $day::date, $account, $meter, $kind, $severity, $billed::decimal(38, 18),
       $expected::decimal(38, 18), $delta::decimal(38, 18), null, $impact::decimal(38, 18), 'EUR', false,
       $explanation, 'run-1', $direction,
       case when $direction = 'overbilled' then $impact::decimal(38, 18) end,
       case when $direction = 'underbilled' then $impact::decimal(38, 18) end)`,
    // the direction sql/diff/finding.sql gives a quantity-based finding: the sign of billed − expected
    { account: ACCOUNT, ...f, direction: f.delta.startsWith('-') ? 'underbilled' : 'overbilled' },
  );
}

export const EXPLANATION_STORAGE =
  'Billed 5200 GiB-hours; s1 was 100 GiB until 10:20 then 200 GiB, s2 50 GiB all day: 4966.67 GiB-hours expected.';
export const EXPLANATION_IOPS = 'Expected 3000 IOPS × 24 h = 72000 IOPS-hours; nothing billed.';

/** Insert the dispute into a fresh test warehouse (openTestWarehouse), running recompute and the billed stage. */
export async function insertDisputeFixture(wh: Warehouse): Promise<void> {
  const common = { iops: 3000, mibps: 100, usedBytes: 10n * GIB };
  await insertInterval(wh, {
    share: S1,
    from: '2025-02-20 00:00:00',
    to: '2025-03-10 10:20:00',
    gib: 100,
    ...common,
    line: 2,
  });
  await insertInterval(wh, {
    share: S1,
    from: '2025-03-10 10:20:00',
    to: null,
    gib: 200,
    ...common,
    coveredTo: '2025-04-02 00:00:00',
    line: 7,
  });
  await insertInterval(wh, {
    share: S2,
    from: '2025-03-01 00:00:00',
    to: '2025-03-20 00:00:00',
    gib: 50,
    ...common,
    line: 3,
  });
  await insertInterval(wh, {
    share: S2,
    state: 'soft_deleted',
    from: '2025-03-20 00:00:00',
    to: '2025-03-27 00:00:00',
    gib: 50,
    ...common,
    endsBy: 'purge',
    line: 9,
  });
  // another account under the same resource group: never in acct1's pack
  await insertInterval(wh, {
    share: shareOf('x', OTHER_ACCOUNT),
    from: '2025-03-01 00:00:00',
    to: '2025-03-31 00:00:00',
    gib: 32,
    ...common,
    line: 11,
  });
  await recompute(wh, { month: MONTH });

  await insertDelivery(wh, 'd-early', '2025-03-12 03:00:00');
  await insertDelivery(wh, 'd-late', '2025-03-15 03:00:00');
  for (const delivery of ['d-early', 'd-late']) {
    const restated = delivery === 'd-late';
    await insertLine(wh, {
      delivery,
      line: 2,
      day: '2025-03-10',
      quantity: restated ? '5200' : '4966.666667',
      price: '0.000123',
      cost: restated ? '0.6396' : '0.610900000041',
    });
    await insertLine(wh, { delivery, line: 3, day: '2025-03-11', quantity: '6000', price: '0.000123', cost: '0.738' });
    await insertLine(wh, {
      delivery,
      line: 4,
      account: OTHER_ACCOUNT,
      day: '2025-03-11',
      quantity: '768',
      price: '0.000123',
      cost: '0.094464',
    });
  }
  // a line whose meter name would be a spreadsheet formula
  await insertLine(wh, {
    delivery: 'd-late',
    line: 5,
    day: '2025-03-11',
    meterId: '6f1c1a5e-0000-4000-8000-0000000000ff',
    meterName: '=HYPERLINK("http://example.invalid","x")',
    quantity: '1',
    price: '0.01',
    cost: '0.01',
  });
  await buildBilledUsage(wh, { month: MONTH });

  await insertComparison(wh, {
    meter: 'v2.provisioned_storage',
    day: '2025-03-10',
    billed: '5200',
    expected: '4966.666666666666666667',
    delta: '233.333333333333333333',
    cost: '0.6396',
    status: 'finding',
  });
  await insertComparison(wh, {
    meter: 'v2.provisioned_storage',
    day: '2025-03-11',
    billed: '6000',
    expected: '6000',
    delta: '0',
    cost: '0.738',
    status: 'match',
  });
  await insertComparison(wh, {
    meter: 'v2.provisioned_iops',
    day: '2025-03-10',
    billed: null,
    expected: '72000',
    delta: '-72000',
    cost: null,
    status: 'finding',
  });
  await insertFinding(wh, {
    id: 'f-storage-0310',
    meter: 'v2.provisioned_storage',
    day: '2025-03-10',
    kind: 'quantity_mismatch',
    severity: 'medium',
    billed: '5200',
    expected: '4966.666666666666666667',
    delta: '233.333333333333333333',
    impact: '0.0287',
    explanation: EXPLANATION_STORAGE,
  });
  await insertFinding(wh, {
    id: 'f-iops-0310',
    meter: 'v2.provisioned_iops',
    day: '2025-03-10',
    kind: 'missing_charge',
    severity: 'high',
    billed: null,
    expected: '72000',
    delta: '-72000',
    impact: '1.234567890123456789',
    explanation: EXPLANATION_IOPS,
  });
}

// A small, realistic dispute: one classic provisioned-v2 storage account (acct1) with two shares in March 2025 —
// s1 resized from 100 to 200 GiB at 10:20 on the 10th, s2 deleted on the 20th and purged on the 27th — billed by two
// deliveries of one export (the second restates the 10th upwards), with the diff's comparison and two findings.
// Inventory and billing lines are inserted as their stages would leave them; recompute and the billed stage then run
// for real; comparison and finding rows are inserted as the diff stage would write them.
import { buildBilledUsage } from '../../src/billed/index.ts';
import { migrate } from '../../src/db/migrate.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';

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

/** The interval id as the inventory stage spells it: share id '@' ISO valid_from. */
export const intervalId = (share: string, from: string): string => `${share}@${from.replace(' ', 'T')}Z`;

export async function insertInterval(wh: Warehouse, i: IntervalInput): Promise<void> {
  await wh.run(
    `insert into share_interval (share_interval_id, share_resource_id, billing_resource_id, resource_kind, state,
       valid_from, valid_to, billing_model, media_tier, redundancy, protocol, access_tier, provisioned_gib,
       provisioned_iops, provisioned_mibps, used_bytes, snapshot_differential_bytes, metadata_bytes, observed_at,
       source_file, source_line, covered_to, ends_by, deleted_at, retention_days)
     values ($id, $share, $account, 'classic', $state, $from::timestamp, $to::timestamp, 'v2', 'ssd', 'lrs', 'smb',
       'premium', $gib::bigint, $iops::bigint, $mibps::bigint, $used::bigint, 0, 0, $from::timestamp,
       'inventory/share_state.csv', $line, $covered::timestamp, $ends_by, $deleted::timestamp, $retention)`,
    {
      id: intervalId(i.share, i.from),
      share: i.share,
      account: i.share.slice(0, i.share.indexOf('/fileservices/')),
      state: i.state ?? 'live',
      from: i.from,
      to: i.to,
      gib: String(i.gib),
      iops: String(i.iops),
      mibps: String(i.mibps),
      used: i.usedBytes.toString(),
      line: i.line,
      covered: i.coveredTo ?? i.to,
      ends_by: i.endsBy ?? (i.to === null ? null : 'next_observation'),
      deleted: i.state === 'soft_deleted' ? i.from : null,
      retention: i.state === 'soft_deleted' ? 7 : null,
    },
  );
}

export async function insertDelivery(wh: Warehouse, id: string, submittedAt: string, month = MONTH): Promise<void> {
  await wh.run(
    `insert into delivery (delivery_id, export_scope, export_name, dataset_type, dialect, billing_month, run_id,
       submitted_at, period_start, period_end, last_charge_at, days_covered, file_count, byte_count, rows_read,
       rows_ingested, rows_quarantined, is_complete, source_path, ingested_at)
     values ($id, '/subscriptions/sub-1', 'daily-actual', 'ActualCost', 'mca', $month, $id, $submitted::timestamp,
       ($month || '-01')::date, last_day(($month || '-01')::date), $submitted::timestamp - interval 1 day, 11, 1, 1000,
       3, 3, 0, true, 'exports/' || $id || '/manifest.json', $submitted::timestamp + interval 1 hour)`,
    { id, submitted: submittedAt, month },
  );
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
  await wh.run(
    `insert into billing_line (delivery_id, source_file, source_line, billing_month, charge_period_start,
       charge_period_end, usage_date, billing_account_id, subscription_id, resource_group, billing_resource_id,
       resource_name, service_name, product_name, meter_id, meter_category, meter_subcategory, meter_name,
       meter_region, unit_of_measure, pricing_block_size, distinct_unit, quantity, effective_price, unit_price, cost,
       billing_currency, charge_type, pricing_model, tags)
     values ($delivery, 'exports/' || $delivery || '/part_0_0001.csv', $line, strftime($day::date, '%Y-%m'), $day::timestamp,
       $day::timestamp + interval 1 day, $day::date, 'ba-1', 'sub-1', 'rg-files', $account, 'acct1', 'Storage',
       'Azure Files v2 SSD', $meter_id, 'Storage', 'Azure Files v2', $meter_name, 'westeurope', '1 GiB/Hour', 1,
       'GiB/Hour', $quantity::decimal(38, 28), $price::decimal(38, 28), $price::decimal(38, 28),
       $cost::decimal(38, 28), 'EUR', 'Usage', 'OnDemand', '{}')`,
    {
      delivery: l.delivery,
      line: l.line,
      account: l.account ?? ACCOUNT,
      day: l.day,
      meter_id: l.meterId ?? '6f1c1a5e-0000-4000-8000-000000000001',
      meter_name: l.meterName ?? 'SSD LRS Provisioned Storage',
      quantity: l.quantity,
      price: l.price,
      cost: l.cost,
    },
  );
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
  await wh.run(
    `insert into comparison values ('2025-03', $account, $meter, $day::date, $billed::decimal(38, 18),
       $expected::decimal(38, 18), $delta::decimal(38, 18), $cost::decimal(38, 18), 0.000123, 'EUR', true, $status)`,
    { account: ACCOUNT, ...c },
  );
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

export async function disputeWarehouse(): Promise<Warehouse> {
  const wh = await Warehouse.open({ path: ':memory:' });
  await migrate(wh);
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
  return wh;
}

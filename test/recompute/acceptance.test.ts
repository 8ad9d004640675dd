// The acceptance tables of spec/billing-rules.md, reproduced exactly through recompute() and expectedHourly():
// §2 v2 Provisioned Storage, §3/§4 v1 and pay-as-you-go monthly units, §6 the incremental disk snapshot.
// Real months: Feb 2023 (28 days), Feb 2024 (29), Apr 2024 (30), Jan 2024 (31).
import { Decimal } from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { expectedHourly, recompute } from '../../src/recompute/index.ts';
import { GIB, insertShareInterval, insertSnapshotInterval } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const MONTHS = [
  { month: '2023-02', days: 28, first: '2023-02-01', next: '2023-03-01' },
  { month: '2024-02', days: 29, first: '2024-02-01', next: '2024-03-01' },
  { month: '2024-04', days: 30, first: '2024-04-01', next: '2024-05-01' },
  { month: '2024-01', days: 31, first: '2024-01-01', next: '2024-02-01' },
] as const;

// Account per month, so each month is its own billed resource.
const account = (month: string) =>
  `/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acc${month.replace('-', '')}`;
const share = (month: string) => `${account(month)}/fileservices/default/shares/data`;

async function quantity(wh: Warehouse, sql: string, params: Record<string, string>): Promise<string | undefined> {
  return (await wh.row<{ quantity: string }>(sql, params))?.quantity;
}
const dayQuantity = (wh: Warehouse, id: string, meter: string, day: string) =>
  quantity(
    wh,
    'select quantity from expected_usage where billing_resource_id = $id and meter = $m and usage_date = $d',
    {
      id,
      m: meter,
      d: day,
    },
  );
const monthQuantity = (wh: Warehouse, id: string, meter: string, month: string) =>
  quantity(
    wh,
    'select quantity from expected_usage_month where billing_resource_id = $id and meter = $m and billing_month = $b',
    { id, m: meter, b: month },
  );
async function firstHour(wh: Warehouse, id: string, meter: string, day: string): Promise<string | undefined> {
  const hours = await expectedHourly(wh, id, day, day);
  return hours.find((h) => h.meter === meter && h.usageHour === `${day} 00:00:00`)?.quantity;
}
const display = (value: string | undefined) => new Decimal(value ?? 'NaN').toFixed(4, Decimal.ROUND_HALF_UP);

describe('acceptance: provisioned v2, 1,024 GiB on Provisioned Storage', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    for (const m of MONTHS) {
      await insertShareInterval(wh, {
        share: share(m.month),
        model: 'v2',
        from: `${m.first} 00:00:00`,
        to: `${m.next} 00:00:00`,
        gib: 1024,
        iops: 4024,
        mibps: 203,
        usedBytes: 10n * GIB,
        snapshotBytes: 0,
      });
    }
    await recompute(wh);
  });
  afterEach(() => {
    wh.close();
  });

  it('emits 1,024 per hour and 24,576 per day', async () => {
    for (const m of MONTHS) {
      expect(await firstHour(wh, account(m.month), 'v2.provisioned_storage', m.first)).toBe(
        '1024.00000000000000000000',
      );
      expect(await dayQuantity(wh, account(m.month), 'v2.provisioned_storage', m.first)).toBe(
        '24576.00000000000000000000',
      );
    }
  });

  it.each([
    ['2023-02', '688128.00000000000000000000'],
    ['2024-02', '712704.00000000000000000000'],
    ['2024-04', '737280.00000000000000000000'],
    ['2024-01', '761856.00000000000000000000'],
  ])('sums a whole month %s to %s', async (month, expected) => {
    expect(await monthQuantity(wh, account(month), 'v2.provisioned_storage', month)).toBe(expected);
  });
});

describe.each([
  ['v1', 'v1.provisioned'],
  ['payg', 'payg.data_stored'],
] as const)('acceptance: %s monthly units, 1,024 GiB on %s', (model, meter) => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    for (const m of MONTHS) {
      await insertShareInterval(wh, {
        share: share(m.month),
        model,
        accessTier: model === 'payg' ? 'transaction_optimized' : 'premium',
        from: `${m.first} 00:00:00`,
        to: `${m.next} 00:00:00`,
        // v1 bills MAX(provisioned, used); pay-as-you-go bills used + snapshot differential
        gib: 1024,
        usedBytes: model === 'v1' ? 0 : 1000n * GIB,
        snapshotBytes: model === 'v1' ? 0 : 24n * GIB,
        metadataBytes: 0,
      });
    }
    await recompute(wh);
  });
  afterEach(() => {
    wh.close();
  });

  const table = [
    {
      month: '2023-02',
      hour: '1.52380952380952380952',
      hour4: '1.5238',
      day: '36.57142857142857142857',
      day4: '36.5714',
    },
    {
      month: '2024-02',
      hour: '1.47126436781609195402',
      hour4: '1.4713',
      day: '35.31034482758620689655',
      day4: '35.3103',
    },
    {
      month: '2024-04',
      hour: '1.42222222222222222222',
      hour4: '1.4222',
      day: '34.13333333333333333333',
      day4: '34.1333',
    },
    {
      month: '2024-01',
      hour: '1.37634408602150537634',
      hour4: '1.3763',
      day: '33.03225806451612903226',
      day4: '33.0323',
    },
  ];

  it.each(table)('$month: hour $hour4, day $day4, whole month exactly 1024', async (row) => {
    const m = MONTHS.find((x) => x.month === row.month);
    if (!m) throw new Error(row.month);
    const hour = await firstHour(wh, account(m.month), meter, m.first);
    const day = await dayQuantity(wh, account(m.month), meter, m.first);
    expect(hour).toBe(row.hour);
    expect(display(hour)).toBe(row.hour4);
    expect(day).toBe(row.day);
    expect(display(day)).toBe(row.day4);
    expect(await monthQuantity(wh, account(m.month), meter, m.month)).toBe('1024.00000000000000000000');
  });

  it('keeps the exact numerator: the month is the sum of the day numerators, not of rounded days', async () => {
    const sums = await wh.rows<{ month: string; day_sum: string; month_numerator: string; rounded_day_sum: string }>(
      `select d.billing_month as month, sum(d.quantity_numerator)::varchar as day_sum,
              any_value(m.quantity_numerator)::varchar as month_numerator, sum(d.quantity)::varchar as rounded_day_sum
       from expected_usage d join expected_usage_month m using (billing_resource_id, meter, billing_month)
       where d.meter = $meter group by d.billing_month order by 1`,
      { meter },
    );
    expect(sums).toHaveLength(4);
    for (const s of sums) expect(s.day_sum).toBe(s.month_numerator);
    // 31 rounded daily rows of a 31-day month do not add up to 1024 — which is why the month adds numerators
    expect(sums.find((s) => s.month === '2024-01')?.rounded_day_sum).toBe('1024.00000000000000000006');
  });
});

describe('acceptance: managed-disk incremental snapshot', () => {
  it('bills 10 GiB used as 10/31 = 0.3226 per day in a 31-day month', async () => {
    const wh = await openTestWarehouse();
    const snapshot = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/snapshots/snap1';
    await insertSnapshotInterval(wh, {
      snapshot,
      from: '2024-01-01 00:00:00',
      to: '2024-02-01 00:00:00',
      usedBytes: 10n * GIB,
    });
    await recompute(wh);
    const day = await dayQuantity(wh, snapshot, 'disk.incremental_snapshot', '2024-01-17');
    expect(day).toBe('0.32258064516129032258');
    expect(display(day)).toBe('0.3226');
    expect(await monthQuantity(wh, snapshot, 'disk.incremental_snapshot', '2024-01')).toBe('10.00000000000000000000');
    wh.close();
  });
});

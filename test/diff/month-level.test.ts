// Month-level comparison: per resource × meter key × billing month, billed total against expected total. A charge
// billed on other days than the usage (a whole month on one day, a restated day moved) is one month-level finding,
// not a day-by-day stream of missing and over-billed days; a month-long (monthly-granularity) row is compared at
// month level; and a real difference is still found, with the month's money.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestExports } from '../../src/ingest/index.ts';
import {
  ACCOUNT,
  billAndDiff,
  findings,
  insertCoverage,
  insertDelivery,
  insertExpected,
  insertLine,
  v2DayGibHours,
} from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
  await insertCoverage(wh, ACCOUNT, '2026-10-01', '2026-10-31');
});
afterEach(() => {
  wh.close();
});

const DAY = 24576; // 1 TiB provisioned for a day, in GiB-hours (0.000137 EUR each)
const days = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);

async function expectWholeMonth(): Promise<void> {
  for (const date of days) await insertExpected(wh, { ...v2DayGibHours(1024), date });
}

/** Bills `quantities[date]` on each date named; nothing on the others. */
async function bill(quantities: Record<string, number>): Promise<void> {
  let line = 2;
  for (const [date, quantity] of Object.entries(quantities)) {
    await insertLine(wh, { source_line: line++, usage_date: date, quantity: String(quantity) });
  }
}

function everyDay(quantity: number): Record<string, number> {
  return Object.fromEntries(days.map((d) => [d, quantity]));
}

describe('a charge on the wrong day', () => {
  it('a whole month billed on one day, total right: one month-level misdated_charge, no daily money findings', async () => {
    await expectWholeMonth();
    await bill({ '2026-10-01': 31 * DAY });
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ misdated_charge: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      billing_month: '2026-10',
      usage_date: null,
      billing_resource_id: ACCOUNT,
      meter: 'v2.provisioned_storage',
      kind: 'misdated_charge',
      severity: 'low',
      billed_quantity: '761856.000000000000000000',
      expected_quantity: '761856.000000000000000000',
      delta_quantity: '0.000000000000000000',
      cost_impact: '0.000000000000000000',
      currency: 'EUR',
    });
    expect(f?.explanation).toContain('October 2026');
    expect(f?.explanation).toContain('billed 761,856 GiB-hours');
    expect(f?.explanation).toContain('no money at stake');
    const evidence = JSON.parse(f?.evidence ?? '{}') as Record<string, unknown>;
    expect(evidence.days_billed_more).toEqual(['2026-10-01']);
    expect(evidence.days_billed_less).toHaveLength(30);
  });

  it('a restated day moved to the next day: one misdated_charge naming both days', async () => {
    await expectWholeMonth();
    const billed = everyDay(DAY);
    delete billed['2026-10-10'];
    billed['2026-10-11'] = 2 * DAY;
    await bill(billed);
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ misdated_charge: 1 });
    const [f] = await findings(wh);
    expect(f?.usage_date).toBeNull();
    expect(f?.cost_impact).toBe('0.000000000000000000');
    expect(f?.explanation).toContain('2026-10-11');
    expect(f?.explanation).toContain('2026-10-10');
  });
});

describe('month-level money is never hidden', () => {
  it('a month billed on one day with two days too many: one month-level quantity_mismatch with the net money', async () => {
    await expectWholeMonth();
    await bill({ '2026-10-01': 33 * DAY });
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ quantity_mismatch: 1 });
    expect(report.costImpact).toBe('6.733824000000000000');
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      usage_date: null,
      kind: 'quantity_mismatch',
      billed_quantity: '811008.000000000000000000',
      expected_quantity: '761856.000000000000000000',
      delta_quantity: '49152.000000000000000000',
      cost_impact: '6.733824000000000000',
    });
    expect(f?.explanation).toContain('+49,152 GiB-hours × 0.000137 EUR = 6.73 EUR');
  });

  it('a moved day and an overbilled day in one month: the month difference, not the gross daily differences', async () => {
    await expectWholeMonth();
    const billed = everyDay(DAY);
    delete billed['2026-10-10'];
    billed['2026-10-11'] = 2 * DAY;
    billed['2026-10-20'] = 2 * DAY;
    await bill(billed);
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ quantity_mismatch: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({ usage_date: null, delta_quantity: '24576.000000000000000000' });
    expect(f?.cost_impact).toBe('3.366912000000000000');
  });

  it('an overbilled day with nothing moved stays a daily finding', async () => {
    await expectWholeMonth();
    await bill({ ...everyDay(DAY), '2026-10-10': 2 * DAY });
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ quantity_mismatch: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({ usage_date: '2026-10-10', cost_impact: '3.366912000000000000' });
  });

  it('missing days with nothing billed elsewhere stay daily missing_charge findings', async () => {
    await expectWholeMonth();
    const billed = everyDay(DAY);
    delete billed['2026-10-10'];
    delete billed['2026-10-11'];
    await bill(billed);
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ missing_charge: 2 });
  });

  it('a run scoped to some days keeps daily findings (a month total needs the whole month)', async () => {
    await expectWholeMonth();
    await bill({ '2026-10-01': 31 * DAY });
    const report = await billAndDiff(wh, { scope: { from: '2026-10-01', to: '2026-10-05' } });
    expect(report.byKind).toEqual({ quantity_mismatch: 1, missing_charge: 4 });
  });
});

describe('monthly-granularity rows', () => {
  const monthRow = { usage_date: '2026-10-01', charge_period_end: '2026-11-01' };

  it('one month-long row with the month total: compared at month level, no finding', async () => {
    await expectWholeMonth();
    await insertLine(wh, { source_line: 2, ...monthRow, quantity: String(31 * DAY) });
    const report = await billAndDiff(wh);
    expect(report.findings).toBe(0);
  });

  it('one month-long row that bills too little: one month-level finding with the month money', async () => {
    await expectWholeMonth();
    await insertLine(wh, { source_line: 2, ...monthRow, quantity: String(30 * DAY) });
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ quantity_mismatch: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      usage_date: null,
      delta_quantity: '-24576.000000000000000000',
      cost_impact: '3.366912000000000000',
    });
    expect(f?.explanation).toContain('billed for the whole month in one row');
  });
});

describe('monthly-granularity rows on a month the inventory does not fully cover', () => {
  async function partlyCoveredMonth(billedDays: number): Promise<void> {
    wh.close();
    wh = await openTestWarehouse({ meterCatalog: true });
    await insertDelivery(wh, 'd1');
    await insertCoverage(wh, ACCOUNT, '2026-10-01', '2026-10-20');
    await insertCoverage(wh, ACCOUNT, '2026-10-21', '2026-10-31', 43_200);
    await expectWholeMonth();
    await insertLine(wh, {
      source_line: 2,
      usage_date: '2026-10-01',
      charge_period_end: '2026-11-01',
      quantity: String(billedDays * DAY),
    });
  }

  it('the month total as expected: a match, as a day within the tolerance is', async () => {
    await partlyCoveredMonth(31);
    const report = await billAndDiff(wh);
    expect(report.findings).toBe(0);
  });

  it('one month-level unverifiable finding, not an over-billed first day and missing days', async () => {
    await partlyCoveredMonth(30);
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ unverifiable: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({ usage_date: null, delta_quantity: '-24576.000000000000000000' });
    expect(f?.explanation).toContain('does not vouch for 11 days of it');
  });
});

describe('a Monthly export read from its manifest', () => {
  const EA_HEADER_FILE = join(
    import.meta.dirname,
    '..',
    'fixtures',
    'ingest',
    'mtd',
    'cost-exports',
    'StorageCosts',
    '20230901-20230930',
    '7946d592-03d8-4ce0-bfca-af3abfa49d71',
    'part_0_0001.csv',
  );

  /** An EA export of one row for October on ACCOUNT (a real EA header), with its manifest. */
  async function writeExport(granularity: string, quantity: number): Promise<string> {
    const header = (await readFile(EA_HEADER_FILE, 'utf8')).split('\n')[0] ?? '';
    const columns = header.replace(/^\uFEFF/, '').split(',');
    const cost = (BigInt(quantity) * 137n).toString().padStart(7, '0');
    const value: Record<string, string> = {
      BillingPeriodStartDate: '10/01/2026',
      BillingPeriodEndDate: '10/31/2026',
      Date: '10/01/2026',
      MeterCategory: 'Storage',
      MeterSubCategory: 'Azure Files Provisioned v2',
      MeterName: 'SSD LRS Provisioned Storage',
      Quantity: String(quantity),
      EffectivePrice: '0.000137',
      Cost: `${cost.slice(0, -6)}.${cost.slice(-6)}`,
      BillingCurrency: 'EUR',
      ResourceId: ACCOUNT,
      UnitOfMeasure: '1 GiB/Hour',
      ChargeType: 'Usage',
      PricingModel: 'OnDemand',
    };
    const dir = await mkdtemp(join(tmpdir(), 'recon-monthly-'));
    await writeFile(join(dir, 'part_0_0001.csv'), `${header}\n${columns.map((c) => value[c] ?? '').join(',')}\n`);
    const manifest = {
      manifestVersion: '2024-04-01',
      blobCount: 1,
      dataRowCount: 1,
      exportConfig: {
        exportName: 'StorageMonthly',
        resourceId:
          '/providers/Microsoft.Billing/billingAccounts/1/providers/Microsoft.CostManagement/exports/StorageMonthly',
        dataVersion: '2021-10-01',
        type: 'ActualCost',
        timeFrame: 'TheLastMonth',
        granularity,
      },
      runInfo: {
        executionType: 'Scheduled',
        submittedTime: '2026-11-05T06:00:00.0000000Z',
        runId: '5a0f3c1e-1111-4222-8333-944455556666',
        startDate: '2026-10-01T00:00:00',
        endDate: '2026-10-31T00:00:00Z',
      },
      blobs: [{ blobName: 'exports/StorageMonthly/part_0_0001.csv', dataRowCount: 1 }],
    };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    return join(dir, 'manifest.json');
  }

  it('granularity Monthly, the month total right: no finding', async () => {
    await expectWholeMonth();
    await ingestExports(wh, [await writeExport('Monthly', 31 * DAY)]);
    const report = await billAndDiff(wh);
    expect(report.findings).toBe(0);
  });

  it('granularity Monthly, a day short: one month-level finding with its money', async () => {
    await expectWholeMonth();
    await ingestExports(wh, [await writeExport('Monthly', 30 * DAY)]);
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ quantity_mismatch: 1 });
    expect(report.costImpact).toBe('3.366912000000000000');
    expect((await findings(wh))[0]?.usage_date).toBeNull();
  });

  it('the same row in a Daily export bills the month on its first day: a misdated_charge', async () => {
    await expectWholeMonth();
    await ingestExports(wh, [await writeExport('Daily', 31 * DAY)]);
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ misdated_charge: 1 });
  });
});

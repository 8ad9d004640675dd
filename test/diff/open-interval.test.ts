// Where an open interval ends is one rule (source_interval.vouched_to, sql/inventory/model.sql): valid_to, else the
// interval's covered_to, else the inventory horizon. Recompute stops there, so must the diff's reading of the
// inventory's attributes: after the horizon the inventory does not know a share's tier or its account's model, and
// the diff must not call a charge there a wrong_meter on attributes nobody vouches for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';
import { billAndDiff, findings, insertDelivery, insertLine } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';
import { insertShareIntervals } from '../helpers/builders.ts';

const PAYG = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/backupstorage32f3';
const GIB = 1_073_741_824n;

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
  // one hot share, last seen on 2026-10-05 12:00: an open interval with no covered_to, so it holds until the
  // inventory horizon (the latest time the inventory looked at anything: that observation)
  const share = `${PAYG}/fileservices/default/shares/hotdata`;
  await insertShareIntervals(wh, [
    {
      share_interval_id: `${share}@2026-10-01`,
      share_resource_id: share,
      billing_resource_id: PAYG,
      resource_kind: 'classic',
      state: 'live',
      valid_from: '2026-10-01',
      valid_to: null,
      billing_model: 'payg',
      media_tier: 'hdd',
      redundancy: 'lrs',
      protocol: 'smb',
      access_tier: 'hot',
      used_bytes: String(310n * GIB),
      snapshot_differential_bytes: 0,
      metadata_bytes: 0,
      observed_at: '2026-10-05 12:00:00',
      source_file: 'share_state.csv',
      source_line: 2,
      covered_to: null,
    },
  ]);
  await recompute(wh, { from: '2026-10-01', to: '2026-10-31' });
});
afterEach(() => {
  wh.close();
});

/** The findings on the days something is billed (the share's other days are missing charges), by day and meter. */
async function billedDayFindings(days: string[]): Promise<string[][]> {
  return (await findings(wh))
    .filter((f) => f.usage_date !== null && days.includes(f.usage_date))
    .map((f) => [f.usage_date ?? '', f.meter ?? '', f.kind])
    .sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

/** The hot share's day (10 GiB-months of 31) billed on the cool meter. */
async function billCool(sourceLine: number, usageDate: string): Promise<void> {
  await insertLine(wh, {
    source_line: sourceLine,
    usage_date: usageDate,
    billing_resource_id: PAYG,
    meter_subcategory: 'Files v2',
    meter_name: 'Cool LRS Data Stored',
    unit_of_measure: '1 GB/Month',
    distinct_unit: 'GB/Month',
    quantity: '10',
    effective_price: '0.015',
  });
}

/** A v2 meter on the pay-as-you-go account: a meter key of another model. */
async function billV2(sourceLine: number, usageDate: string): Promise<void> {
  await insertLine(wh, { source_line: sourceLine, usage_date: usageDate, billing_resource_id: PAYG, quantity: '24' });
}

describe('the diff reads the inventory only as far as it vouches for it', () => {
  it('recompute does not cover a day after the horizon of an open interval without covered_to', async () => {
    const rows = await wh.rows<{ usage_date: string; is_fully_covered: boolean }>(
      `select usage_date::varchar as usage_date, is_fully_covered from inventory_coverage
       where usage_date in ('2026-10-04', '2026-10-05', '2026-10-20') order by usage_date`,
    );
    expect(rows).toEqual([
      { usage_date: '2026-10-04', is_fully_covered: true },
      { usage_date: '2026-10-05', is_fully_covered: false },
    ]);
  });

  it('finds the wrong tier on a day the inventory vouches for (control)', async () => {
    await billCool(2, '2026-10-04');
    await billAndDiff(wh);
    expect(await billedDayFindings(['2026-10-04'])).toEqual([['2026-10-04', 'payg.data_stored', 'wrong_meter']]);
  });

  it('does not claim the tier after the horizon: the day is unverifiable, not a wrong_meter', async () => {
    await billCool(2, '2026-10-20');
    await billAndDiff(wh);
    expect(await billedDayFindings(['2026-10-20'])).toEqual([['2026-10-20', 'payg.data_stored', 'unverifiable']]);
  });

  it('does not claim the model after the horizon: a v2 meter there is unverifiable, not a wrong_meter', async () => {
    await billV2(2, '2026-10-04');
    await billV2(3, '2026-10-20');
    await billAndDiff(wh);
    expect(await billedDayFindings(['2026-10-04', '2026-10-20'])).toEqual([
      ['2026-10-04', 'payg.data_stored', 'missing_charge'], // the hot share's day, not billed on its meter
      ['2026-10-04', 'v2.provisioned_storage', 'wrong_meter'],
      ['2026-10-20', 'v2.provisioned_storage', 'unverifiable'],
    ]);
  });
});

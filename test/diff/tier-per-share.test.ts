// Access tier is a property of each share (billing-rules §9): one pay-as-you-go account bills hot, cool and
// transaction-optimized meters on the same day, and the untiered 'LRS Metadata' covers its hot and cool shares
// together. Real meter names (data/azure-retail-meters), expected usage recomputed from share intervals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';
import { billAndDiff, findings, insertDelivery, insertLine } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';
import { insertShareIntervals } from '../helpers/builders.ts';

const ACCOUNT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/backupstorage32f3';
const GIB = 1_073_741_824n;

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
});
afterEach(() => {
  wh.close();
});

async function share(name: string, tier: string, usedGib: bigint, metadataGib: bigint): Promise<void> {
  const share = `${ACCOUNT}/fileservices/default/shares/${name}`;
  await insertShareIntervals(wh, [
    {
      share_interval_id: `${share}@2026-10-01`,
      share_resource_id: share,
      billing_resource_id: ACCOUNT,
      resource_kind: 'classic',
      state: 'live',
      valid_from: '2026-10-01',
      valid_to: '2026-11-01',
      billing_model: 'payg',
      media_tier: 'hdd',
      redundancy: 'lrs',
      protocol: 'smb',
      access_tier: tier,
      used_bytes: String(usedGib * GIB),
      snapshot_differential_bytes: 0,
      metadata_bytes: String(metadataGib * GIB),
      observed_at: '2026-10-01',
      source_file: 'share_state.csv',
      source_line: 2,
      covered_to: '2026-11-01',
    },
  ]);
}

/** A day of data stored / metadata in October (31 days): GiB-months = GiB ÷ 31, given exactly. */
async function line(sourceLine: number, name: string, gibMonths: string): Promise<void> {
  await insertLine(wh, {
    source_line: sourceLine,
    billing_resource_id: ACCOUNT,
    meter_subcategory: 'Files v2',
    meter_name: name,
    unit_of_measure: '1 GB/Month',
    distinct_unit: 'GB/Month',
    quantity: gibMonths,
    effective_price: '0.0255',
  });
}

describe('access tier per share', () => {
  beforeEach(async () => {
    await share('hotdata', 'hot', 310n, 31n); // 10 GiB-months a day, metadata 1
    await share('archive', 'cool', 620n, 62n); // 20 GiB-months a day, metadata 2
    await recompute(wh, { from: '2026-10-10', to: '2026-10-10' });
  });

  it('bills a hot and a cool share of one account on their own meters: no finding', async () => {
    await line(2, 'Hot LRS Data Stored', '10');
    await line(3, 'Cool LRS Data Stored', '20');
    await line(4, 'LRS Metadata', '3'); // one untiered meter for both shares' metadata
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({});
  });

  it('finds the hot share billed on the cool meter: wrong_meter, though the account total matches', async () => {
    await line(2, 'Cool LRS Data Stored', '30');
    await line(4, 'LRS Metadata', '3');
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ wrong_meter: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({ kind: 'wrong_meter', meter: 'payg.data_stored' });
    expect(f?.explanation).toContain(
      "tier cool (per tier of the inventory's shares: cool 30 billed, 20 expected; hot 0 billed, 10 expected)",
    );
  });
});

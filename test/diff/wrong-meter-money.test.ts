// wrong_meter money at list price: the bill does not show the price of the meter that should have been billed, the
// vendored Azure retail price list (data/azure-retail-meters, USD) does. Prices below are westeurope's from
// meters.csv: Hot LRS Data Stored 0.0271, Cool LRS Data Stored 0.015 (1 GB/Month); HDD GRS Provisioned Storage
// 2.5e-05, HDD LRS Provisioned Storage 1.3e-05 (1 GiB/Hour).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';
import { billAndDiff, findings, insertDelivery, insertLine } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';
import { insertShareIntervals } from '../helpers/builders.ts';

const PAYG = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/backupstorage32f3';
const V2_HDD = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/stv2hddgrs';
const GIB = 1_073_741_824n;

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
  /** One share of October; `sizes`: provisioned GiB, IOPS, MiB/s (null for pay-as-you-go) and used bytes. */
  const share = async (
    billing: string,
    name: string,
    model: string,
    redundancy: string,
    tier: string | null,
    sizes: [number | null, number | null, number | null, bigint],
  ) => {
    const shareId = `${billing}/fileservices/default/shares/${name}`;
    const [gib, iops, mibps, used] = sizes;
    await insertShareIntervals(wh, [
      {
        share_interval_id: `${shareId}@2026-10-01`,
        share_resource_id: shareId,
        billing_resource_id: billing,
        resource_kind: 'classic',
        state: 'live',
        valid_from: '2026-10-01',
        valid_to: '2026-11-01',
        billing_model: model,
        media_tier: 'hdd',
        redundancy,
        protocol: 'smb',
        access_tier: tier,
        provisioned_gib: gib,
        provisioned_iops: iops,
        provisioned_mibps: mibps,
        used_bytes: String(used),
        snapshot_differential_bytes: 0,
        metadata_bytes: 0,
        observed_at: '2026-10-01',
        source_file: 'share_state.csv',
        source_line: 2,
        covered_to: '2026-11-01',
      },
    ]);
  };
  await share(PAYG, 'hotdata', 'payg', 'lrs', 'hot', [null, null, null, 310n * GIB]);
  await share(PAYG, 'coolarchive', 'payg', 'lrs', 'cool', [null, null, null, 620n * GIB]);
  await share(V2_HDD, 'archive', 'v2', 'grs', null, [2048, 1500, 100, 1000n * GIB]);
  await recompute(wh, { from: '2026-10-10', to: '2026-10-10' });
});
afterEach(() => {
  wh.close();
});

async function billHotOnCool(currency: string): Promise<void> {
  // the hot share's 10 GiB-months billed on the cool meter with the cool share's 20
  await insertLine(wh, {
    source_line: 2,
    billing_resource_id: PAYG,
    resource_location: 'westeurope',
    meter_subcategory: 'Files v2',
    meter_name: 'Cool LRS Data Stored',
    unit_of_measure: '1 GB/Month',
    distinct_unit: 'GB/Month',
    quantity: '30',
    effective_price: '0.015',
    billing_currency: currency,
  });
}

/** The wrong_meter findings (the other meters of the two accounts are not billed here: missing charges). */
async function wrongMeter() {
  return (await findings(wh)).filter((f) => f.kind === 'wrong_meter');
}

describe('wrong_meter money at list price', () => {
  it('prices the excess on the wrong tier at the difference of the two list prices, same region', async () => {
    await billHotOnCool('USD');
    await billAndDiff(wh);
    const [f] = await wrongMeter();
    // 10 GiB-months × (0.015 − 0.0271) USD
    expect(f).toMatchObject({ kind: 'wrong_meter', meter: 'payg.data_stored', cost_impact: '0.121000000000000000' });
    expect(f?.explanation).toContain(
      "At list price (Azure retail prices, USD: 'Cool LRS Data Stored' 0.015 USD → 'Hot LRS Data Stored' 0.0271 USD per 1 GB/Month in westeurope) the difference is 0.121 USD at stake",
    );
  });

  it('prices a whole line on the wrong redundancy (GRS account billed on the LRS meter)', async () => {
    await insertLine(wh, {
      source_line: 2,
      billing_resource_id: V2_HDD,
      resource_location: 'westeurope',
      meter_name: 'HDD LRS Provisioned Storage',
      quantity: '49152',
      effective_price: '0.000013',
      billing_currency: 'USD',
    });
    await billAndDiff(wh);
    const rows = await wrongMeter();
    // the quantity matches on the key; 49,152 GiB-hours × (2.5e-05 − 1.3e-05) USD
    expect(rows.map((f) => [f.kind, f.cost_impact])).toEqual([['wrong_meter', '0.589824000000000000']]);
  });

  it('leaves the money unknown, and says why, when the bill is not in USD', async () => {
    await billHotOnCool('EUR');
    await billAndDiff(wh);
    const [f] = await wrongMeter();
    expect(f).toMatchObject({ kind: 'wrong_meter', cost_impact: null, currency: 'EUR' });
    expect(f?.explanation).toContain(
      'Azure retail list prices are in USD and this bill is in EUR, so the money at stake is unknown',
    );
  });

  it('leaves the money unknown when the region is not in the retail list', async () => {
    await billHotOnCool('USD');
    await wh.run(`update billing_line set resource_location = 'US North Central'`);
    await billAndDiff(wh);
    const [f] = await wrongMeter();
    expect(f).toMatchObject({ kind: 'wrong_meter', cost_impact: null });
    expect(f?.explanation).toContain('not in the bill nor in the retail price list for this region');
  });
});

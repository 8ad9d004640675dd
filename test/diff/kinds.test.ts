// The billed-side kinds (wrong_meter, duplicate_charge, unmapped_meter, price_mismatch) and metadata_violation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import {
  ACCOUNT,
  PAYG_ACCOUNT,
  billAndDiff,
  findings,
  insertCoverage,
  insertDelivery,
  insertExpected,
  insertLine,
  monthlyDayGibMonths,
  v2DayGibHours,
} from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';
import { insertShareIntervals } from '../helpers/builders.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
  for (const account of [ACCOUNT, PAYG_ACCOUNT]) await insertCoverage(wh, account, '2026-10-01', '2026-10-31');
});
afterEach(() => {
  wh.close();
});

async function shareInterval(
  account: string,
  model: string,
  media: string,
  tier: string | null,
  share = 's1',
): Promise<void> {
  const shareId = `${account}/fileservices/default/shares/${share}`;
  await insertShareIntervals(wh, [
    {
      share_interval_id: `${shareId}@2026-10-01T00:00:00Z`,
      share_resource_id: shareId,
      billing_resource_id: account,
      resource_kind: 'classic',
      state: 'live',
      valid_from: '2026-10-01',
      valid_to: '2026-11-01',
      billing_model: model,
      media_tier: media,
      redundancy: 'lrs',
      protocol: 'smb',
      access_tier: tier,
      provisioned_gib: 1024,
      observed_at: '2026-10-01',
      source_file: 'share_state.csv',
      source_line: 2,
      covered_to: '2026-11-01',
    },
  ]);
}

describe('wrong_meter', () => {
  it('a v1 meter billed on a v2 account is wrong_meter, not unexpected_charge; the v2 charge is missing', async () => {
    await shareInterval(ACCOUNT, 'v2', 'ssd', null);
    await insertLine(wh, {
      source_line: 2,
      meter_subcategory: 'Premium Files',
      meter_name: 'Premium LRS Provisioned',
      unit_of_measure: '1 GB/Month',
      distinct_unit: 'GB/Month',
      quantity: '33.0322580645161290',
      effective_price: '0.15',
    });
    await insertLine(wh, { source_line: 3, quantity: '24576', usage_date: '2026-10-11' });
    await insertExpected(wh, v2DayGibHours(1024));
    await insertExpected(wh, { ...v2DayGibHours(1024), date: '2026-10-11' });
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ missing_charge: 1, wrong_meter: 1 });
    const wrong = (await findings(wh)).find((f) => f.kind === 'wrong_meter');
    expect(wrong).toMatchObject({
      meter: 'v1.provisioned',
      billed_quantity: '33.032258064516129000',
      expected_quantity: null,
      cost_impact: '4.954838709677419350',
      severity: 'low',
    });
    expect(wrong?.explanation).toContain('on v1.provisioned as v1 SSD LRS: model v1 (inventory: v2)');
    expect(wrong?.explanation).toContain('Nothing is expected on this meter, so the whole 4.95 EUR is at stake.');
    expect(JSON.parse(String(wrong?.evidence))).toMatchObject({ billed_variants: ['v1 SSD LRS'] });
    // the inference keeps the cells with a wrong variant only, not every billed cell (the v2 day is right)
    expect(await wh.rows('select meter, usage_date::varchar as usage_date from diff_wrong_meter')).toEqual([
      { meter: 'v1.provisioned', usage_date: '2026-10-10' },
    ]);
  });

  it('a hot Data Stored meter on a cool share: wrong_meter with unknown money, the quantity still matches', async () => {
    await shareInterval(PAYG_ACCOUNT, 'payg', 'hdd', 'cool');
    await insertLine(wh, {
      source_line: 2,
      billing_resource_id: PAYG_ACCOUNT,
      meter_subcategory: 'Files v2',
      meter_name: 'Hot LRS Data Stored',
      unit_of_measure: '1 GB/Month',
      distinct_unit: 'GB/Month',
      quantity: '33.032258064516129032',
      effective_price: '0.0255',
    });
    await insertExpected(wh, {
      ...monthlyDayGibMonths(1024),
      resource: PAYG_ACCOUNT,
      meter: 'payg.data_stored',
      rule: 'payg_data_stored_monthly_units',
    });
    await billAndDiff(wh);
    const rows = await findings(wh);
    expect(rows.map((f) => [f.kind, f.meter, f.cost_impact, f.severity])).toEqual([
      ['wrong_meter', 'payg.data_stored', null, 'medium'],
    ]);
    expect(rows[0]?.explanation).toContain('tier hot (inventory: cool)');
    expect(await wh.rows('select status from comparison')).toEqual([{ status: 'finding' }]);
  });
});

describe('duplicate_charge', () => {
  it('reports the repeated line once and compares the day without it', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24576' });
    await insertLine(wh, { source_line: 3, quantity: '24576' });
    await insertExpected(wh, v2DayGibHours(1024));
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ duplicate_charge: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'duplicate_charge',
      meter: 'v2.provisioned_storage',
      billed_quantity: '24576.000000000000000000',
      delta_quantity: '24576.000000000000000000',
      billed_cost: '3.366912000000000000',
      cost_impact: '3.366912000000000000',
    });
    expect(f?.explanation).toBe(
      '1 line on 2026-10-10 for stv2ssdprod (v2.provisioned_storage) repeats an identical line of the same delivery: ' +
        '24,576 GiB-hours billed twice for 3.37 EUR (part_0.csv:3).',
    );
    expect(await wh.rows('select billed_quantity, status from comparison')).toEqual([
      { billed_quantity: '49152.000000000000000000', status: 'finding' },
    ]);
  });
});

describe('unmapped_meter', () => {
  it('groups unknown Files meters per resource, day and meter name, keeping the names as evidence', async () => {
    for (const line of [2, 3]) {
      await insertLine(wh, {
        source_line: line,
        meter_subcategory: 'Files v2',
        meter_name: 'Hot GRS Vault Operations', // no such Azure meter: the catalog cannot know it
        unit_of_measure: '10K',
        pricing_block_size: '10000',
        quantity: line === 2 ? '2' : '3',
        effective_price: '0.01',
      });
    }
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ unmapped_meter: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      meter: null,
      billed_quantity: '5.000000000000000000',
      billed_cost: '0.050000000000000000',
      cost_impact: null,
      severity: 'low',
    });
    expect(JSON.parse(f?.evidence ?? '{}')).toMatchObject({
      meter_name: 'Hot GRS Vault Operations',
      meter_subcategory: 'Files v2',
      billed_lines: ['part_0.csv:2', 'part_0.csv:3'],
    });
  });

  it('never reports a meter recon knows and does not reconcile (v1 paid bursting)', async () => {
    await insertLine(wh, {
      source_line: 2,
      meter_subcategory: 'Premium Files',
      meter_name: 'Premium LRS Burst Transactions',
      unit_of_measure: '1M',
      pricing_block_size: '1000000',
      quantity: '2',
      effective_price: '0.01',
      cost: '0.02',
    });
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({});
  });
});

describe('price_mismatch', () => {
  it('reports |cost − quantity × price| as the money at stake', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24576', cost: '3.5' });
    await insertExpected(wh, v2DayGibHours(1024));
    await billAndDiff(wh);
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'price_mismatch',
      billed_cost: '3.500000000000000000',
      cost_impact: '0.133088000000000000',
    });
    expect(f?.explanation).toContain('cost 3.5 EUR where quantity × price gives 3.37 (cost × EffectivePrice)');
  });
});

describe('metadata_violation', () => {
  it('carries the provisioning violation of the scope with its own sentence', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24576' });
    await insertExpected(wh, v2DayGibHours(1024));
    await wh.run(
      `insert into provisioning_violation (violation_id, rule, dimension, share_resource_id, billing_resource_id,
         billing_model, media_tier, valid_from, observed_at, usage_date, unit, limit_value, actual_value, detail)
       values ('v-1', 'v2_min_storage', 'storage', $share, $account, 'v2', 'ssd', '2026-10-12 08:00', '2026-10-12 08:00',
         '2026-10-12', 'GiB', 32, 16, 'Share s1 is provisioned with 16 GiB, below the v2 SSD minimum of 32 GiB.'),
              ('v-2', 'v2_min_storage', 'storage', $share, $account, 'v2', 'ssd', '2026-09-12 08:00', '2026-09-12 08:00',
         '2026-09-12', 'GiB', 32, 16, 'September: no delivery bills that month.')`,
      { share: `${ACCOUNT}/fileservices/default/shares/s1`, account: ACCOUNT },
    );
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ metadata_violation: 1 });
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'metadata_violation',
      usage_date: '2026-10-12',
      meter: null,
      severity: 'medium',
      rule: 'v2_min_storage',
      explanation: 'Share s1 is provisioned with 16 GiB, below the v2 SSD minimum of 32 GiB.',
    });
  });
});

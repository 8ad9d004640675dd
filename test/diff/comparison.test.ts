// The comparison kinds: match, quantity_mismatch, missing_charge, unexpected_charge, unverifiable, tolerance edges,
// refunds, and the comparison table itself. Billed lines go through the real billed stage.
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

describe('comparison', () => {
  it('matches a correct day: one comparison row, no finding', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24576' });
    await insertExpected(wh, v2DayGibHours(1024));
    const report = await billAndDiff(wh);
    expect(report).toEqual({
      findings: 0,
      byKind: {},
      bySeverity: {},
      costImpact: null,
      currency: null,
      billingMonths: ['2026-10'],
    });
    expect(
      await wh.rows(
        'select meter, usage_date, billed_quantity, expected_quantity, delta_quantity, status from comparison',
      ),
    ).toEqual([
      {
        meter: 'v2.provisioned_storage',
        usage_date: '2026-10-10',
        billed_quantity: '24576.000000000000000000',
        expected_quantity: '24576.000000000000000000',
        delta_quantity: '0.000000000000000000',
        status: 'match',
      },
    ]);
  });

  it('reports a quantity_mismatch with the exact delta, money and explanation', async () => {
    await insertLine(wh, { source_line: 2, quantity: '49152' });
    await insertExpected(wh, v2DayGibHours(1024));
    const report = await billAndDiff(wh);
    expect(report.costImpact).toBe('3.366912000000000000');
    expect(report.currency).toBe('EUR');
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'quantity_mismatch',
      severity: 'low',
      billed_quantity: '49152.000000000000000000',
      expected_quantity: '24576.000000000000000000',
      delta_quantity: '24576.000000000000000000',
      billed_cost: '6.733824000000000000',
      cost_impact: '3.366912000000000000',
      currency: 'EUR',
      provisional: false,
      rule: 'v2_provisioned_storage_hourly',
    });
    expect(f?.explanation).toBe(
      'Expected 24,576 GiB-hours on 2026-10-10 for stv2ssdprod (v2.provisioned_storage, rule ' +
        'v2_provisioned_storage_hourly: 1 share, provisioned GiB × hours live (docs/billing-rules.md §2)); billed 49,152. ' +
        'Δ +24,576 GiB-hours × 0.000137 EUR = 3.37 EUR at stake.',
    );
  });

  it('reports a missing_charge priced from the other days of the month', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24576' });
    await insertExpected(wh, v2DayGibHours(1024));
    await insertExpected(wh, { ...v2DayGibHours(1024), date: '2026-10-11' });
    await billAndDiff(wh);
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'missing_charge',
      usage_date: '2026-10-11',
      billed_quantity: null,
      expected_quantity: '24576.000000000000000000',
      delta_quantity: '-24576.000000000000000000',
      cost_impact: '3.366912000000000000',
      currency: 'EUR',
      severity: 'low',
    });
    expect(f?.explanation).toContain('; nothing billed. Δ -24,576 GiB-hours × 0.000137 EUR = 3.37 EUR at stake');
    expect(f?.explanation).toContain('(the price billed on other days of the month)');
  });

  it('says so when a missing charge has no price anywhere in the month (money unknown → medium)', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24576' });
    await insertExpected(wh, v2DayGibHours(1024));
    await insertExpected(wh, {
      ...v2DayGibHours(1024),
      meter: 'v2.provisioned_iops',
      rule: 'v2_provisioned_iops_hourly',
    });
    await billAndDiff(wh);
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'missing_charge',
      meter: 'v2.provisioned_iops',
      cost_impact: null,
      severity: 'medium',
    });
    expect(f?.explanation).toContain('so the money at stake is unknown');
  });

  it('reports an unexpected_charge on a covered day with nothing expected', async () => {
    await insertLine(wh, { source_line: 2, quantity: '1000', effective_price: '0.2' });
    await billAndDiff(wh);
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'unexpected_charge',
      billed_quantity: '1000.000000000000000000',
      expected_quantity: null,
      delta_quantity: '1000.000000000000000000',
      cost_impact: '200.000000000000000000',
      severity: 'high',
    });
    expect(f?.explanation).toContain('but the inventory, which covers that whole day, expects nothing on this meter');
  });

  it('calls a charge on a day the inventory does not cover unverifiable, never unexpected', async () => {
    const other = ACCOUNT.replace('stv2ssdprod', 'stunknown');
    await insertLine(wh, { source_line: 2, quantity: '24576', billing_resource_id: other });
    await insertCoverage(wh, ACCOUNT.replace('stv2ssdprod', 'sthalf'), '2026-10-10', '2026-10-10', 43_200);
    await insertLine(wh, {
      source_line: 3,
      quantity: '24576',
      billing_resource_id: ACCOUNT.replace('stv2ssdprod', 'sthalf'),
    });
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ unverifiable: 2 });
    const rows = await findings(wh);
    expect(rows.map((r) => [r.kind, r.severity, r.cost_impact])).toEqual([
      ['unverifiable', 'low', '3.366912000000000000'],
      ['unverifiable', 'low', '3.366912000000000000'],
    ]);
    expect(rows[0]?.explanation).toContain('the inventory observed sthalf for only 12 h 0 min of that day');
    expect(await wh.rows('select status, is_covered from comparison order by billing_resource_id')).toEqual([
      { status: 'unverifiable', is_covered: false },
      { status: 'unverifiable', is_covered: false },
    ]);
  });

  it('calls data retrieval unverifiable even on a covered day (recompute cannot compute it)', async () => {
    await insertCoverage(wh, PAYG_ACCOUNT, '2026-10-10');
    await insertLine(wh, {
      source_line: 2,
      billing_resource_id: PAYG_ACCOUNT,
      meter_subcategory: 'Files v2',
      meter_name: 'Cool LRS Data Retrieval',
      unit_of_measure: '1 GB',
      distinct_unit: 'GB',
      quantity: '12.5',
      effective_price: '0.01',
    });
    await billAndDiff(wh);
    const [f] = await findings(wh);
    expect(f).toMatchObject({
      kind: 'unverifiable',
      meter: 'payg.data_retrieval',
      billed_quantity: '12.500000000000000000',
    });
    expect(f?.explanation).toContain('no input recon reads carries this meter');
  });

  it('calls a mismatch unverifiable when the expected row is incomplete (a lower bound)', async () => {
    await insertLine(wh, { source_line: 2, quantity: '30000' });
    await insertExpected(wh, { ...v2DayGibHours(1024), isComplete: false });
    await billAndDiff(wh);
    const [f] = await findings(wh);
    expect(f).toMatchObject({ kind: 'unverifiable', expected_quantity: '24576.000000000000000000' });
    expect(f?.explanation).toContain('the expected figure is only a lower bound');
  });

  it('nets a refund against the charge it corrects: a match', async () => {
    await insertLine(wh, { source_line: 2, quantity: '49152' });
    await insertLine(wh, { source_line: 3, quantity: '-24576', charge_type: 'Refund', charge_class: 'Correction' });
    await insertExpected(wh, v2DayGibHours(1024));
    const report = await billAndDiff(wh);
    expect(report.findings).toBe(0);
    expect(await wh.rows('select billed_quantity, status from comparison')).toEqual([
      { billed_quantity: '24576.000000000000000000', status: 'match' },
    ]);
  });
});

describe('tolerance: |billed − expected| ≤ max(tolerance, pct × |expected|)', () => {
  const kindFor = async (billed: string, tolerance: string, tolerancePct: string): Promise<string[]> => {
    await wh.run('delete from billing_line');
    await insertLine(wh, { source_line: 2, quantity: billed });
    await billAndDiff(wh, { tolerance, tolerancePct });
    return (await findings(wh)).map((f) => f.kind);
  };
  beforeEach(async () => {
    await insertExpected(wh, v2DayGibHours(1024));
  });

  it('absolute: exactly at the edge matches, just outside does not', async () => {
    expect(await kindFor('24576.5', '0.5', '0')).toEqual([]);
    expect(await kindFor('24575.5', '0.5', '0')).toEqual([]);
    expect(await kindFor('24576.500001', '0.5', '0')).toEqual(['quantity_mismatch']);
    expect(await kindFor('24575.499999', '0.5', '0')).toEqual(['quantity_mismatch']);
  });

  it('relative: 1 % of 24,576 is 245.76', async () => {
    expect(await kindFor('24821.76', '0', '1')).toEqual([]);
    expect(await kindFor('24821.760001', '0', '1')).toEqual(['quantity_mismatch']);
    expect(await kindFor('24330.24', '0', '1')).toEqual([]);
    expect(await kindFor('24330.239999', '0', '1')).toEqual(['quantity_mismatch']);
  });

  it('the larger of the two applies', async () => {
    expect(await kindFor('24821.76', '300', '1')).toEqual([]);
    expect(await kindFor('24876', '300', '1')).toEqual([]);
    expect(await kindFor('24876.000001', '300', '1')).toEqual(['quantity_mismatch']);
  });

  it('refuses a tolerance that is not a plain decimal', async () => {
    await expect(billAndDiff(wh, { tolerance: '-1' })).rejects.toThrow("tolerance '-1' is not a decimal");
    await expect(billAndDiff(wh, { tolerancePct: '1e3' })).rejects.toThrow("tolerance-pct '1e3'");
  });
});

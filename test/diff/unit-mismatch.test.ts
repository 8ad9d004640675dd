// unit_mismatch: the billed figure equals the expected one under another unit convention, within tolerance.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import {
  ACCOUNT,
  PAYG_ACCOUNT,
  V1_ACCOUNT,
  billAndDiff,
  findings,
  insertCoverage,
  insertDelivery,
  insertExpected,
  insertLine,
  monthlyDayGibMonths,
  v2DayGibHours,
} from './helpers.ts';
import { operatorsOfFile } from '../helpers/plan.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
  for (const account of [ACCOUNT, V1_ACCOUNT, PAYG_ACCOUNT])
    await insertCoverage(wh, account, '2026-10-01', '2026-10-31');
});
afterEach(() => {
  wh.close();
});

/** A v1 Premium LRS Provisioned day billed as `quantity` GB/Month against 1,024 GiB expected in 31-day October. */
async function v1Day(quantity: string): Promise<void> {
  await insertLine(wh, {
    source_line: 2,
    billing_resource_id: V1_ACCOUNT,
    meter_subcategory: 'Premium Files',
    meter_name: 'Premium LRS Provisioned',
    unit_of_measure: '1 GB/Month',
    distinct_unit: 'GB/Month',
    quantity,
    effective_price: '0.15',
  });
  await insertExpected(wh, {
    ...monthlyDayGibMonths(1024, 31),
    resource: V1_ACCOUNT,
    meter: 'v1.provisioned',
    rule: 'v1_max_provisioned_used_monthly_units',
  });
}

async function onlyFinding(): Promise<Record<string, unknown>> {
  const rows = await findings(wh);
  expect(rows).toHaveLength(1);
  return rows[0] as unknown as Record<string, unknown>;
}

describe('unit_mismatch conventions', () => {
  it('monthly key billed in hourly units (× 24 × days in month)', async () => {
    await v1Day('24576');
    await billAndDiff(wh);
    const f = await onlyFinding();
    expect(f).toMatchObject({
      kind: 'unit_mismatch',
      unit_convention: 'hourly_units',
      billed_quantity: '24576.000000000000000000',
      expected_quantity: '33.032258064516129032',
      delta_quantity: '24542.967741935483870968',
      // 24542.967741935483870968 × 0.15 with the quantity cast to 12 decimals (diff_money, as price_check)
      cost_impact: '3681.445161290322600000',
      severity: 'high',
    });
    expect(f.explanation).toContain('if it were counted in hourly units (× 24 × 31 days) instead of monthly units');
  });

  it('a 30-day month used for 31-day October', async () => {
    await v1Day('34.1333333333333333');
    await billAndDiff(wh);
    const f = await onlyFinding();
    expect(f).toMatchObject({ kind: 'unit_mismatch', unit_convention: 'month_length_30' });
    expect(f.explanation).toBe(
      'Expected 33.03 GiB-months on 2026-10-10 for stv1prod (v1.provisioned, rule v1_max_provisioned_used_monthly_units: ' +
        '1 share, MAX(provisioned GiB, used GiB) × hours live ÷ (24 × days in month) (docs/billing-rules.md §3), October has 31 ' +
        'days); billed 34.13. The billed figure matches the expected 33.03 GiB-months if October had 30 days (720 hours) ' +
        '(it has 31). Δ +1.1 GiB-months × 0.15 EUR = 0.1652 EUR at stake.',
    );
  });

  it('a 28-day month used for 31-day October', async () => {
    await v1Day('36.5714285714285714');
    await billAndDiff(wh);
    expect(await onlyFinding()).toMatchObject({ unit_convention: 'month_length_28' });
  });

  it('a 730-hour month', async () => {
    // 1024 × 24 / 730
    await v1Day('33.6657534246575342');
    await billAndDiff(wh);
    const f = await onlyFinding();
    expect(f).toMatchObject({ kind: 'unit_mismatch', unit_convention: 'hours_730' });
    expect(f.explanation).toContain('if the month had 730 hours (it has 744)');
  });

  it('an hourly key billed in monthly units (÷ 24 × days in month)', async () => {
    await insertLine(wh, { source_line: 2, quantity: '33.0322580645161290' });
    await insertExpected(wh, v2DayGibHours(1024));
    await billAndDiff(wh);
    expect(await onlyFinding()).toMatchObject({ kind: 'unit_mismatch', unit_convention: 'monthly_units' });
  });

  it('GiB counted as decimal GB (× 1.073741824), and the inverse', async () => {
    await insertLine(wh, { source_line: 2, quantity: '26388.279066624' });
    await insertExpected(wh, v2DayGibHours(1024));
    await billAndDiff(wh);
    const f = await onlyFinding();
    expect(f).toMatchObject({ unit_convention: 'decimal_gb', delta_quantity: '1812.279066624000000000' });
    expect(f.explanation).toContain('if it were counted in decimal GB (× 1.073741824) instead of GiB');

    await wh.run('delete from billing_line');
    // 24576 ÷ 1.073741824 = 22888.18359375 exactly
    await insertLine(wh, { source_line: 2, quantity: '22888.18359375' });
    await billAndDiff(wh);
    expect(await onlyFinding()).toMatchObject({ unit_convention: 'inverse_decimal_gb' });
  });

  it('10K block ignored on a transaction key (× 10,000)', async () => {
    await insertLine(wh, {
      source_line: 2,
      billing_resource_id: PAYG_ACCOUNT,
      meter_subcategory: 'Files v2',
      meter_name: 'Hot LRS Write Operations',
      unit_of_measure: '10K',
      pricing_block_size: '10000',
      distinct_unit: 'Units',
      quantity: '30000',
      effective_price: '0.065',
    });
    await insertExpected(wh, {
      resource: PAYG_ACCOUNT,
      meter: 'payg.write_ops',
      rule: 'payg_transactions_per_10k',
      numerator: '30000',
      denominator: '10000',
    });
    await billAndDiff(wh);
    const f = await onlyFinding();
    expect(f).toMatchObject({
      kind: 'unit_mismatch',
      unit_convention: 'count_not_10k',
      billed_quantity: '30000.000000000000000000',
      expected_quantity: '3.000000000000000000',
    });
    expect(f.explanation).toContain('if single transactions were counted instead of 10,000-transaction buckets');
  });

  it('a factor no convention explains stays a quantity_mismatch', async () => {
    await v1Day('66.0645161290322580');
    await billAndDiff(wh);
    expect(await onlyFinding()).toMatchObject({ kind: 'quantity_mismatch', unit_convention: null });
  });
});

// The search's shape: the cells that are off only. As a per-cell subquery in diff_cell.sql, DuckDB answered it with a
// delim join that buffered every cell of the month (about 16 s of diff_cell's 19 s on the bench night).
describe('the unit-convention search', () => {
  let profileDir: string;
  beforeEach(async () => {
    profileDir = await mkdtemp(join(tmpdir(), 'recon-convention-plan-'));
  });
  afterEach(async () => {
    delete process.env.RECON_PROFILE_DIR;
    await rm(profileDir, { recursive: true, force: true });
  });

  it('is not a subquery of the full outer join, and reads only the mismatched cells', async () => {
    await v1Day('24576');
    await insertLine(wh, { source_line: 3, quantity: '24576' });
    await insertExpected(wh, v2DayGibHours(1024));
    process.env.RECON_PROFILE_DIR = profileDir;
    await billAndDiff(wh);
    delete process.env.RECON_PROFILE_DIR;
    expect((await findings(wh)).map((f) => f.kind)).toEqual(['unit_mismatch']);

    const cell = (await operatorsOfFile(profileDir, 'diff_cell.sql')).flat();
    expect(cell.map((op) => op.name)).toContain('HASH_JOIN');
    expect(cell.filter((op) => op.name.includes('DELIM'))).toEqual([]);
    const [search] = await operatorsOfFile(profileDir, 'diff_cell_unit_convention.sql');
    // the cells the search buffers for its delim join: the mismatched one, not the matched v2 day
    expect(search?.filter((op) => op.name === 'COLUMN_DATA_SCAN').map((op) => op.rows)).toEqual([1]);
  });
});

// inventory_coverage: how much of each day the inventory observed a billed resource — the diff's line between
// `unexpected_charge` (observed, nothing expected) and `unverifiable` (not observed).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';
import { ACCOUNT, insertShareInterval, insertSnapshotInterval, shareId } from './helpers.ts';
import { insertRows } from '../helpers/builders.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

async function coverage(wh: Warehouse, id = ACCOUNT): Promise<[string, string, boolean][]> {
  const rows = await wh.rows<{ usage_date: string; covered_seconds: string; is_fully_covered: boolean }>(
    `select usage_date, covered_seconds, is_fully_covered from inventory_coverage where billing_resource_id = $id
     order by usage_date`,
    { id },
  );
  return rows.map((r) => [r.usage_date, r.covered_seconds, r.is_fully_covered]);
}

const v2 = { model: 'v2' as const, gib: 100, iops: 3000, mibps: 100, usedBytes: 0, snapshotBytes: 0 };

describe('inventory_coverage', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  it('counts the union of share intervals once, to the second', async () => {
    // two shares overlapping 06:00–12:00 on the 1st; nothing observed from 18:00:30 on the 2nd
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('a'),
      from: '2024-03-01 00:00:00',
      to: '2024-03-01 12:00:00',
    });
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('b'),
      from: '2024-03-01 06:00:00',
      to: '2024-03-02 18:00:30',
    });
    await recompute(wh, { month: '2024-03' });
    expect(await coverage(wh)).toEqual([
      ['2024-03-01', '86400', true],
      ['2024-03-02', '64830', false],
    ]);
  });

  it('knows a purged share is gone until the inventory last looked, and soft-deleted time is observed', async () => {
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('a'),
      from: '2024-03-01 00:00:00',
      to: '2024-03-01 10:00:00',
    });
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('a'),
      state: 'soft_deleted',
      from: '2024-03-01 10:00:00',
      to: '2024-03-02 10:00:00',
    });
    // another resource observed up to 4 March 12:00 sets the horizon
    await insertSnapshotInterval(wh, {
      snapshot: '/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/snapshots/s',
      from: '2024-03-04 00:00:00',
      to: null,
      usedBytes: 1,
      observedAt: '2024-03-04 12:00:00',
    });
    await recompute(wh);
    expect(await coverage(wh)).toEqual([
      ['2024-03-01', '86400', true],
      ['2024-03-02', '86400', true],
      ['2024-03-03', '86400', true],
      ['2024-03-04', '43200', false],
    ]);
    // a charge on 3 March is unexpected (the share was purged), not unverifiable; and none was expected
    const expected = await wh.rows(`select * from expected_usage where usage_date >= '2024-03-03'`);
    expect(expected.filter((r) => r.billing_resource_id === ACCOUNT)).toEqual([]);
  });

  it('treats an account as observed between its first and last observation, shares or not', async () => {
    for (const observedAt of ['2024-03-01 08:00:00', '2024-03-03 08:00:00']) {
      await insertRows(wh, 'storage_account_observation', [
        {
          observed_at: observedAt,
          storage_account_id: ACCOUNT,
          sku_name: 'PremiumV2_LRS',
          billing_model: 'v2',
          media_tier: 'ssd',
          redundancy: 'lrs',
          source_file: 'accounts.json',
        },
      ]);
    }
    await recompute(wh);
    expect(await coverage(wh)).toEqual([
      ['2024-03-01', '57600', false],
      ['2024-03-02', '86400', true],
      ['2024-03-03', '28800', false],
    ]);
  });

  it('has no row for a resource or day nothing observed', async () => {
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('a'),
      from: '2024-03-05 00:00:00',
      to: '2024-03-06 00:00:00',
    });
    await recompute(wh, { month: '2024-03' });
    expect(await coverage(wh)).toEqual([['2024-03-05', '86400', true]]);
    expect(
      await coverage(wh, '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/x'),
    ).toEqual([]);
  });
});

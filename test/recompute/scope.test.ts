// Scope handling: re-running replaces the slice in scope and leaves the rest alone; prefixes are case-insensitive;
// bad scopes and intervals the integral would get wrong are refused with InputError naming the input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { recompute } from '../../src/recompute/index.ts';
import { resolveScope } from '../../src/recompute/scope.ts';
import { ACCOUNT, GIB, insertShareInterval, shareId } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const OTHER = '/subscriptions/s2/resourcegroups/rg/providers/microsoft.storage/storageaccounts/other';

async function monthTotals(wh: Warehouse): Promise<string[][]> {
  const rows = await wh.rows<{ id: string; month: string; quantity: string; days: number }>(
    `select billing_resource_id as id, billing_month as month, quantity, day_count as days from expected_usage_month
     where meter = 'v2.provisioned_storage' order by 1, 2`,
  );
  return rows.map((r) => [r.id === ACCOUNT ? 'acct1' : 'other', r.month, r.quantity, String(r.days)]);
}

const v2 = { model: 'v2' as const, iops: 3000, mibps: 100, usedBytes: 0, snapshotBytes: 0 };

describe('recompute scope', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    // 100 GiB from 30 Jan to 3 Feb 2024 in two accounts
    for (const share of [shareId('a'), shareId('b', OTHER)]) {
      await insertShareInterval(wh, { ...v2, share, gib: 100, from: '2024-01-30 00:00:00', to: '2024-02-03 00:00:00' });
    }
  });
  afterEach(() => {
    wh.close();
  });

  it('replaces, never appends, when run twice', async () => {
    const first = await recompute(wh);
    const second = await recompute(wh);
    expect(second).toEqual(first);
    expect(first).toEqual({ expectedRows: 24, resources: 2, months: ['2024-01', '2024-02'] });
    expect(await monthTotals(wh)).toEqual([
      ['acct1', '2024-01', '4800.00000000000000000000', '2'],
      ['acct1', '2024-02', '4800.00000000000000000000', '2'],
      ['other', '2024-01', '4800.00000000000000000000', '2'],
      ['other', '2024-02', '4800.00000000000000000000', '2'],
    ]);
  });

  it('rebuilds only the month and resources in scope (prefix case-insensitive)', async () => {
    await recompute(wh);
    // the inventory changes for both accounts, but only acct1 in February is recomputed
    await wh.run(`update share_interval set provisioned_gib = 200`);
    const report = await recompute(wh, { month: '2024-02', resourcePrefixes: [ACCOUNT.toUpperCase()] });
    expect(report).toEqual({ expectedRows: 6, resources: 1, months: ['2024-02'] });
    expect(await monthTotals(wh)).toEqual([
      ['acct1', '2024-01', '4800.00000000000000000000', '2'],
      ['acct1', '2024-02', '9600.00000000000000000000', '2'],
      ['other', '2024-01', '4800.00000000000000000000', '2'],
      ['other', '2024-02', '4800.00000000000000000000', '2'],
    ]);
  });

  it('limits to from/to days inclusive, and the month roll-up sums the days present', async () => {
    const report = await recompute(wh, { from: '2024-01-31', to: '2024-02-01' });
    expect(report).toEqual({ expectedRows: 12, resources: 2, months: ['2024-01', '2024-02'] });
    expect((await monthTotals(wh)).map((r) => r[3])).toEqual(['1', '1', '1', '1']);
  });

  it('deletes rows for a share that disappeared from the inventory', async () => {
    await recompute(wh);
    await wh.run(`delete from share_interval where billing_resource_id = $id`, { id: OTHER });
    await recompute(wh);
    expect((await monthTotals(wh)).map((r) => r[0])).toEqual(['acct1', 'acct1']);
  });

  it('cuts an open interval where the inventory stops vouching for it', async () => {
    await wh.run('delete from share_interval');
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('open'),
      gib: 10,
      from: '2024-01-30 00:00:00',
      to: null,
      coveredTo: '2024-01-31 00:00:00',
    });
    await recompute(wh);
    const covered = await wh.rows<{ quantity: string; is_open_ended: boolean }>(
      `select quantity, is_open_ended from expected_usage_month where meter = 'v2.provisioned_storage'`,
    );
    expect(covered).toEqual([{ quantity: '240.00000000000000000000', is_open_ended: true }]);
    // an explicit horizon overrides covered_to
    await recompute(wh, { horizon: '2024-01-31 06:00:00' });
    const cut = await wh.rows<{ quantity: string; is_open_ended: boolean; horizon: string }>(
      `select quantity, is_open_ended, horizon from expected_share_usage
       where meter = 'v2.provisioned_storage' and usage_date = '2024-01-31'`,
    );
    expect(cut).toEqual([{ quantity: '60.00000000000000000000', is_open_ended: true, horizon: '2024-01-31 06:00:00' }]);
  });

  it('refuses overlapping or sub-second intervals, naming the file and line', async () => {
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('a'),
      gib: 100,
      from: '2024-02-02 00:00:00',
      to: '2024-02-05 00:00:00',
      sourceLine: 17,
    });
    await expect(recompute(wh)).rejects.toThrow(InputError);
    await expect(recompute(wh)).rejects.toThrow(/share_state\.csv:17: share interval .*shares\/a@2024-02-02.*overlaps/);
    await wh.run(`delete from share_interval where source_line = 17`);
    await insertShareInterval(wh, {
      ...v2,
      share: shareId('c'),
      gib: 100,
      usedBytes: GIB,
      from: '2024-02-02 00:00:00.250',
      to: '2024-02-05 00:00:00',
      sourceLine: 18,
    });
    await expect(recompute(wh)).rejects.toThrow(/share_state\.csv:18: .*fraction of a second/);
    // out of scope: not audited, not recomputed
    await expect(recompute(wh, { resourcePrefixes: [OTHER] })).resolves.toMatchObject({ resources: 1 });
  });

  it('validates the scope before touching the warehouse', () => {
    expect(() => resolveScope({ month: '2024-13' })).toThrow(InputError);
    expect(() => resolveScope({ from: '2024-02-30' })).toThrow(/calendar date/);
    expect(() => resolveScope({ from: '2024-02-02', to: '2024-02-01' })).toThrow(
      /from 2024-02-02 is after to 2024-02-01/,
    );
    expect(() => resolveScope({ month: '2024-01', from: '2024-02-01' })).toThrow(/selects no day/);
    expect(() => resolveScope({ resourcePrefixes: [' '] })).toThrow(/empty resource prefix/);
    expect(resolveScope({ month: '2024-02', from: '2024-02-10', resourcePrefixes: ['/A', '/a'] })).toEqual({
      windowFrom: '2024-02-10 00:00:00',
      windowTo: '2024-03-01 00:00:00',
      prefixes: ['/a'],
      horizon: null,
    });
    expect(resolveScope({ month: '2024-12', to: '2024-12-31' }).windowTo).toBe('2025-01-01 00:00:00');
  });
});

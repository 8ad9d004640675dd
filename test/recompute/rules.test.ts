// One test per billing rule of spec/billing-rules.md as recompute implements it (sql/recompute/recompute_meter_rate.sql):
// which meter each state bills, on which figure, summed to which billed resource; unknown inputs flagged, not zeroed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { expectedHourly, recompute, RECOMPUTE_RULES } from '../../src/recompute/index.ts';
import { ACCOUNT, GIB, insertShareInterval, insertTransactions, shareId } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

interface UsageRow {
  meter: string;
  usage_date: string;
  quantity: string;
  source_count: number;
  is_complete: boolean;
  unknown_seconds: string;
}

async function usage(wh: Warehouse, billingResourceId = ACCOUNT): Promise<UsageRow[]> {
  return wh.rows<UsageRow & Record<string, unknown>>(
    `select meter, usage_date, quantity, source_count, is_complete, unknown_seconds from expected_usage
     where billing_resource_id = $id order by meter, usage_date`,
    { id: billingResourceId },
  );
}
const pick = (rows: UsageRow[], meter: string) =>
  rows.filter((r) => r.meter === meter).map((r) => [r.usage_date, r.quantity]);

describe('recompute rules', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  it('v2: bills provisioned storage, IOPS, throughput and the snapshot overflow while live', async () => {
    // 900 GiB used + 200 GiB snapshot differential in 1,024 GiB provisioned: 76 GiB overflow
    await insertShareInterval(wh, {
      share: shareId('a'),
      model: 'v2',
      from: '2024-01-10 00:00:00',
      to: '2024-01-11 00:00:00',
      gib: 1024,
      iops: 4024,
      mibps: 203,
      usedBytes: 900n * GIB,
      snapshotBytes: 200n * GIB,
    });
    await recompute(wh);
    const rows = await usage(wh);
    expect(rows.map((r) => [r.meter, r.quantity])).toEqual([
      ['v2.overflow_snapshot', '1824.00000000000000000000'],
      ['v2.provisioned_iops', '96576.00000000000000000000'],
      ['v2.provisioned_storage', '24576.00000000000000000000'],
      ['v2.provisioned_throughput', '4872.00000000000000000000'],
    ]);
  });

  it('v2: a deleted share bills only its used GiB on Soft-Deleted Usage, and nothing after the purge', async () => {
    const common = { share: shareId('a'), model: 'v2' as const, gib: 1024, iops: 4024, mibps: 203, snapshotBytes: 0 };
    await insertShareInterval(wh, {
      ...common,
      from: '2024-03-01 00:00:00',
      to: '2024-03-01 10:00:00',
      usedBytes: 100n * GIB,
    });
    // deleted at 10:00, purged 30 hours later at 16:00 the next day
    await insertShareInterval(wh, {
      ...common,
      state: 'soft_deleted',
      from: '2024-03-01 10:00:00',
      to: '2024-03-02 16:00:00',
      usedBytes: 100n * GIB,
    });
    await recompute(wh);
    const rows = await usage(wh);
    expect(pick(rows, 'v2.provisioned_storage')).toEqual([['2024-03-01', '10240.00000000000000000000']]);
    expect(pick(rows, 'v2.provisioned_iops')).toEqual([['2024-03-01', '40240.00000000000000000000']]);
    expect(pick(rows, 'v2.soft_deleted')).toEqual([
      ['2024-03-01', '1400.00000000000000000000'],
      ['2024-03-02', '1600.00000000000000000000'],
    ]);
    expect(rows.filter((r) => r.usage_date > '2024-03-02')).toEqual([]);
  });

  it('v1: bills MAX(provisioned, used) while live, and snapshot differential plus soft-deleted used on Premium Snapshots', async () => {
    // 31-day month: one day of a GiB is 1/31 GiB-month
    await insertShareInterval(wh, {
      share: shareId('a'),
      model: 'v1',
      from: '2024-01-05 00:00:00',
      to: '2024-01-06 00:00:00',
      gib: 100,
      usedBytes: 124n * GIB, // shrunk below its used size: billed for 124 GiB
      snapshotBytes: 31n * GIB,
    });
    await insertShareInterval(wh, {
      share: shareId('a'),
      model: 'v1',
      state: 'soft_deleted',
      from: '2024-01-06 00:00:00',
      to: '2024-01-07 00:00:00',
      gib: 100,
      usedBytes: 62n * GIB,
      snapshotBytes: 31n * GIB, // not billed while soft-deleted: only the used capacity is
    });
    await recompute(wh);
    const rows = await usage(wh);
    expect(pick(rows, 'v1.provisioned')).toEqual([['2024-01-05', '4.00000000000000000000']]);
    expect(pick(rows, 'v1.snapshots')).toEqual([
      ['2024-01-05', '1.00000000000000000000'],
      ['2024-01-06', '2.00000000000000000000'],
    ]);
  });

  it('pay-as-you-go: data stored = used + snapshot differential; metadata only in the hot and cool tiers', async () => {
    const day = { from: '2024-01-05 00:00:00', to: '2024-01-06 00:00:00', model: 'payg' as const };
    await insertShareInterval(wh, {
      ...day,
      share: shareId('hot'),
      accessTier: 'hot',
      usedBytes: 31n * GIB,
      snapshotBytes: 31n * GIB,
      metadataBytes: 31n * GIB,
    });
    await insertShareInterval(wh, {
      ...day,
      share: shareId('cool'),
      accessTier: 'cool',
      usedBytes: 0,
      snapshotBytes: 0,
      metadataBytes: 62n * GIB,
    });
    await insertShareInterval(wh, {
      ...day,
      share: shareId('txopt'),
      accessTier: 'transaction_optimized',
      usedBytes: 93n * GIB,
      snapshotBytes: 0,
      metadataBytes: 310n * GIB,
    });
    await recompute(wh);
    const rows = await usage(wh);
    expect(rows.map((r) => [r.meter, r.quantity, r.source_count])).toEqual([
      ['payg.data_stored', '5.00000000000000000000', 2], // (62 + 93) / 31; the cool share stores nothing
      ['payg.metadata', '3.00000000000000000000', 2], // (31 + 62) / 31; transaction optimized bills no metadata
    ]);
  });

  it('pay-as-you-go: transactions in buckets of 10,000 per day, deletes on the transaction-optimized delete meter', async () => {
    const account = ACCOUNT;
    await insertShareInterval(wh, {
      share: shareId('to'),
      model: 'payg',
      accessTier: 'transaction_optimized',
      from: '2024-01-01 00:00:00',
      to: '2024-02-01 00:00:00',
      usedBytes: 0,
      snapshotBytes: 0,
    });
    await insertTransactions(wh, {
      account,
      hour: '2024-01-05 00:00:00',
      apiName: 'PutRange',
      bucket: 'write',
      count: 12_345,
    });
    await insertTransactions(wh, {
      account,
      hour: '2024-01-05 23:00:00',
      apiName: 'CreateFile',
      bucket: 'write',
      count: 7_655,
    });
    await insertTransactions(wh, {
      account,
      hour: '2024-01-05 13:00:00',
      apiName: 'ListFiles',
      bucket: 'list',
      count: 3,
    });
    await insertTransactions(wh, {
      account,
      hour: '2024-01-05 13:00:00',
      apiName: 'Read',
      bucket: 'read',
      count: 10_000,
    });
    await insertTransactions(wh, { account, hour: '2024-01-05 13:00:00', apiName: 'Close', bucket: 'other', count: 1 });
    await insertTransactions(wh, {
      account,
      hour: '2024-01-05 13:00:00',
      apiName: 'DeleteFile',
      bucket: 'delete',
      count: 99,
    });
    await recompute(wh);
    expect((await usage(wh)).filter((r) => r.usage_date === '2024-01-05').map((r) => [r.meter, r.quantity])).toEqual([
      ['payg.delete_ops', '0.00990000000000000000'],
      ['payg.list_ops', '0.00030000000000000000'],
      ['payg.other_ops', '0.00010000000000000000'],
      ['payg.read_ops', '1.00000000000000000000'],
      ['payg.write_ops', '2.00000000000000000000'],
    ]);
    const hours = await expectedHourly(wh, account, '2024-01-05', '2024-01-05');
    expect(hours.filter((h) => h.meter === 'payg.write_ops').map((h) => [h.usageHour, h.quantity])).toEqual([
      ['2024-01-05 00:00:00', '1.23450000000000000000'],
      ['2024-01-05 23:00:00', '0.76550000000000000000'],
    ]);
  });

  it('pay-as-you-go deletes: nothing expected on an account of hot and cool shares, unknown when tiers are mixed', async () => {
    const hotCool = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/hotcool';
    const mixed = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/mixed';
    const share = (account: string, name: string) => `${account}/fileservices/default/shares/${name}`;
    const payg = {
      model: 'payg' as const,
      from: '2024-01-01 00:00:00',
      to: '2024-02-01 00:00:00',
      usedBytes: 0,
      snapshotBytes: 0,
      metadataBytes: 0,
    };
    await insertShareInterval(wh, { ...payg, share: share(hotCool, 'h'), accessTier: 'hot' });
    await insertShareInterval(wh, { ...payg, share: share(hotCool, 'c'), accessTier: 'cool' });
    await insertShareInterval(wh, { ...payg, share: share(mixed, 'h'), accessTier: 'hot' });
    await insertShareInterval(wh, { ...payg, share: share(mixed, 't'), accessTier: 'transaction_optimized' });
    for (const account of [hotCool, mixed]) {
      await insertTransactions(wh, {
        account,
        hour: '2024-01-05 13:00:00',
        apiName: 'DeleteFile',
        bucket: 'delete',
        count: 99,
      });
    }
    await recompute(wh);
    expect((await usage(wh, hotCool)).filter((r) => r.meter === 'payg.delete_ops')).toEqual([]);
    expect(
      (await usage(wh, mixed))
        .filter((r) => r.meter === 'payg.delete_ops')
        .map((r) => [r.usage_date, r.quantity, r.is_complete, r.unknown_seconds]),
    ).toEqual([['2024-01-05', '0.00000000000000000000', false, '3600']]);
  });

  it('bills a Microsoft.FileShares share on its own id and sums classic shares to their account', async () => {
    const fileShare = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.fileshares/fileshares/fs1';
    const base = {
      model: 'v2' as const,
      from: '2024-01-05 00:00:00',
      to: '2024-01-05 01:00:00',
      iops: 3000,
      mibps: 100,
    };
    await insertShareInterval(wh, { ...base, share: fileShare, gib: 32, usedBytes: 0, snapshotBytes: 0 });
    await insertShareInterval(wh, { ...base, share: shareId('a'), gib: 100, usedBytes: 0, snapshotBytes: 0 });
    await insertShareInterval(wh, { ...base, share: shareId('b'), gib: 200, usedBytes: 0, snapshotBytes: 0 });
    await recompute(wh);
    expect(pick(await usage(wh, fileShare), 'v2.provisioned_storage')).toEqual([
      ['2024-01-05', '32.00000000000000000000'],
    ]);
    const account = (await usage(wh)).find((r) => r.meter === 'v2.provisioned_storage');
    expect([account?.quantity, account?.source_count]).toEqual(['300.00000000000000000000', 2]);
  });

  it('splits a change in the middle of an hour to the second', async () => {
    // 100 GiB until 10:30:15, then 200 GiB: hour 10 = 100 × 1815/3600 + 200 × 1785/3600 = 149.58333…
    const base = { share: shareId('a'), model: 'v2' as const, iops: 3000, mibps: 100, usedBytes: 0, snapshotBytes: 0 };
    await insertShareInterval(wh, { ...base, gib: 100, from: '2024-01-05 10:00:00', to: '2024-01-05 10:30:15' });
    await insertShareInterval(wh, { ...base, gib: 200, from: '2024-01-05 10:30:15', to: '2024-01-05 12:00:00' });
    await recompute(wh);
    const hours = (await expectedHourly(wh, ACCOUNT, '2024-01-05', '2024-01-05')).filter(
      (h) => h.meter === 'v2.provisioned_storage',
    );
    expect(hours.map((h) => [h.usageHour, h.quantity, h.intervalIds.length])).toEqual([
      ['2024-01-05 10:00:00', '149.58333333333333333333', 2],
      ['2024-01-05 11:00:00', '200.00000000000000000000', 1],
    ]);
    expect(pick(await usage(wh), 'v2.provisioned_storage')).toEqual([['2024-01-05', '349.58333333333333333333']]);
  });

  it('never turns an unknown size into a silent zero: the row says how many seconds were unknown', async () => {
    await insertShareInterval(wh, {
      share: shareId('a'),
      model: 'v1',
      from: '2024-01-05 00:00:00',
      to: '2024-01-05 06:00:00',
      gib: 124,
      usedBytes: null, // MAX(provisioned, used) cannot be known: 124 GiB is a lower bound
      snapshotBytes: 0,
    });
    await recompute(wh);
    const row = (await usage(wh)).find((r) => r.meter === 'v1.provisioned');
    expect(row).toMatchObject({ quantity: '1.00000000000000000000', is_complete: false, unknown_seconds: '21600' });
  });

  it('does not recompute retrieval or geo-replication: no canonical input carries them', async () => {
    expect(RECOMPUTE_RULES['payg.data_retrieval']).toBeNull();
    expect(RECOMPUTE_RULES['payg.geo_replication']).toBeNull();
    await insertShareInterval(wh, {
      share: shareId('a'),
      model: 'payg',
      accessTier: 'cool',
      from: '2024-01-05 00:00:00',
      to: '2024-01-06 00:00:00',
      usedBytes: GIB,
      snapshotBytes: 0,
      metadataBytes: 0,
    });
    await recompute(wh);
    expect((await usage(wh)).map((r) => r.meter)).toEqual(['payg.data_stored']);
  });
});

// Each real Azure JSON shape parses, and gives exactly the intervals of the equivalent canonical CSV
// (test/fixtures/inventory/<shape>/ vs canonical/<shape>.*.csv).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestInventory } from '../../src/inventory/index.ts';
import { FIXTURES, SUB, shareIntervals, snapshotIntervals, timeline } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

async function intervalsOf(input: string, which: 'share' | 'snapshot'): Promise<Record<string, unknown>[]> {
  const wh = await openTestWarehouse();
  try {
    await ingestInventory(wh, [input]);
    return which === 'share' ? await shareIntervals(wh) : await snapshotIntervals(wh);
  } finally {
    wh.close();
  }
}

describe('Azure JSON shapes', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  it('az storage account list + share-rm list (flattened) + file-service-properties, two nights', async () => {
    const report = await ingestInventory(wh, [join(FIXTURES, 'az-cli')]);
    expect(report).toEqual({
      files: 6,
      recordsRead: 9,
      recordsIngested: 9,
      recordsQuarantined: 0,
      accounts: 2,
      shares: 4,
      snapshots: 0,
      shareIntervals: 4,
      snapshotIntervals: 0,
      heldLastState: null,
    });
    const account = `${SUB}/providers/microsoft.storage/storageaccounts/sav2ssd`;
    expect(
      await wh.rows(
        `select observed_at, storage_account_id, sku_name, kind, location, billing_model, media_tier, redundancy,
                share_delete_retention_days
         from storage_account_observation order by observed_at`,
      ),
    ).toEqual([
      {
        observed_at: '2024-03-01 00:00:00',
        storage_account_id: account,
        sku_name: 'PremiumV2_LRS',
        kind: 'FileStorage',
        location: 'westeurope',
        billing_model: 'v2',
        media_tier: 'ssd',
        redundancy: 'lrs',
        share_delete_retention_days: 7,
      },
      expect.objectContaining({ observed_at: '2024-03-02 00:00:00', share_delete_retention_days: 7 }),
    ]);
    // the deleted share's versioned id (…/shares/scratch_01DA…) joins the live share's history
    expect(
      await wh.rows(
        `select share_resource_id, source_kind, is_deleted, deleted_at, retention_days, next_quota_downgrade_at
         from share_observation order by share_resource_id, observed_at`,
      ),
    ).toEqual([
      {
        share_resource_id: `${account}/fileservices/default/shares/finance`,
        source_kind: 'az_share_rm',
        is_deleted: false,
        deleted_at: null,
        retention_days: null,
        next_quota_downgrade_at: '2024-02-21 09:15:00',
      },
      {
        share_resource_id: `${account}/fileservices/default/shares/finance`,
        source_kind: 'az_share_rm',
        is_deleted: false,
        deleted_at: null,
        retention_days: null,
        next_quota_downgrade_at: '2024-03-02 18:00:00',
      },
      {
        share_resource_id: `${account}/fileservices/default/shares/scratch`,
        source_kind: 'az_share_rm',
        is_deleted: false,
        deleted_at: null,
        retention_days: null,
        next_quota_downgrade_at: null,
      },
      {
        share_resource_id: `${account}/fileservices/default/shares/scratch`,
        source_kind: 'az_share_rm',
        is_deleted: true,
        deleted_at: '2024-03-01 12:00:00',
        retention_days: 7,
        next_quota_downgrade_at: null,
      },
    ]);
    // the --include-snapshot entry is a share snapshot, not a second state of the share
    expect(await wh.rows('select share_resource_id, snapshot_time from share_snapshot_observation')).toEqual([
      { share_resource_id: `${account}/fileservices/default/shares/scratch`, snapshot_time: '2024-02-28 23:00:00' },
    ]);
    expect(await timeline(wh, `${account}/fileservices/default/shares/scratch`)).toEqual([
      {
        state: 'live',
        valid_from: '2024-03-01 00:00:00',
        valid_to: '2024-03-01 12:00:00',
        covered_to: '2024-03-01 12:00:00',
        ends_by: 'next_observation',
        provisioned_gib: '100',
      },
      {
        state: 'soft_deleted',
        valid_from: '2024-03-01 12:00:00',
        valid_to: '2024-03-08 12:00:00',
        covered_to: '2024-03-08 12:00:00',
        ends_by: 'purge',
        provisioned_gib: '100',
      },
    ]);
    // v2 share without provisioned IOPS / throughput: Azure's recommended defaults for 100 GiB SSD
    expect(
      await wh.rows(
        `select provisioned_iops, provisioned_mibps, is_iops_default, is_mibps_default from share_interval
         where share_resource_id like '%/scratch' order by valid_from limit 1`,
      ),
    ).toEqual([{ provisioned_iops: '3100', provisioned_mibps: '110', is_iops_default: true, is_mibps_default: true }]);
  });

  it('az CLI JSON gives the same share intervals as the equivalent share_state.csv', async () => {
    const fromJson = await intervalsOf(join(FIXTURES, 'az-cli'), 'share');
    const fromCsv = await intervalsOf(join(FIXTURES, 'canonical', 'az-cli.share_state.csv'), 'share');
    expect(fromJson).toHaveLength(4);
    expect(fromJson).toEqual(fromCsv);
  });

  it('ARM REST bodies (nested properties, value[] wrapper with observedAt, RFC-1123 dates) parse and merge list + stats', async () => {
    const report = await ingestInventory(wh, [join(FIXTURES, 'arm-rest')]);
    expect(report).toMatchObject({ files: 4, recordsRead: 7, recordsQuarantined: 0, accounts: 2, shares: 4 });
    expect(
      await wh.rows(
        `select sku_name, billing_model, media_tier, redundancy from storage_account_observation order by sku_name`,
      ),
    ).toEqual([
      { sku_name: 'Premium_ZRS', billing_model: 'v1', media_tier: 'ssd', redundancy: 'zrs' },
      // RA-GRS: Azure Files bills the account's shares as GRS
      { sku_name: 'Standard_RAGRS', billing_model: 'payg', media_tier: 'hdd', redundancy: 'grs' },
    ]);
    // shares-list.json has no usage; the single GET ?$expand=stats in 2024-03-01T06-00Z/ adds it
    expect(
      await wh.rows(
        `select source_kind, access_tier, provisioned_gib, used_bytes, next_quota_downgrade_at from share_observation
         where share_resource_id like '%/ledger' order by observed_at`,
      ),
    ).toEqual([
      {
        source_kind: 'arm_share',
        access_tier: 'premium',
        provisioned_gib: '512',
        used_bytes: '322122547200',
        next_quota_downgrade_at: '2024-02-02 10:00:00',
      },
      {
        source_kind: 'arm_share',
        access_tier: 'premium',
        provisioned_gib: '1024',
        used_bytes: '322122547200',
        next_quota_downgrade_at: null,
      },
    ]);
    const fromCsv = await intervalsOf(join(FIXTURES, 'canonical', 'arm-rest.share_state.csv'), 'share');
    expect(await shareIntervals(wh)).toEqual(fromCsv);
  });

  it('Microsoft.FileShares items are billed per share, v2 SSD, with their own property names', async () => {
    const report = await ingestInventory(wh, [join(FIXTURES, 'fileshares')]);
    expect(report).toMatchObject({ files: 2, recordsRead: 3, recordsQuarantined: 0, shares: 3, shareIntervals: 3 });
    const analytics = `${SUB}/providers/microsoft.fileshares/fileshares/analytics`;
    expect(
      await wh.rows(
        `select billing_resource_id, resource_kind, billing_model, media_tier, redundancy, protocol, provisioned_gib,
                provisioned_iops, provisioned_mibps, is_mibps_default, valid_to
         from share_interval where share_resource_id = $id order by valid_from`,
        { id: analytics },
      ),
    ).toEqual([
      {
        billing_resource_id: analytics,
        resource_kind: 'fileshares',
        billing_model: 'v2',
        media_tier: 'ssd',
        redundancy: 'lrs',
        protocol: 'nfs',
        provisioned_gib: '2048',
        provisioned_iops: '6000',
        provisioned_mibps: '305', // recommended: 100 + ceil(2048 × 0.1)
        is_mibps_default: true,
        valid_to: '2024-03-02 00:00:00',
      },
      expect.objectContaining({ provisioned_mibps: '300', is_mibps_default: false, valid_to: null }),
    ]);
    expect(
      await wh.rows(
        `select next_quota_downgrade_at, next_iops_downgrade_at from share_observation
         where share_resource_id like '%/analytics' order by observed_at limit 1`,
      ),
    ).toEqual([{ next_quota_downgrade_at: '2024-03-01 12:00:00', next_iops_downgrade_at: '2024-03-01 12:00:00' }]);
    const fromCsv = await intervalsOf(join(FIXTURES, 'canonical', 'fileshares.share_state.csv'), 'share');
    expect(await shareIntervals(wh)).toEqual(fromCsv);
  });

  it('az snapshot list: incremental snapshots, SKU → redundancy, same intervals as disk_snapshot.csv', async () => {
    const report = await ingestInventory(wh, [join(FIXTURES, 'disk-snapshots')]);
    expect(report).toMatchObject({ files: 2, recordsRead: 3, recordsQuarantined: 0, snapshots: 3 });
    expect(
      await wh.rows(
        `select snapshot_resource_id, source_disk_id, redundancy, used_bytes, disk_size_bytes, created_at, source_kind
         from disk_snapshot_observation order by snapshot_resource_id, observed_at limit 1`,
      ),
    ).toEqual([
      {
        snapshot_resource_id: `${SUB}/providers/microsoft.compute/snapshots/vm1-osdisk-20240229`,
        source_disk_id: `${SUB}/providers/microsoft.compute/disks/vm1-osdisk`,
        redundancy: 'zrs',
        used_bytes: null, // ARM has no used size; diskSizeBytes is the source disk's
        disk_size_bytes: '136367308800',
        created_at: '2024-02-29 22:00:00',
        source_kind: 'az_snapshot',
      },
    ]);
    expect(
      await wh.rows('select valid_from, valid_to, covered_to, ends_by from disk_snapshot_interval order by 1, 2'),
    ).toEqual([
      // the first observation holds from creation
      {
        valid_from: '2024-02-29 22:00:00',
        valid_to: '2024-03-02 00:00:00',
        covered_to: '2024-03-02 00:00:00',
        ends_by: 'next_observation',
      },
      { valid_from: '2024-03-01 22:00:00', valid_to: null, covered_to: '2024-03-03 00:00:00', ends_by: null },
      { valid_from: '2024-03-02 00:00:00', valid_to: null, covered_to: '2024-03-03 00:00:00', ends_by: null },
    ]);
    // disk_size_bytes is ARM-only context (the source disk's size), not part of disk_snapshot.csv
    const withoutDiskSize = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
      rows.map(({ disk_size_bytes: _ignored, ...rest }) => rest);
    const fromCsv = await intervalsOf(join(FIXTURES, 'canonical', 'disk-snapshots.disk_snapshot.csv'), 'snapshot');
    expect(withoutDiskSize(await snapshotIntervals(wh))).toEqual(withoutDiskSize(fromCsv));
  });
});

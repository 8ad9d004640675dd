// The done-when fixture of issue 12: one day of a month billed with REAL meter names (data/azure-retail-meters)
// for every model, media, redundancy and tier — v2 SSD with its '… Free' companions, v2 HDD GRS, v1 ZRS, a
// pay-as-you-go account with hot, cool and transaction-optimized shares (legacy 'Files' subcategory beside
// 'Files v2', the untiered 'LRS Metadata', 'Hot Read Operations' without redundancy), a transaction-optimized GRS
// account with bare 'Read Operations' and the 0-priced 'Delete Operations', an incremental disk snapshot with its
// 'Disk Operations' line, v1 paid bursting, and a 'Premium Page Blob' snapshot on a blob account. Expected usage is
// recomputed from the inventory. Nothing wrong → zero findings; each planted discrepancy → its kind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';
import { billAndDiff, findings, insertDelivery, insertLine } from '../diff/helpers.ts';
import { insertShareIntervals, insertSnapshotIntervals, insertTransactionCounts } from '../helpers/builders.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const SUB = '/subscriptions/6c1f0d5e-8b2a-4f3e-9d7c-1a2b3c4d5e6f/resourcegroups/personal-network/providers';
const account = (name: string) => `${SUB}/microsoft.storage/storageaccounts/${name}`;
const V2_SSD = account('stv2ssdprod');
const V2_HDD = account('stv2hddgrs');
const V1 = account('jpfbackupstorage');
const PAYG = account('backupstorage32f3');
const PAYG_TO = account('personalsiteapistorage');
const BLOB = account('stblobdata');
const SNAPSHOT = `${SUB}/microsoft.compute/snapshots/ubuntu-backup-server-spot_osdisk_snapshot_20030915`;
const GIB = 1_073_741_824n;
const DAY = '2026-10-10';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
});
afterEach(() => {
  wh.close();
});

interface Share {
  billing: string;
  name: string;
  model: 'v1' | 'v2' | 'payg';
  media: 'ssd' | 'hdd';
  redundancy: string;
  tier?: string;
  gib?: number;
  iops?: number;
  mibps?: number;
  usedGib: bigint;
  snapshotGib?: bigint;
  metadataGib?: bigint;
}

async function share(s: Share): Promise<void> {
  const shareId = `${s.billing}/fileservices/default/shares/${s.name}`;
  await insertShareIntervals(wh, [
    {
      share_resource_id: shareId,
      billing_resource_id: s.billing,
      resource_kind: 'classic',
      state: 'live',
      valid_from: '2026-10-01',
      valid_to: '2026-11-01',
      billing_model: s.model,
      media_tier: s.media,
      redundancy: s.redundancy,
      protocol: 'smb',
      access_tier: s.tier ?? null,
      provisioned_gib: s.gib ?? null,
      provisioned_iops: s.iops ?? null,
      provisioned_mibps: s.mibps ?? null,
      used_bytes: String(s.usedGib * GIB),
      snapshot_differential_bytes: String((s.snapshotGib ?? 0n) * GIB),
      metadata_bytes: String((s.metadataGib ?? 0n) * GIB),
      observed_at: '2026-10-01',
      source_file: 'share_state.csv',
      source_line: 2,
      covered_to: '2026-11-01',
    },
  ]);
}

async function transactions(billing: string, counts: [string, string, number][]): Promise<void> {
  for (const [apiName, bucket, count] of counts) {
    await insertTransactionCounts(wh, [
      {
        usage_hour: '2026-10-10 13:00:00',
        billing_resource_id: billing,
        api_name: apiName,
        bucket,
        transaction_count: String(count),
        source_file: 'transactions.csv',
        source_line: 2,
      },
    ]);
  }
}

async function inventory(): Promise<void> {
  // v2 SSD LRS: 1,024 GiB, 4,024 IOPS, 203 MiB/s; 900 GiB used, no overflow
  await share({
    billing: V2_SSD,
    name: 'engineering',
    model: 'v2',
    media: 'ssd',
    redundancy: 'lrs',
    gib: 1024,
    iops: 4024,
    mibps: 203,
    usedGib: 900n,
  });
  // v2 HDD GRS: 2,048 GiB, 1,500 IOPS, 100 MiB/s
  await share({
    billing: V2_HDD,
    name: 'archive',
    model: 'v2',
    media: 'hdd',
    redundancy: 'grs',
    gib: 2048,
    iops: 1500,
    mibps: 100,
    usedGib: 1000n,
  });
  // v1 ZRS: 1,024 GiB provisioned, 500 used, 31 GiB snapshot differential
  await share({
    billing: V1,
    name: 'backups',
    model: 'v1',
    media: 'ssd',
    redundancy: 'zrs',
    gib: 1024,
    usedGib: 500n,
    snapshotGib: 31n,
  });
  // pay-as-you-go LRS: hot, cool and transaction-optimized shares in one account
  await share({
    billing: PAYG,
    name: 'hotdata',
    model: 'payg',
    media: 'hdd',
    redundancy: 'lrs',
    tier: 'hot',
    usedGib: 310n,
    metadataGib: 31n,
  });
  await share({
    billing: PAYG,
    name: 'coolarchive',
    model: 'payg',
    media: 'hdd',
    redundancy: 'lrs',
    tier: 'cool',
    usedGib: 620n,
    metadataGib: 62n,
  });
  await share({
    billing: PAYG,
    name: 'scratch',
    model: 'payg',
    media: 'hdd',
    redundancy: 'lrs',
    tier: 'transaction_optimized',
    usedGib: 93n,
  });
  await transactions(PAYG, [
    ['PutRange', 'write', 20_000],
    ['Read', 'read', 10_000],
    ['ListFiles', 'list', 30_000],
    ['Close', 'other', 10_000],
  ]);
  // pay-as-you-go GRS, transaction optimized only: deletes are billed on Delete Operations
  await share({
    billing: PAYG_TO,
    name: 'site',
    model: 'payg',
    media: 'hdd',
    redundancy: 'grs',
    tier: 'transaction_optimized',
    usedGib: 31n,
  });
  await transactions(PAYG_TO, [
    ['CreateFile', 'write', 10_000],
    ['GetFile', 'read', 10_000],
    ['ListShares', 'list', 10_000],
    ['Negotiate', 'other', 20_000],
    ['DeleteFile', 'delete', 5_000],
  ]);
  // an incremental snapshot: 31 GiB used, LRS
  await insertSnapshotIntervals(wh, [
    {
      snapshot_interval_id: `${SNAPSHOT}@2026-10-01`,
      snapshot_resource_id: SNAPSHOT,
      source_disk_id: null,
      redundancy: 'lrs',
      used_bytes: String(31n * GIB),
      valid_from: '2026-10-01',
      valid_to: '2026-11-01',
      observed_at: '2026-10-01',
      source_file: 'disk_snapshot.csv',
      source_line: 2,
      covered_to: '2026-11-01',
    },
  ]);
  await recompute(wh, { from: DAY, to: DAY });
}

// [resource, subcategory, meter name, unit, quantity, price]
type Line = [string, string, string, string, string, string];
const BLOCK: Record<string, [string, string]> = {
  '1 GiB/Hour': ['1', 'GiB/Hour'],
  '1/Hour': ['1', 'Units/Hour'],
  '1 GB/Month': ['1', 'GB/Month'],
  '10K': ['10000', 'Units'],
  '1M': ['1000000', 'Units'],
};
const V2 = 'Azure Files Provisioned v2';
// prettier-ignore
const CLEAN_DAY: Line[] = [
  [V2_SSD, V2, 'SSD LRS Provisioned Storage', '1 GiB/Hour', '24576', '0.000196'],
  [V2_SSD, V2, 'SSD LRS Provisioned IOPS', '1/Hour', '24576', '0.0000370'],
  [V2_SSD, V2, 'SSD LRS Provisioned IOPS Free', '1/Hour', '72000', '0'],
  [V2_SSD, V2, 'SSD LRS Provisioned Throughput MiBPS', '1/Hour', '2472', '0.0000540'],
  [V2_SSD, V2, 'SSD LRS Provisioned Throughput MiBPS Free', '1/Hour', '2400', '0'],
  [V2_HDD, V2, 'HDD GRS Provisioned Storage', '1 GiB/Hour', '49152', '0.000044'],
  [V2_HDD, V2, 'HDD GRS Provisioned IOPS', '1/Hour', '36000', '0.000012'],
  [V2_HDD, V2, 'HDD GRS Provisioned Throughput MiBPS', '1/Hour', '2400', '0.00007'],
  [V1, 'Premium Files', 'Premium ZRS Provisioned', '1 GB/Month', '33.032258064516129032', '0.204'],
  [V1, 'Premium Files', 'Premium ZRS Snapshots', '1 GB/Month', '1', '0.163'],
  [V1, 'Premium Files', 'Premium ZRS Burst Transactions', '1M', '0.5', '0.1'],
  [PAYG, 'Files v2', 'Hot LRS Data Stored', '1 GB/Month', '10', '0.0255'],
  [PAYG, 'Files v2', 'Cool LRS Data Stored', '1 GB/Month', '20', '0.015'],
  [PAYG, 'Files', 'LRS Data Stored', '1 GB/Month', '3', '0.06'],
  [PAYG, 'Files v2', 'LRS Metadata', '1 GB/Month', '3', '0.0286'],
  [PAYG, 'Files v2', 'Hot LRS Write Operations', '10K', '1', '0.065'],
  [PAYG, 'Files v2', 'Cool LRS Write Operations', '10K', '0.5', '0.13'],
  [PAYG, 'Files', 'LRS Write Operations', '10K', '0.5', '0.015'],
  [PAYG, 'Files v2', 'Hot Read Operations', '10K', '1', '0.0052'],
  [PAYG, 'Files v2', 'Cool LRS List Operations', '10K', '3', '0.065'],
  [PAYG, 'Files v2', 'Cool Other Operations', '10K', '1', '0.0052'],
  [PAYG_TO, 'Files', 'GRS Data Stored', '1 GB/Month', '1', '0.1'],
  [PAYG_TO, 'Files', 'GRS Write Operations', '10K', '1', '0.03'],
  [PAYG_TO, 'Files', 'Read Operations', '10K', '1', '0.0015'],
  [PAYG_TO, 'Files', 'List Operations', '10K', '1', '0.015'],
  [PAYG_TO, 'Files', 'Protocol Operations', '10K', '2', '0.0015'],
  [PAYG_TO, 'Files v2', 'Delete Operations', '10K', '0.5', '0'],
  [SNAPSHOT, 'Standard HDD Managed Disks', 'LRS Snapshots', '1 GB/Month', '1', '0.05'],
  [SNAPSHOT, 'Standard HDD Managed Disks', 'Disk Operations', '10K', '0.2', '0'],
  [BLOB, 'Premium Page Blob', 'LRS Snapshots', '1 GB/Month', '5', '0.12'],
];

async function bill(lines: Line[]): Promise<void> {
  for (const [i, [resource, subcategory, name, unit, quantity, price]] of lines.entries()) {
    const [block, distinct] = BLOCK[unit] ?? ['1', unit];
    await insertLine(wh, {
      source_line: i + 2,
      usage_date: DAY,
      billing_resource_id: resource,
      meter_subcategory: subcategory,
      meter_name: name,
      unit_of_measure: unit,
      pricing_block_size: block,
      distinct_unit: distinct,
      quantity,
      effective_price: price,
    });
  }
}

/** The clean day with some lines replaced ([meter name of the line to replace, resource] → new line or null). */
function planted(changes: [string, string, Line | null][]): Line[] {
  return CLEAN_DAY.flatMap((line) => {
    const change = changes.find(([name, resource]) => line[2] === name && line[0] === resource);
    if (!change) return [line];
    return change[2] ? [change[2]] : [];
  });
}

describe('a real-named month', () => {
  beforeEach(inventory);

  it('gives zero findings when nothing is wrong', async () => {
    await bill(CLEAN_DAY);
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({});
    // every cell was compared and matched: v2 SSD 3, v2 HDD 3, v1 2, pay-as-you-go 6 + 6, the snapshot 1
    expect(await wh.rows(`select status, count(*)::integer as n from comparison group by 1`)).toEqual([
      { status: 'match', n: 21 },
    ]);
    const counts = await wh.rows(
      `select classification, count(*)::integer as n from billed_line_meter group by 1 order by 1`,
    );
    expect(counts).toEqual([
      { classification: 'ignored', n: 1 }, // the page-blob snapshot
      { classification: 'known', n: 2 }, // v1 burst transactions, Disk Operations
      { classification: 'mapped', n: CLEAN_DAY.length - 3 },
    ]);
  });

  it('finds each planted discrepancy with the right kind', async () => {
    await bill(
      planted([
        // the hot share's data billed on the cool meter (the account total is right)
        ['Hot LRS Data Stored', PAYG, null],
        ['Cool LRS Data Stored', PAYG, [PAYG, 'Files v2', 'Cool LRS Data Stored', '1 GB/Month', '30', '0.015']],
        // the GRS account billed on the LRS meter
        [
          'HDD GRS Provisioned Storage',
          V2_HDD,
          [V2_HDD, V2, 'HDD LRS Provisioned Storage', '1 GiB/Hour', '49152', '0.000029'],
        ],
        // v1 billed on the used size instead of MAX(provisioned, used)
        [
          'Premium ZRS Provisioned',
          V1,
          [V1, 'Premium Files', 'Premium ZRS Provisioned', '1 GB/Month', '16.129032258064516129', '0.204'],
        ],
        // the free IOPS companion left out
        ['SSD LRS Provisioned IOPS Free', V2_SSD, null],
        // twice the deletes
        ['Delete Operations', PAYG_TO, [PAYG_TO, 'Files v2', 'Delete Operations', '10K', '1', '0']],
        // the snapshot not billed
        ['LRS Snapshots', SNAPSHOT, null],
      ]),
    );
    await billAndDiff(wh);
    const rows = await findings(wh);
    expect(rows.map((f) => [f.kind, f.meter, f.billing_resource_id?.split('/').at(-1)]).sort()).toEqual(
      [
        ['wrong_meter', 'payg.data_stored', 'backupstorage32f3'],
        ['wrong_meter', 'v2.provisioned_storage', 'stv2hddgrs'],
        ['quantity_mismatch', 'v1.provisioned', 'jpfbackupstorage'],
        ['quantity_mismatch', 'v2.provisioned_iops', 'stv2ssdprod'],
        ['quantity_mismatch', 'payg.delete_ops', 'personalsiteapistorage'],
        ['missing_charge', 'disk.incremental_snapshot', 'ubuntu-backup-server-spot_osdisk_snapshot_20030915'],
      ].sort(),
    );
  });
});

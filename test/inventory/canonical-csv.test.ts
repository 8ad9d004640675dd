// Canonical share_state.csv and disk_snapshot.csv parse to exact observation rows: header matched by name in any
// case and order, optional columns may be missing, CRLF and BOM tolerated, observed_at from the path when blank.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestInventory } from '../../src/inventory/index.ts';
import { ACCOUNT, SUB, cleanup, inputFolder, shareId } from './helpers.ts';
import { withBatchRows } from '../helpers/batch-rows.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('canonical inventory CSV', () => {
  let wh: Warehouse;
  const folders: string[] = [];
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(async () => {
    wh.close();
    for (const folder of folders.splice(0)) await cleanup(folder);
  });
  async function ingest(files: Record<string, string>): ReturnType<typeof ingestInventory> {
    const folder = await inputFolder(files);
    folders.push(folder);
    return ingestInventory(wh, [folder]);
  }

  it('gives its staging memory back: no temporary table of the load is left', async () => {
    await ingest({
      'share_state.csv':
        'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy,protocol,provisioned_gib\n' +
        `2024-03-01T00:00:00Z,${shareId('a')},${ACCOUNT},v2,ssd,lrs,smb,32\n`,
    });
    expect(await wh.rows('select count(*)::integer as n from share_observation')).toEqual([{ n: 1 }]);
    expect(
      await wh.rows("select table_name from duckdb_tables() where temporary and table_name like 'inventory%'"),
    ).toEqual([]);
  });

  it('share_state.csv: every column typed exactly', async () => {
    const upperShare = shareId('Finance').replace('/subscriptions', '/SUBSCRIPTIONS');
    await ingest({
      '2024-03-05T00-00Z/share_state.csv':
        '\uFEFFRetention_Days,OBSERVED_AT,share_resource_id,billing_model,media_tier,redundancy,protocol,access_tier,' +
        'provisioned_gib,provisioned_iops,provisioned_mibps,used_bytes,snapshot_differential_bytes,metadata_bytes,' +
        'is_deleted,deleted_at,billing_resource_id,extra_note\r\n' +
        `14,2024-03-01T00:00:00+01:00,${upperShare},PAYG,HDD,RAGRS,SMB,TransactionOptimized,5120,,,` +
        `9223372036854775807,1073741824,4096,TRUE,2024-02-29T12:00:00Z,${ACCOUNT},hello\r\n` +
        `,,${shareId('other')},v2,ssd,lrs,nfs,,32,3000,100,0,0,0,0,,,\r\n`,
    });
    expect(await wh.rows('select * exclude (source_file) from share_observation order by share_resource_id')).toEqual([
      {
        observed_at: '2024-02-29 23:00:00',
        share_resource_id: shareId('finance'),
        billing_resource_id: ACCOUNT,
        resource_kind: 'classic',
        billing_model: 'payg',
        media_tier: 'hdd',
        redundancy: 'grs',
        protocol: 'smb',
        access_tier: 'transaction_optimized',
        provisioned_gib: '5120',
        provisioned_iops: null,
        provisioned_mibps: null,
        used_bytes: '9223372036854775807',
        snapshot_differential_bytes: '1073741824',
        metadata_bytes: '4096',
        is_deleted: true,
        deleted_at: '2024-02-29 12:00:00',
        retention_days: 14,
        source_kind: 'csv',
        source_line: '2',
        next_quota_downgrade_at: null,
        next_iops_downgrade_at: null,
        next_mibps_downgrade_at: null,
      },
      expect.objectContaining({
        // blank observed_at: the folder's time
        observed_at: '2024-03-05 00:00:00',
        share_resource_id: shareId('other'),
        billing_resource_id: ACCOUNT,
        protocol: 'nfs',
        provisioned_iops: '3000',
        is_deleted: false,
        source_line: '3',
      }),
    ]);
  });

  it('share_state.csv: every row keeps its physical line across quoted line breaks and blank lines', async () => {
    const row = (name: string, protocol: string, gib: string) =>
      `2024-03-01T00:00:00Z,${shareId(name)},${ACCOUNT},v2,ssd,lrs,${protocol},${gib}\n`;
    const report = await ingest({
      'share_state.csv':
        'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy,protocol,provisioned_gib\n' +
        row('a', 'smb', '32') + // line 2
        row('b', '"smb\nstill b"', '32') + // lines 3-4: a quoted line break (an unknown protocol: quarantined)
        '\n' + // line 5: blank
        row('c', 'smb', 'lots') + // line 6 (quarantined)
        '\n\n' + // lines 7-8: blank
        row('d', 'smb', '64'), // line 9
    });
    expect(report).toMatchObject({ recordsRead: 4, recordsIngested: 2, recordsQuarantined: 2 });
    expect(
      await wh.rows(
        "select regexp_extract(share_resource_id, '[^/]+$') as share, source_line from share_observation order by 2",
      ),
    ).toEqual([
      { share: 'a', source_line: '2' },
      { share: 'd', source_line: '9' },
    ]);
    expect(
      await wh.rows('select source_line, raw_text like $c as is_c from quarantine order by 1', { c: '%/c,%' }),
    ).toEqual([
      { source_line: '3', is_c: false },
      { source_line: '6', is_c: true },
    ]);
  });

  it('share_state.csv: FileShares ids are billed on themselves; a classic share billed elsewhere is refused', async () => {
    const fileShare = `${SUB}/providers/microsoft.fileshares/fileshares/fs1`;
    const report = await ingest({
      'share_state.csv':
        'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy\n' +
        `2024-03-01,${fileShare},,v2,ssd,zrs\n` +
        `2024-03-01,${shareId('a')},${SUB}/providers/microsoft.storage/storageaccounts/elsewhere,v2,ssd,zrs\n`,
    });
    expect(report).toMatchObject({ recordsIngested: 1, recordsQuarantined: 1 });
    expect(await wh.rows('select billing_resource_id, resource_kind from share_observation')).toEqual([
      { billing_resource_id: fileShare, resource_kind: 'fileshares' },
    ]);
    expect(await wh.rows('select reason from quarantine')).toEqual([
      {
        reason:
          `billing_resource_id '${SUB}/providers/microsoft.storage/storageaccounts/elsewhere' is not the share's ` +
          `billed resource '${ACCOUNT}'`,
      },
    ]);
  });

  it('share_state.csv: resource ids are one key whatever their case, surrounding spaces or trailing slash', async () => {
    const report = await ingest({
      'share_state.csv':
        'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy\n' +
        `2024-03-01T00:00Z," ${shareId('Data').toUpperCase()}/ ",${ACCOUNT.toUpperCase()}/,v2,ssd,zrs\n` +
        `2024-03-02T00:00Z,${shareId('data')},,v2,ssd,zrs\n`,
    });
    expect(report).toMatchObject({ recordsIngested: 2, recordsQuarantined: 0 });
    expect(await wh.rows('select distinct share_resource_id, billing_resource_id from share_observation')).toEqual([
      { share_resource_id: shareId('data'), billing_resource_id: ACCOUNT },
    ]);
  });

  it('records of the same share and time merge field by field, the later file winning', async () => {
    await ingest({
      '2024-03-01T00-00Z/a-list.json': JSON.stringify([
        { id: ACCOUNT, type: 'Microsoft.Storage/storageAccounts', sku: { name: 'StandardV2_GZRS' } },
        {
          id: shareId('finance'),
          name: 'finance',
          type: 'Microsoft.Storage/storageAccounts/fileServices/shares',
          shareQuota: 100,
          provisionedIops: 1100,
        },
      ]),
      '2024-03-01T00-00Z/b-show.json': JSON.stringify({
        id: shareId('finance'),
        name: 'finance',
        type: 'Microsoft.Storage/storageAccounts/fileServices/shares',
        shareQuota: 200,
        shareUsageBytes: 5,
      }),
    });
    expect(
      await wh.rows(
        `select media_tier, redundancy, provisioned_gib, provisioned_iops, used_bytes,
                regexp_extract(source_file, '[^/]+$') as file from share_observation`,
      ),
    ).toEqual([
      {
        media_tier: 'hdd',
        redundancy: 'gzrs',
        provisioned_gib: '200',
        provisioned_iops: '1100',
        used_bytes: '5',
        file: 'b-show.json',
      },
    ]);
  });

  it('merges a batch of observation days at a time: one day per batch gives the rows of one batch', async () => {
    // list (no usage) and show (usage) of two shares on three nights, one share also twice on one night
    const files: Record<string, string> = {};
    for (const day of ['01', '02', '03']) {
      const header =
        'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy,provisioned_gib,used_bytes\n';
      files[`2024-03-${day}T00-00Z/a-list/share_state.csv`] =
        header +
        `2024-03-${day}T00:00:00Z,${shareId('finance')},${ACCOUNT},v2,ssd,lrs,${100 + Number(day)},\n` +
        `2024-03-${day}T00:00:00Z,${shareId('hr')},${ACCOUNT},v2,ssd,lrs,50,\n` +
        `2024-03-${day}T12:00:00Z,${shareId('hr')},${ACCOUNT},v2,ssd,lrs,60,\n`;
      files[`2024-03-${day}T00-00Z/b-show/share_state.csv`] =
        header + `2024-03-${day}T00:00:00Z,${shareId('finance')},${ACCOUNT},v2,ssd,lrs,,${day}000\n`;
    }
    const merged = async (batchRows: string | undefined): Promise<unknown[]> => {
      await withBatchRows(batchRows, () => ingest(files));
      return wh.rows(
        `select observed_at, share_resource_id, provisioned_gib, used_bytes from share_observation
         order by share_resource_id, observed_at`,
      );
    };
    const oneBatch = await merged(undefined);
    expect(oneBatch).toHaveLength(9);
    expect(oneBatch.slice(0, 3)).toEqual(
      ['01', '02', '03'].map((day) => ({
        observed_at: `2024-03-${day} 00:00:00`,
        share_resource_id: shareId('finance'),
        provisioned_gib: `${100 + Number(day)}`,
        used_bytes: `${Number(day)}000`,
      })),
    );
    wh.close();
    wh = await openTestWarehouse();
    expect(await merged('1')).toEqual(oneBatch);
    // the staged text and typed records are dropped once observations are written: they are the load's alone
    expect(
      await wh.rows(
        `select table_name from duckdb_tables()
         where temporary and (table_name like 'inventory\\_%\\_record' escape '\\'
           or table_name in ('inventory_stage_share_csv', 'inventory_stage_json_item', 'inventory_stage_disk_snapshot_csv'))`,
      ),
    ).toEqual([]);
  });

  it('disk_snapshot.csv: deleted_at ends the interval; created_at starts the first one', async () => {
    const snapshot = `${SUB}/providers/microsoft.compute/snapshots/s1`;
    await ingest({
      'disk_snapshot.csv':
        'observed_at,snapshot_resource_id,source_disk_id,redundancy,used_bytes,created_at,deleted_at\n' +
        `2024-03-02T00:00:00Z,${snapshot},${SUB}/providers/microsoft.compute/disks/d1,LRS,10737418240,2024-03-01T10:00:00Z,\n` +
        `2024-03-03T00:00:00Z,${snapshot},${SUB}/providers/microsoft.compute/disks/d1,lrs,10737418240,2024-03-01T10:00:00Z,2024-03-04T06:00:00Z\n`,
    });
    expect(
      await wh.rows(
        `select snapshot_interval_id, redundancy, used_bytes, valid_from, valid_to, covered_to, ends_by
         from disk_snapshot_interval order by valid_from`,
      ),
    ).toEqual([
      {
        snapshot_interval_id: `${snapshot}@2024-03-01T10:00:00Z`,
        redundancy: 'lrs',
        used_bytes: '10737418240',
        valid_from: '2024-03-01 10:00:00',
        valid_to: '2024-03-03 00:00:00',
        covered_to: '2024-03-03 00:00:00',
        ends_by: 'next_observation',
      },
      {
        snapshot_interval_id: `${snapshot}@2024-03-03T00:00:00Z`,
        redundancy: 'lrs',
        used_bytes: '10737418240',
        valid_from: '2024-03-03 00:00:00',
        valid_to: '2024-03-04 06:00:00',
        covered_to: '2024-03-04 06:00:00',
        ends_by: 'deleted',
      },
    ]);
  });
});

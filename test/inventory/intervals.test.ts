// Interval building (sql/inventory/share_interval.sql): each observation holds until the next one of the same
// share; a deletion is soft-deleted for exactly its retention days, then gone; a restore ends it; after the last
// observation's UTC day nothing is vouched for (unknown), unless an as-of time is given.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { buildIntervals, ingestInventory } from '../../src/inventory/index.ts';
import { join } from 'node:path';
import {
  ACCOUNT,
  FIXTURES,
  SUB,
  cleanup,
  inputFolder,
  quarantined,
  shareId,
  shareStateCsv,
  timeline,
} from './helpers.ts';
import { insertDelivery } from '../helpers/builders.ts';
import { withBatchRows } from '../helpers/batch-rows.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const SHARE = shareId('finance');

/** A classic share item as `az storage share-rm list` writes it; a soft-deleted version has a versioned id. */
function shareItem(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name, type: 'Microsoft.Storage/storageAccounts/fileServices/shares', shareQuota: 100, ...extra };
}
const PREMIUM_V2_ACCOUNT = JSON.stringify([
  { id: ACCOUNT, type: 'Microsoft.Storage/storageAccounts', sku: { name: 'PremiumV2_LRS' } },
]);
/** finance deleted at 10:00 on 1 Mar with 7 days' retention, as the next night's listing shows it. */
const DELETED_FINANCE = shareItem(`${SHARE}_01DAAAAAAAAAAAAA`, 'finance', {
  deleted: true,
  deletedTime: '2024-03-01T10:00:00Z',
  version: '01DAAAAAAAAAAAAA',
  remainingRetentionDays: 7,
});

describe('share intervals', () => {
  let wh: Warehouse;
  const folders: string[] = [];
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(async () => {
    wh.close();
    for (const folder of folders.splice(0)) await cleanup(folder);
  });
  async function ingest(files: Record<string, string>, asOf?: string): Promise<void> {
    const folder = await inputFolder(files);
    folders.push(folder);
    await ingestInventory(wh, [folder], asOf === undefined ? {} : { asOf });
  }

  it('the next observation ends the previous one; the last is open and covered to the end of its UTC day', async () => {
    await ingest({
      'share_state.csv': shareStateCsv([
        `2024-03-01T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,4000,200,0,,,false,,`,
        `2024-03-03T06:30:00Z,${SHARE},v2,ssd,lrs,smb,,2048,4000,200,0,,,false,,`,
        `2024-03-02T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1536,4000,200,0,,,false,,`,
      ]),
    });
    expect(await timeline(wh)).toEqual([
      {
        state: 'live',
        valid_from: '2024-03-01 00:00:00',
        valid_to: '2024-03-02 00:00:00',
        covered_to: '2024-03-02 00:00:00',
        ends_by: 'next_observation',
        provisioned_gib: '1024',
      },
      {
        state: 'live',
        valid_from: '2024-03-02 00:00:00',
        valid_to: '2024-03-03 06:30:00',
        covered_to: '2024-03-03 06:30:00',
        ends_by: 'next_observation',
        provisioned_gib: '1536',
      },
      // hours after 2024-03-04T00:00Z are unknown, not zero
      {
        state: 'live',
        valid_from: '2024-03-03 06:30:00',
        valid_to: null,
        covered_to: '2024-03-04 00:00:00',
        ends_by: null,
        provisioned_gib: '2048',
      },
    ]);
    expect(await wh.rows('select share_interval_id from share_interval order by valid_from')).toEqual([
      { share_interval_id: `${SHARE}@2024-03-01T00:00:00Z` },
      { share_interval_id: `${SHARE}@2024-03-02T00:00:00Z` },
      { share_interval_id: `${SHARE}@2024-03-03T06:30:00Z` },
    ]);
  });

  it('an as-of time extends what open intervals are covered to, never what they are valid to', async () => {
    await ingest(
      { 'share_state.csv': shareStateCsv([`2024-03-01T05:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,0,,,false,,`]) },
      '2024-03-10T00:00:00Z',
    );
    expect(await timeline(wh)).toEqual([
      expect.objectContaining({ valid_to: null, covered_to: '2024-03-10 00:00:00', ends_by: null }),
    ]);
    await buildIntervals(wh);
    expect(await timeline(wh)).toEqual([
      expect.objectContaining({ valid_to: null, covered_to: '2024-03-02 00:00:00' }),
    ]);
    // an as-of before the observation's day end does not shorten it
    await buildIntervals(wh, { asOf: '2024-03-01T06:00:00Z' });
    expect(await timeline(wh)).toEqual([expect.objectContaining({ covered_to: '2024-03-02 00:00:00' })]);
  });

  it('change-log CSVs hold their last row to the end of the billed period, or to --inventory-as-of, and say so', async () => {
    // A current delivery billing February 2026 (1–28 Feb).
    await insertDelivery(wh, {
      delivery_id: 'd-feb',
      export_scope: 'file:feb.csv',
      billing_month: '2026-02',
      submitted_at: '2026-03-02',
      period_start: '2026-02-01',
      period_end: '2026-02-28',
      days_covered: 28,
      source_path: 'feb.csv',
    });
    const snapshot = `${SUB}/providers/microsoft.compute/snapshots/s1`;
    const files = {
      'share_state.csv': shareStateCsv([
        `2026-01-20T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,0,,,false,,`,
        `2026-02-03T12:00:00Z,${SHARE},v2,ssd,lrs,smb,,2048,,,0,,,false,,`,
        `2026-02-14T08:00:00Z,${shareId('media')},v2,ssd,lrs,smb,,512,,,0,,,false,,`,
      ]),
      'disk_snapshot.csv':
        'observed_at,snapshot_resource_id,source_disk_id,redundancy,used_bytes,created_at,deleted_at\n' +
        `2026-02-10T00:00:00Z,${snapshot},${SUB}/providers/microsoft.compute/disks/d1,lrs,10737418240,2026-02-01T00:00:00Z,\n`,
    };
    const folder = await inputFolder(files);
    folders.push(folder);
    const report = await ingestInventory(wh, [folder]);
    const open = () =>
      wh.rows(
        `select share_resource_id as id, valid_to, covered_to from share_interval where valid_to is null
         union all select snapshot_resource_id, valid_to, covered_to from disk_snapshot_interval order by 1`,
      );
    expect(await open()).toEqual([
      { id: snapshot, valid_to: null, covered_to: '2026-03-01 00:00:00' },
      { id: SHARE, valid_to: null, covered_to: '2026-03-01 00:00:00' },
      { id: shareId('media'), valid_to: null, covered_to: '2026-03-01 00:00:00' },
    ]);
    expect(report.heldLastState).toBe(
      '2 shares and 1 snapshot of the change-log CSVs last changed before 15 Feb 2026; held to 28 Feb 2026 ' +
        '(the end of the billed period; --inventory-as-of says otherwise)',
    );
    // --inventory-as-of: the inventory vouches to that time, not to the end of the billing.
    const asOf = await ingestInventory(wh, [folder], { asOf: '2026-02-20T00:00:00Z' });
    expect((await open()).map((r) => r.covered_to)).toEqual([
      '2026-02-20 00:00:00',
      '2026-02-20 00:00:00',
      '2026-02-20 00:00:00',
    ]);
    expect(asOf.heldLastState).toBe(
      '2 shares and 1 snapshot of the change-log CSVs last changed before 15 Feb 2026; held to 20 Feb 2026 00:00 UTC ' +
        '(--inventory-as-of)',
    );
  });

  it('a JSON snapshot (az output) still vouches only to the end of its UTC day, whatever the billing covers', async () => {
    await insertDelivery(wh, {
      delivery_id: 'd-mar',
      export_scope: 'file:mar.csv',
      billing_month: '2024-03',
      submitted_at: '2024-04-02',
      period_start: '2024-03-01',
      period_end: '2024-03-31',
      days_covered: 31,
      source_path: 'mar.csv',
    });
    const report = await ingestInventory(wh, [join(FIXTURES, 'az-cli'), join(FIXTURES, 'disk-snapshots')]);
    expect(report.heldLastState).toBeNull();
    const held = await wh.row(
      `select count(*) as open, count(*) filter (where covered_to = date_trunc('day', observed_at) + interval 1 day) as day_end
       from (select observed_at, covered_to from share_interval where valid_to is null
             union all select observed_at, covered_to from disk_snapshot_interval where valid_to is null)`,
    );
    expect(Number(held?.open)).toBeGreaterThan(0);
    expect(held?.day_end).toBe(held?.open);
  });

  it('a deleted share is soft-deleted from deleted_at for exactly its retention days, then gone', async () => {
    await ingest({
      'share_state.csv': shareStateCsv([
        `2024-03-01T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,5368709120,,,false,,`,
        `2024-03-02T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,5368709120,,,true,2024-03-01T18:15:00Z,14`,
        // the same deletion seen again the next nights: goes on from each observation
        `2024-03-03T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,5368709120,,,true,2024-03-01T18:15:00Z,14`,
        // still listed after the purge time (Azure purges lazily): leaves nothing
        `2024-03-16T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,5368709120,,,true,2024-03-01T18:15:00Z,14`,
      ]),
    });
    expect(await timeline(wh)).toEqual([
      expect.objectContaining({ state: 'live', valid_from: '2024-03-01 00:00:00', valid_to: '2024-03-01 18:15:00' }),
      {
        state: 'soft_deleted',
        valid_from: '2024-03-01 18:15:00',
        valid_to: '2024-03-03 00:00:00',
        covered_to: '2024-03-03 00:00:00',
        ends_by: 'next_observation',
        provisioned_gib: '1024',
      },
      {
        state: 'soft_deleted',
        valid_from: '2024-03-03 00:00:00',
        valid_to: '2024-03-15 18:15:00',
        covered_to: '2024-03-15 18:15:00',
        ends_by: 'purge',
        provisioned_gib: '1024',
      },
    ]);
    const total = await wh.row<{ soft_deleted: string }>(
      `select sum(epoch(valid_to) - epoch(valid_from))::bigint::varchar as soft_deleted from share_interval
       where state = 'soft_deleted'`,
    );
    expect(total?.soft_deleted).toBe(String(14 * 86400));
  });

  it('a restore after a delete ends the soft-deleted interval at the next live observation', async () => {
    await ingest({
      'share_state.csv': shareStateCsv([
        `2024-03-01T00:00:00Z,${SHARE},v1,ssd,lrs,smb,premium,100,,,0,,,false,,`,
        `2024-03-02T00:00:00Z,${SHARE},v1,ssd,lrs,smb,premium,100,,,0,,,true,2024-03-01T10:00:00Z,7`,
        `2024-03-03T00:00:00Z,${SHARE},v1,ssd,lrs,smb,premium,100,,,0,,,false,,`,
      ]),
    });
    expect(await timeline(wh)).toEqual([
      expect.objectContaining({ state: 'live', valid_to: '2024-03-01 10:00:00', ends_by: 'next_observation' }),
      expect.objectContaining({
        state: 'soft_deleted',
        valid_from: '2024-03-01 10:00:00',
        valid_to: '2024-03-03 00:00:00',
        ends_by: 'next_observation',
      }),
      expect.objectContaining({ state: 'live', valid_from: '2024-03-03 00:00:00', valid_to: null, ends_by: null }),
    ]);
  });

  it('a deleted share with no known retention stays soft-deleted only as far as it was observed', async () => {
    await ingest({
      'share_state.csv': shareStateCsv([
        `2024-03-02T08:00:00Z,${SHARE},payg,hdd,lrs,smb,hot,100,,,0,,,true,2024-03-01T10:00:00Z,`,
      ]),
    });
    expect(await timeline(wh)).toEqual([
      {
        state: 'soft_deleted',
        valid_from: '2024-03-01 10:00:00',
        valid_to: null,
        covered_to: '2024-03-03 00:00:00',
        ends_by: null,
        provisioned_gib: '100',
      },
    ]);
  });

  it('retention falls back to remainingRetentionDays + whole days since deletion, then the account policy', async () => {
    const account = {
      id: ACCOUNT,
      type: 'Microsoft.Storage/storageAccounts',
      kind: 'FileStorage',
      sku: { name: 'PremiumV2_ZRS' },
    };
    const fileService = {
      id: `${ACCOUNT}/fileServices/default`,
      type: 'Microsoft.Storage/storageAccounts/fileServices',
      properties: { shareDeleteRetentionPolicy: { enabled: true, days: 30 } },
    };
    const deleted = (name: string, extra: Record<string, unknown>): Record<string, unknown> => ({
      id: `${shareId(name)}_01DA00000000000${name.length}`,
      name,
      type: 'Microsoft.Storage/storageAccounts/fileServices/shares',
      deleted: true,
      deletedTime: '2024-03-01T10:00:00Z',
      version: `01DA00000000000${name.length}`,
      shareQuota: 100,
      ...extra,
    });
    await ingest({
      '2024-03-04T09-00Z/all.json': JSON.stringify([
        account,
        fileService,
        // 2 days 23 hours after deletion, 4 days left: 4 + 2 = 6
        deleted('alpha', { remainingRetentionDays: 4 }),
        // nothing on the share itself: the account's 30 days
        deleted('bravo', {}),
      ]),
    });
    expect(await wh.rows(`select share_resource_id, retention_days, valid_to from share_interval order by 1`)).toEqual([
      { share_resource_id: shareId('alpha'), retention_days: 6, valid_to: '2024-03-07 10:00:00' },
      { share_resource_id: shareId('bravo'), retention_days: 30, valid_to: '2024-03-31 10:00:00' },
    ]);
  });

  it('a share re-created while its old version is soft-deleted keeps two histories', async () => {
    const item = (id: string, extra: Record<string, unknown>): Record<string, unknown> => ({
      id,
      name: 'finance',
      type: 'Microsoft.Storage/storageAccounts/fileServices/shares',
      shareQuota: 100,
      ...extra,
    });
    await ingest({
      '2024-03-02T00-00Z/accounts.json': JSON.stringify([
        { id: ACCOUNT, type: 'Microsoft.Storage/storageAccounts', sku: { name: 'PremiumV2_LRS' } },
      ]),
      '2024-03-02T00-00Z/shares.json': JSON.stringify([
        item(SHARE, { shareQuota: 200 }),
        item(`${SHARE}_01DAAAAAAAAAAAAA`, {
          deleted: true,
          deletedTime: '2024-03-01T10:00:00Z',
          version: '01DAAAAAAAAAAAAA',
          remainingRetentionDays: 7,
        }),
      ]),
    });
    expect(
      await wh.rows(`select share_resource_id, state, provisioned_gib, valid_to from share_interval order by 1`),
    ).toEqual([
      { share_resource_id: SHARE, state: 'live', provisioned_gib: '200', valid_to: null },
      {
        share_resource_id: `${SHARE}_01daaaaaaaaaaaaa`,
        state: 'soft_deleted',
        provisioned_gib: '100',
        valid_to: '2024-03-08 10:00:00',
      },
    ]);
  });

  it('a share deleted and re-created with the same name is two shares in time: the old one ends at its deletion', async () => {
    await ingest({
      '2024-03-01T00-00Z/accounts.json': PREMIUM_V2_ACCOUNT,
      '2024-03-01T00-00Z/shares.json': JSON.stringify([shareItem(SHARE, 'finance')]),
      '2024-03-02T00-00Z/accounts.json': PREMIUM_V2_ACCOUNT,
      // deleted at 10:00 on 1 Mar and re-created (200 GiB) before the next night's listing
      '2024-03-02T00-00Z/shares.json': JSON.stringify([
        shareItem(SHARE, 'finance', { shareQuota: 200 }),
        DELETED_FINANCE,
      ]),
    });
    expect(
      await wh.rows(
        `select share_resource_id, state, provisioned_gib, valid_from, valid_to from share_interval order by valid_from, 1`,
      ),
    ).toEqual([
      {
        share_resource_id: SHARE,
        state: 'live',
        provisioned_gib: '100',
        valid_from: '2024-03-01 00:00:00',
        valid_to: '2024-03-01 10:00:00',
      },
      {
        share_resource_id: `${SHARE}_01daaaaaaaaaaaaa`,
        state: 'soft_deleted',
        provisioned_gib: '100',
        valid_from: '2024-03-01 10:00:00',
        valid_to: '2024-03-08 10:00:00',
      },
      {
        share_resource_id: SHARE,
        state: 'live',
        provisioned_gib: '200',
        valid_from: '2024-03-02 00:00:00',
        valid_to: null,
      },
    ]);
  });

  it('one share per batch: the deletion under a versioned id in another batch still ends the live history', async () => {
    // …/finance2 sorts between …/finance and …/finance_01da…: one share a batch puts the two ids apart
    const other = shareId('finance2');
    await withBatchRows('1', () =>
      ingest({
        '2024-03-01T00-00Z/accounts.json': PREMIUM_V2_ACCOUNT,
        '2024-03-01T00-00Z/shares.json': JSON.stringify([shareItem(SHARE, 'finance'), shareItem(other, 'finance2')]),
        '2024-03-02T00-00Z/accounts.json': PREMIUM_V2_ACCOUNT,
        '2024-03-02T00-00Z/shares.json': JSON.stringify([
          shareItem(SHARE, 'finance', { shareQuota: 200 }),
          shareItem(other, 'finance2'),
          DELETED_FINANCE,
        ]),
      }),
    );
    expect(
      await wh.rows(
        `select regexp_extract(share_resource_id, '[^/]+$') as share, state, valid_from, valid_to
         from share_interval order by share_resource_id, valid_from`,
      ),
    ).toEqual([
      { share: 'finance', state: 'live', valid_from: '2024-03-01 00:00:00', valid_to: '2024-03-01 10:00:00' },
      { share: 'finance', state: 'live', valid_from: '2024-03-02 00:00:00', valid_to: null },
      { share: 'finance2', state: 'live', valid_from: '2024-03-01 00:00:00', valid_to: '2024-03-02 00:00:00' },
      { share: 'finance2', state: 'live', valid_from: '2024-03-02 00:00:00', valid_to: null },
      {
        share: 'finance_01daaaaaaaaaaaaa',
        state: 'soft_deleted',
        valid_from: '2024-03-01 10:00:00',
        valid_to: '2024-03-08 10:00:00',
      },
    ]);
  });

  it('re-running the same files replaces their observations and quarantine rows instead of appending', async () => {
    const folder = await inputFolder({
      'share_state.csv': shareStateCsv([
        `2024-03-01T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,0,,,false,,`,
        `2024-03-01T00:00:00Z,${SUB}/not-a-share,v2,ssd,lrs,smb,,1024,,,0,,,false,,`,
      ]),
    });
    folders.push(folder);
    const first = await ingestInventory(wh, [folder]);
    const second = await ingestInventory(wh, [folder]);
    expect(second).toEqual(first);
    expect(second).toMatchObject({ recordsRead: 2, recordsIngested: 1, recordsQuarantined: 1, shares: 1 });
    const counts = await wh.row(
      `select (select count(*) from share_observation)::integer as observations,
              (select count(*) from share_interval)::integer as intervals,
              (select count(*) from quarantine)::integer as quarantined`,
    );
    expect(counts).toEqual({ observations: 1, intervals: 1, quarantined: 1 });
    expect(await quarantined(wh)).toHaveLength(1);
  });

  it('with exact (--full), a wrong inventory file removed from the folder is forgotten, its quarantine too', async () => {
    const folder = await inputFolder({
      'good/share_state.csv': shareStateCsv([`2024-03-01T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,0,,,false,,`]),
      // another team's file, dropped in by mistake: a second share and a size that is wrong
      'wrong/share_state.csv': shareStateCsv([
        `2024-03-01T12:00:00Z,${SHARE},v2,ssd,lrs,smb,,9999,,,0,,,false,,`,
        `2024-03-01T00:00:00Z,${shareId('other')},v2,ssd,lrs,smb,,64,,,0,,,false,,`,
        `2024-03-01T00:00:00Z,${SUB}/not-a-share,v2,ssd,lrs,smb,,1024,,,0,,,false,,`,
      ]),
    });
    folders.push(folder);
    await ingestInventory(wh, [folder]);
    await cleanup(join(folder, 'wrong'));
    const sizes = () => wh.rows('select share_resource_id, provisioned_gib from share_interval order by 1, valid_from');
    // An ordinary re-run keeps what earlier runs observed (nightly folders may be pruned) …
    await ingestInventory(wh, [folder]);
    expect(await sizes()).toHaveLength(3);
    // … an exact one reconciles against exactly the inventory given.
    await ingestInventory(wh, [folder], { exact: true });
    expect(await sizes()).toEqual([{ share_resource_id: SHARE, provisioned_gib: '1024' }]);
    expect(await quarantined(wh)).toEqual([]);
  });
});

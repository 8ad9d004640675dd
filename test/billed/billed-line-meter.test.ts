import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMeterCatalog } from '../../src/billing/meter-catalog.ts';
import { buildBilledUsage } from '../../src/billed/index.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { insertDelivery, insertLine } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

// Meter strings from export-formats §3 (retail meter names, EA-style subcategories), with what they must map to.
// [category, subcategory, meter name, meter_key, model, media, redundancy, access_tier, is_free_companion]
type Case = [string, string, string, string, string, string | null, string | null, string | null, boolean];
// prettier-ignore
const MAPPED: Case[] = [
  ['Storage', 'Azure Files Provisioned v2', 'SSD LRS Provisioned Storage', 'v2.provisioned_storage', 'v2', 'ssd', 'lrs', null, false],
  ['Storage', 'Files v2', 'SSD ZRS Provisioned IOPS', 'v2.provisioned_iops', 'v2', 'ssd', 'zrs', null, false],
  ['Storage', 'Azure Files Provisioned v2', 'SSD ZRS Provisioned IOPS Free', 'v2.provisioned_iops', 'v2', 'ssd', 'zrs', null, true],
  ['Storage', 'Files v2', 'HDD GZRS Provisioned Throughput MiBPS', 'v2.provisioned_throughput', 'v2', 'hdd', 'gzrs', null, false],
  ['Storage', 'Files v2', 'SSD LRS Provisioned Throughput MiBPS Free', 'v2.provisioned_throughput', 'v2', 'ssd', 'lrs', null, true],
  ['Storage', 'Azure Files Provisioned v2', 'SSD LRS Overflow Snapshot Usage', 'v2.overflow_snapshot', 'v2', 'ssd', 'lrs', null, false],
  ['Storage', 'Azure Files Provisioned v2', 'HDD ZRS Soft-Deleted Usage', 'v2.soft_deleted', 'v2', 'hdd', 'zrs', null, false],
  ['Storage', 'Premium Files', 'Premium LRS Provisioned', 'v1.provisioned', 'v1', 'ssd', 'lrs', null, false],
  ['Storage', 'Premium Files', 'Premium ZRS Snapshots', 'v1.snapshots', 'v1', 'ssd', 'zrs', null, false],
  ['Storage', 'Files v2', 'Hot LRS Data Stored', 'payg.data_stored', 'payg', 'hdd', 'lrs', 'hot', false],
  ['Storage', 'Files v2', 'Cool GZRS Data Stored', 'payg.data_stored', 'payg', 'hdd', 'gzrs', 'cool', false],
  ['Storage', 'Files', 'LRS Data Stored', 'payg.data_stored', 'payg', 'hdd', 'lrs', 'transaction_optimized', false],
  ['STORAGE', 'files v2', 'hot gzrs data stored', 'payg.data_stored', 'payg', 'hdd', 'gzrs', 'hot', false],
  ['Storage', 'Files v2', 'ZRS Data Stored', 'payg.data_stored', 'payg', 'hdd', 'zrs', 'transaction_optimized', false],
  // one Metadata meter for hot and cool: no tier in the name, so none is read
  ['Storage', 'Files v2', 'ZRS Metadata', 'payg.metadata', 'payg', 'hdd', 'zrs', null, false],
  ['Storage', 'Files v2', 'LRS Metadata', 'payg.metadata', 'payg', 'hdd', 'lrs', null, false],
  ['Storage', 'Files v2', 'GZRS Write Operations', 'payg.write_ops', 'payg', 'hdd', 'gzrs', 'transaction_optimized', false],
  ['Storage', 'Files v2', 'Hot LRS Write Operations', 'payg.write_ops', 'payg', 'hdd', 'lrs', 'hot', false],
  ['Storage', 'Files v2', 'Hot LRS List Operations', 'payg.list_ops', 'payg', 'hdd', 'lrs', 'hot', false],
  ['Storage', 'Files v2', 'Cool Read Operations', 'payg.read_ops', 'payg', 'hdd', null, 'cool', false],
  ['Storage', 'Files', 'Read Operations', 'payg.read_ops', 'payg', 'hdd', null, null, false],
  ['Storage', 'Files v2', 'Cool GZRS Other Operations', 'payg.other_ops', 'payg', 'hdd', 'gzrs', 'cool', false],
  ['Storage', 'Files v2', 'Protocol Operations', 'payg.other_ops', 'payg', 'hdd', null, null, false],
  ['Storage', 'Files v2', 'Delete Operations', 'payg.delete_ops', 'payg', 'hdd', null, null, false],
  ['Storage', 'Files v2', 'Cool Data Retrieval', 'payg.data_retrieval', 'payg', 'hdd', null, 'cool', false],
  ['Storage', 'Storage - Bandwidth', 'Geo-Replication v2 Data Transfer', 'payg.geo_replication', 'payg', null, null, null, false],
  ['Storage', 'Standard HDD Managed Disks', 'LRS Snapshots', 'disk.incremental_snapshot', 'disk', 'hdd', 'lrs', null, false],
  ['Storage', 'Standard HDD Managed Disks', 'ZRS Snapshots', 'disk.incremental_snapshot', 'disk', 'hdd', 'zrs', null, false],
  ['Storage', 'Standard SSD Managed Disks', 'Snapshots LRS Snapshots', 'disk.incremental_snapshot', 'disk', 'ssd', 'lrs', null, false],
  ['Storage', 'Premium SSD Managed Disks', 'ZRS Snapshots', 'disk.incremental_snapshot', 'disk', 'ssd', 'zrs', null, false],
  ['Storage', 'Standard Snapshots', 'LRS Snapshots', 'disk.incremental_snapshot', 'disk', 'hdd', 'lrs', null, false],
];

// [category, subcategory, meter name, charge type, classification, reason]
// prettier-ignore
const NOT_MAPPED: [string, string, string, string, string, string][] = [
  ['Storage', 'Premium Files', 'Premium LRS Burst Transactions', 'Usage', 'known', 'known, not reconciled: v1 paid bursting'],
  ['Storage', 'Premium Page Blob', 'LRS Snapshots', 'Usage', 'ignored', 'not a Files or snapshot meter: Premium Page Blob'],
  ['Storage', 'Files v2', 'Hot LRS Data Written', 'Usage', 'unmapped', 'Files or snapshot meter not in the meter catalog'],
  ['Storage', 'Standard HDD Managed Disks', 'LRS Snapshot Operations', 'Usage', 'unmapped', 'Files or snapshot meter not in the meter catalog'],
  ['Storage', 'Tiered Block Blob', 'Hot LRS Data Stored', 'Usage', 'ignored', 'not a Files or snapshot meter'],
  ['Storage', 'Ultra Disks', 'Ultra LRS Provisioned IOPS', 'Usage', 'ignored', 'not a Files or snapshot meter'],
  ['Storage', 'Premium SSD Managed Disks', 'P4 LRS Disk', 'Usage', 'ignored', 'not a Files or snapshot meter'],
  ['Virtual Machines', 'Dv3/DSv3 Series', 'D2 v3/D2s v3', 'Usage', 'ignored', 'not a Files or snapshot meter'],
  ['Storage', 'Premium Files Reserved Capacity', 'Provisioned', 'Purchase', 'ignored', 'not a usage charge: Purchase'],
  // the same test the ingest makes (is_non_usage_charge_type): case and padding do not matter
  ['Storage', 'Premium Files Reserved Capacity', 'Provisioned', ' TAX ', 'ignored', 'not a usage charge:  TAX '],
];

describe('billed_line_meter', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1');
  });
  afterEach(() => {
    wh.close();
  });

  it('maps every Files and snapshot meter family to its key, model, media, redundancy and tier', async () => {
    for (const [i, [category, subcategory, name]] of MAPPED.entries()) {
      await insertLine(wh, {
        source_line: i + 2,
        meter_category: category,
        meter_subcategory: subcategory,
        meter_name: name,
      });
    }
    const report = await buildBilledUsage(wh);
    expect(report).toEqual({
      lines: MAPPED.length,
      mappedLines: MAPPED.length,
      knownLines: 0,
      unmappedLines: 0,
      ignoredLines: 0,
    });
    const rows = await wh.rows<Record<string, unknown>>(
      `select meter_category, meter_subcategory, meter_name, meter_key, model, media, redundancy, access_tier,
              is_free_companion, classification, candidate_count > 0 as is_matched
       from billed_line_meter order by source_line`,
    );
    expect(
      rows.map((r) => [
        r.meter_category,
        r.meter_subcategory,
        r.meter_name,
        r.meter_key,
        r.model,
        r.media,
        r.redundancy,
        r.access_tier,
        r.is_free_companion,
      ]),
    ).toEqual(MAPPED);
    expect(new Set(rows.map((r) => r.classification))).toEqual(new Set(['mapped']));
  });

  it('keeps unknown Files meters as unmapped and other meters as ignored, with the reason', async () => {
    for (const [i, [category, subcategory, name, chargeType]] of NOT_MAPPED.entries()) {
      await insertLine(wh, {
        source_line: i + 2,
        meter_category: category,
        meter_subcategory: subcategory,
        meter_name: name,
        charge_type: chargeType,
      });
    }
    const report = await buildBilledUsage(wh);
    expect(report).toEqual({ lines: 10, mappedLines: 0, knownLines: 1, unmappedLines: 2, ignoredLines: 7 });
    const rows = await wh.rows<Record<string, unknown>>(
      `select meter_category, meter_subcategory, meter_name, charge_type, classification, classification_reason, meter_key
       from billed_line_meter order by source_line`,
    );
    expect(rows).toEqual(
      NOT_MAPPED.map(([category, subcategory, name, chargeType, classification, reason]) => ({
        meter_category: category,
        meter_subcategory: subcategory,
        meter_name: name,
        charge_type: chargeType,
        classification,
        classification_reason: expect.stringContaining(reason) as unknown,
        meter_key: null,
      })),
    );
    expect(await wh.row('select count(*)::varchar as n from billed_usage')).toEqual({ n: '0' });
  });

  it('prefers a meter_id row over any pattern row, then the highest priority', async () => {
    await loadMeterCatalog(wh, join(import.meta.dirname, '..', 'fixtures', 'billed', 'catalog-meter-id.csv'));
    await insertLine(wh, { source_line: 2, meter_id: '6a9c4e2b-0d1f-4c53-9b7e-2f1a8d3c4b5e' });
    await insertLine(wh, { source_line: 3, meter_id: '00000000-0000-4000-8000-000000000000' });
    await buildBilledUsage(wh);
    expect(
      await wh.rows(
        'select source_line, meter_key, media, redundancy, candidate_count from billed_line_meter order by 1',
      ),
    ).toEqual([
      // the id decides the key; media and redundancy come from the line's name, never from the id
      { source_line: '2', meter_key: 'v2.soft_deleted', media: 'ssd', redundancy: 'lrs', candidate_count: '3' },
      { source_line: '3', meter_key: 'v2.overflow_snapshot', media: 'ssd', redundancy: 'lrs', candidate_count: '2' },
    ]);
  });

  it('sees a catalog reload without rebuilding the view', async () => {
    await insertLine(wh, {
      source_line: 2,
      meter_subcategory: 'Premium Files',
      meter_name: 'Premium LRS Burst Bandwidth',
    });
    await buildBilledUsage(wh);
    expect(await wh.row('select classification from billed_line_meter')).toEqual({ classification: 'known' });
    await loadMeterCatalog(wh, join(import.meta.dirname, '..', 'fixtures', 'billed', 'catalog-meter-id.csv'));
    expect(await wh.row('select classification from billed_line_meter')).toEqual({ classification: 'unmapped' });
    await insertLine(wh, { source_line: 3 });
    expect(await wh.row('select meter_key from billed_line_meter where source_line = 3')).toEqual({
      meter_key: 'v2.overflow_snapshot',
    });
  });
});

// Unit strings as Azure writes them for Files and snapshot meters, in every source (retail price list, EA/MCA
// exports, the Consumption API's '1 /Month' with a space): each must resolve to the right pricing block and
// distinct unit through the ingest's real path (PricingUnits.csv first, then the fallback parser), and the
// fallback parser alone must agree, so a future PricingUnits.csv that drops a string changes nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnitOfMeasure } from '../../src/billing/units.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { resolveUnits } from '../../src/ingest/file-ingest.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const PRICING_UNITS_CSV = join(import.meta.dirname, '..', '..', 'data', 'finops-toolkit', 'PricingUnits.csv');

// [UnitOfMeasure, block size, distinct unit, where Azure writes it (data/azure-retail-meters/SOURCES.md)]
const AZURE_UNITS: [string, string, string, string][] = [
  ['1 GB/Month', '1', 'GB/Month', 'payg Data Stored / Metadata, v1 Provisioned / Snapshots, disk snapshots'],
  ['1 /Month', '1', 'Units/Month', 'Consumption API (space before the slash)'],
  ['1/Month', '1', 'Units/Month', 'retail API and EA samples; File Sync servers'],
  ['1 GiB/Hour', '1', 'GiB/Hour', 'v2 Provisioned Storage, Overflow Snapshot Usage, Soft-Deleted Usage'],
  ['10K', '10000', 'Units', 'payg transaction meters'],
  ['1M', '1000000', 'Units', 'v1 Premium LRS Burst Transactions'],
  ['1 GB', '1', 'GB', 'Cool Data Retrieval, Geo-Replication Data Transfer'],
  ['1 GiB', '1', 'GiB', 'v1 Premium LRS Burst Bandwidth'],
  ['1/Hour', '1', 'Units/Hour', 'v2 Provisioned IOPS / Throughput MiBPS (and their Free companions)'],
  ['1 GB/Hour', '1', 'GB/Hour', 'Instant Access Snapshots LRS'],
  ['1 TB', '1', 'TB', 'Instant Access Snapshots LRS Disk Capacity Restored'],
];

describe('Azure unit strings', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openTestWarehouse();
    await wh.runFile('ingest/pricing_unit.sql', { path: PRICING_UNITS_CSV });
    await wh.run('create temp table ingest_delivery_row (unit_of_measure varchar)');
    for (const [unit] of AZURE_UNITS) {
      await wh.run('insert into ingest_delivery_row values ($unit)', { unit });
    }
    await resolveUnits(wh);
  });
  afterAll(() => {
    wh.close();
  });

  it.each(AZURE_UNITS)('%s → block %s of %s through the ingest (%s)', async (unit, blockSize, distinctUnit) => {
    expect(
      await wh.row(
        `select pricing_block_size::decimal(38, 0)::varchar as block, distinct_unit from ingest_unit
         where unit_of_measure = $unit`,
        { unit },
      ),
    ).toEqual({ block: blockSize, distinct_unit: distinctUnit });
  });

  it.each(AZURE_UNITS)('%s → block %s of %s by the fallback parser alone', (unit, blockSize, distinctUnit) => {
    expect(parseUnitOfMeasure(unit)).toEqual({ blockSize, distinctUnit });
  });
});

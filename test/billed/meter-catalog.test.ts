import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMeterCatalog, METER_CATALOG_PATH, parseMeterCatalog } from '../../src/billing/meter-catalog.ts';
import { METER_KEYS } from '../../src/billing/meters.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'billed');

describe('meter catalog', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  it('loads every data line of data/meter-catalog.csv, and reloading replaces them', async () => {
    const text = await readFile(METER_CATALOG_PATH, 'utf8');
    const dataLines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length - 1;
    expect(await loadMeterCatalog(wh)).toBe(dataLines);
    expect(await loadMeterCatalog(wh)).toBe(dataLines);
    const counts = await wh.row<{ rows: string; keys: string; units: string }>(
      `select (select count(*) from meter_catalog)::varchar as rows,
              (select count(distinct meter_key) from meter_catalog)::varchar as keys,
              (select count(*) from meter_key_unit)::varchar as units`,
    );
    // Every canonical key has at least one catalog row, and a unit row.
    expect(counts).toEqual({
      rows: String(dataLines),
      keys: String(METER_KEYS.length),
      units: String(METER_KEYS.length),
    });
  });

  it('loads the retail list prices with the catalog, exactly (E-notation included), per region', async () => {
    await loadMeterCatalog(wh);
    expect(
      await wh.rows(
        `select product, meter_name, unit_of_measure, region, currency, retail_price::varchar as price
         from retail_meter_price
         where meter_name in ('HDD LRS Soft-Deleted Usage', 'Premium LRS Provisioned') and region in ('westeurope', 'eastus2')
         order by all`,
      ),
    ).toEqual([
      {
        product: 'Azure Files Provisioned v2',
        meter_name: 'HDD LRS Soft-Deleted Usage',
        unit_of_measure: '1 GiB/Hour',
        region: 'westeurope',
        currency: 'USD',
        price: '0.000013000000000000', // written 1.3e-05
      },
      {
        product: 'Premium Files',
        meter_name: 'Premium LRS Provisioned',
        unit_of_measure: '1 GB/Month',
        region: 'eastus2', // from 'retailPrice eastus=0.16;eastus2=0.16'
        currency: 'USD',
        price: '0.160000000000000000',
      },
      {
        product: 'Premium Files',
        meter_name: 'Premium LRS Provisioned',
        unit_of_measure: '1 GB/Month',
        region: 'westeurope',
        currency: 'USD',
        price: '0.192000000000000000',
      },
    ]);
  });

  it('records each row with its physical line number and the key units from meters.ts', async () => {
    await loadMeterCatalog(wh);
    const free = await wh.rows(
      `select catalog_line, meter_key, is_free_companion from meter_catalog
       where name_pattern = '\\bprovisioned iops free$'`,
    );
    const firstDataLine = (await readFile(METER_CATALOG_PATH, 'utf8'))
      .split('\n')
      .findIndex((l) => l.includes('provisioned iops free$'));
    expect(free).toEqual([
      { catalog_line: firstDataLine + 1, meter_key: 'v2.provisioned_iops', is_free_companion: true },
    ]);
    expect(
      await wh.rows(
        `select meter_key, meter_unit, key_block_size, key_block_reciprocal, expected_time_basis from meter_key_unit
         where meter_key in ('payg.write_ops', 'v2.provisioned_storage', 'v1.provisioned') order by meter_key`,
      ),
    ).toEqual([
      {
        meter_key: 'payg.write_ops',
        meter_unit: '10,000-transaction buckets',
        key_block_size: '10000.0000000000',
        key_block_reciprocal: '0.0001000000',
        expected_time_basis: 'none',
      },
      {
        meter_key: 'v1.provisioned',
        meter_unit: 'GiB-months',
        key_block_size: '1.0000000000',
        key_block_reciprocal: '1.0000000000',
        expected_time_basis: 'month',
      },
      {
        meter_key: 'v2.provisioned_storage',
        meter_unit: 'GiB-hours',
        key_block_size: '1.0000000000',
        key_block_reciprocal: '1.0000000000',
        expected_time_basis: 'hour',
      },
    ]);
  });

  it('rejects an unknown meter key, naming the file and line', async () => {
    const path = join(FIXTURES, 'catalog-unknown-key.csv');
    await expect(loadMeterCatalog(wh, path)).rejects.toThrow(InputError);
    await expect(loadMeterCatalog(wh, path)).rejects.toThrow(
      `${path}:5: meter_key 'v2.provisioned_thruput' is not a canonical meter key`,
    );
    // Nothing was loaded: a bad catalog never half-replaces a good one.
    expect(await wh.row('select count(*)::varchar as n from meter_catalog')).toEqual({ n: '0' });
  });

  it('rejects a pattern RE2 cannot compile, naming the line and column', async () => {
    const path = join(FIXTURES, 'catalog-bad-pattern.csv');
    await loadMeterCatalog(wh); // a good catalog first: it must survive the failed reload
    await expect(loadMeterCatalog(wh, path)).rejects.toThrow(
      `${path}:3: name_pattern '(provisioned iops$' is not a valid RE2 pattern: `,
    );
    expect(
      await wh.row("select count(*) > 30 as kept from meter_catalog where source_path not like '%fixtures%'"),
    ).toEqual({ kept: true });
  });

  it('rejects a model that is not the meter key’s model', async () => {
    const path = join(FIXTURES, 'catalog-model-mismatch.csv');
    await expect(loadMeterCatalog(wh, path)).rejects.toThrow(
      `${path}:2: model 'v2' does not match v1.provisioned (model v1)`,
    );
  });

  it.each([
    [
      '1,,^storage$,,x,reconciled,v2.provisioned_storage,v2,*,*,,maybe,',
      ":2: is_free_companion 'maybe' must be true or false",
    ],
    [
      '1,,^storage$,,x,reconciled,v2.provisioned_storage,v2,*,*,,true,',
      ':2: v2.provisioned_storage has no free companion meter',
    ],
    ['1,,,,,reconciled,v2.provisioned_storage,v2,*,*,,false,', ':2: a row needs a meter_id or at least one pattern'],
    ['1,not-a-guid,,,,reconciled,v2.provisioned_storage,v2,*,*,,false,', ":2: meter_id 'not-a-guid' is not a GUID"],
    ['high,,^storage$,,x,reconciled,v2.provisioned_storage,v2,*,*,,false,', ":2: priority 'high' is not an integer"],
    [
      '1,,^storage$,,x,reconciled,payg.data_stored,payg,hdd,*,archive,false,',
      ":2: access_tier 'archive' is not one of",
    ],
    ['1,,^storage$,,x,reconciled,payg.data_stored,payg,hdd,ra-grs,,false,', ":2: redundancy 'ra-grs' is not one of"],
    ['1,,^storage$,,x,reconciled,payg.data_stored,payg,hdd,lrs,,false', ':2: expected 13 fields, found 12'],
    ['1,,^storage$,,"x,reconciled,payg.data_stored,payg,hdd,lrs,,false,', ':2: unterminated quoted field'],
    // a meter id covers several skus, products and regions: it never fixes media, redundancy or tier
    [
      '1,6a9c4e2b-0d1f-4c53-9b7e-2f1a8d3c4b5e,,,,reconciled,payg.read_ops,payg,hdd,grs,transaction_optimized,false,',
      ':2: a meter id is not unique to a sku, so a meter_id row cannot fix media, redundancy, access_tier',
    ],
    ['1,,^storage$,,x,maybe,v2.provisioned_storage,v2,*,*,,false,', ":2: verdict 'maybe' is not one of"],
    ['1,,^storage$,,x,,v2.provisioned_storage,v2,*,*,,false,', ':2: verdict is required'],
    [
      '1,,^storage$,,x,not_ours,v2.provisioned_storage,v2,*,*,,false,',
      ':2: a not_ours row maps to no meter key; leave meter_key, model, media, redundancy empty',
    ],
  ])('rejects the data line %s', (line, message) => {
    const header =
      'priority,meter_id,category_pattern,subcategory_pattern,name_pattern,verdict,meter_key,model,media,redundancy,access_tier,is_free_companion,note';
    expect(() => parseMeterCatalog(`${header}\n${line}\n`, 'cat.csv')).toThrow(`cat.csv${message}`);
  });

  it('rejects a wrong header and a repeated meter id', () => {
    expect(() => parseMeterCatalog('priority,meter_key\n', 'cat.csv')).toThrow('cat.csv:1: header must be priority,');
    const header =
      'priority,meter_id,category_pattern,subcategory_pattern,name_pattern,verdict,meter_key,model,media,redundancy,access_tier,is_free_companion,note';
    const row = '1,6A9C4E2B-0D1F-4C53-9B7E-2F1A8D3C4B5E,,,,reconciled,v2.soft_deleted,v2,*,*,,false,';
    expect(() => parseMeterCatalog(`# c\n${header}\n${row}\n\n${row}\n`, 'cat.csv')).toThrow(
      'cat.csv:5: meter_id 6a9c4e2b-0d1f-4c53-9b7e-2f1a8d3c4b5e is already mapped on line 3',
    );
  });
});

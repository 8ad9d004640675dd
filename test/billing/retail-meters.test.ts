// Every real Files, geo-replication and snapshot meter of the Azure retail price list (and of real cost data),
// vendored in data/azure-retail-meters/meters.csv, against the catalog's verdict.
//
// The expected verdicts below are written from the data, not from the catalog: `expectedVerdict` reads the
// retail product (= the billed MeterSubCategory, SOURCES.md) and the meter name with its own rules, one branch per
// product family, and was reviewed against every distinct (product, sku, meter name) of meters.csv. It states an
// attribute only where the meter NAME states it (a billed line carries no sku): 'LRS Metadata' has no tier, 'Hot
// Read Operations' no redundancy, bare 'Read Operations' neither. A pay-as-you-go name with a redundancy but no
// tier word ('LRS Data Stored', 'ZRS Read Operations') is the transaction-optimized form: in the list every hot and
// cool meter except Metadata spells its tier, and those names appear only under the 'Standard …' skus.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBilledUsage } from '../../src/billed/index.ts';
import { parseUnitOfMeasure } from '../../src/billing/units.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { insertDelivery, insertLine } from '../billed/helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const METERS_CSV = join(import.meta.dirname, '..', '..', 'data', 'azure-retail-meters', 'meters.csv');

type RetailRow = {
  source_id: string;
  product_or_subcategory: string;
  meter_name: string;
  sku_name: string;
  unit_of_measure: string;
  meter_id: string;
};

type Verdict =
  | {
      kind: 'reconciled';
      key: string;
      model: string;
      media: string | null;
      redundancy: string | null;
      tier: string | null;
      free: boolean;
    }
  | { kind: 'not_reconciled' }
  | { kind: 'not_ours' };

const NOT_RECONCILED = { kind: 'not_reconciled' } as const;
const NOT_OURS = { kind: 'not_ours' } as const;

const REDUNDANCY_WORD = /\b(LRS|ZRS|GRS|GZRS)\b/;

function redundancyOf(name: string): string | null {
  return REDUNDANCY_WORD.exec(name)?.[1]?.toLowerCase() ?? null;
}

/** The verdict a row must get, from its product and meter name; throws on a row no rule covers. */
function expectedVerdict(row: RetailRow): Verdict {
  const product = row.product_or_subcategory;
  const name = row.meter_name;
  const fail = (): never => {
    throw new Error(`no expectation for ${product} / ${row.sku_name} / ${name}`);
  };
  switch (product) {
    case 'Azure Files Provisioned v2': {
      // '<SSD|HDD> <LRS|ZRS|GRS|GZRS> <meter>'
      const m = /^(SSD|HDD) (LRS|ZRS|GRS|GZRS) (.+)$/.exec(name) ?? fail();
      const [, media = '', redundancy = '', meter] = m;
      const keys: Record<string, [string, boolean]> = {
        'Provisioned Storage': ['v2.provisioned_storage', false],
        'Provisioned IOPS': ['v2.provisioned_iops', false],
        'Provisioned IOPS Free': ['v2.provisioned_iops', true],
        'Provisioned Throughput MiBPS': ['v2.provisioned_throughput', false],
        'Provisioned Throughput MiBPS Free': ['v2.provisioned_throughput', true],
        'Overflow Snapshot Usage': ['v2.overflow_snapshot', false],
        'Soft-Deleted Usage': ['v2.soft_deleted', false],
      };
      const [key, free] = keys[meter ?? ''] ?? fail();
      return {
        kind: 'reconciled',
        key,
        model: 'v2',
        media: media.toLowerCase(),
        redundancy: redundancy.toLowerCase(),
        tier: null,
        free,
      };
    }
    case 'Premium Files': {
      const m = /^Premium (LRS|ZRS) (Provisioned|Snapshots|Burst Bandwidth|Burst Transactions)$/.exec(name) ?? fail();
      if (m[2] === 'Burst Bandwidth' || m[2] === 'Burst Transactions') return NOT_RECONCILED; // v1 paid bursting
      return {
        kind: 'reconciled',
        key: m[2] === 'Provisioned' ? 'v1.provisioned' : 'v1.snapshots',
        model: 'v1',
        media: 'ssd',
        redundancy: (m[1] ?? '').toLowerCase(),
        tier: null,
        free: false,
      };
    }
    case 'Files':
    case 'Files v2': {
      const suffixes: [RegExp, string][] = [
        [/ ?Data Stored$/, 'payg.data_stored'],
        [/ ?Metadata$/, 'payg.metadata'],
        [/ ?Write Operations$/, 'payg.write_ops'],
        [/ ?List Operations$/, 'payg.list_ops'],
        [/ ?Read Operations$/, 'payg.read_ops'],
        [/ ?(Other|Protocol) Operations$/, 'payg.other_ops'],
        [/ ?Delete Operations$/, 'payg.delete_ops'],
        [/ ?Data Retrieval$/, 'payg.data_retrieval'],
      ];
      const found = suffixes.find(([suffix]) => suffix.test(name)) ?? fail();
      const [suffix, key] = found;
      const prefix = name.replace(suffix, ''); // e.g. 'Hot LRS', 'Cool', 'LRS', 'GZRS', ''
      if (!/^((Hot|Cool)( (LRS|ZRS|GRS|GZRS))?|LRS|ZRS|GRS|GZRS|)$/.test(prefix)) fail();
      const tierWord = /^(Hot|Cool)\b/.exec(prefix)?.[1]?.toLowerCase() ?? null;
      const redundancy = redundancyOf(prefix);
      const tier = tierWord ?? (redundancy !== null && key !== 'payg.metadata' ? 'transaction_optimized' : null);
      return { kind: 'reconciled', key, model: 'payg', media: 'hdd', redundancy, tier, free: false };
    }
    case 'Files Reserved Capacity':
    case 'Premium Files Reserved Capacity':
      return NOT_RECONCILED; // reservation purchases
    case 'File Sync':
      return NOT_RECONCILED;
    case 'Storage - Bandwidth':
      if (name === 'Geo-Replication v2 Data Transfer' || name === 'Geo-Replication Data Transfer') {
        // the name states neither media nor redundancy (blob GRS accounts bill it too)
        return {
          kind: 'reconciled',
          key: 'payg.geo_replication',
          model: 'payg',
          media: null,
          redundancy: null,
          tier: null,
          free: false,
        };
      }
      return fail();
    case 'Standard HDD Managed Disks':
    case 'Standard HDD managed disks':
    case 'Premium SSD Managed Disks':
    case 'Standard SSD Managed Disks': {
      if (name === 'Disk Operations') return NOT_RECONCILED;
      const m = /^(?:Snapshots )?(LRS|ZRS) [Ss]napshots$/.exec(name) ?? fail();
      return {
        kind: 'reconciled',
        key: 'disk.incremental_snapshot',
        model: 'disk',
        media: product.startsWith('Standard HDD') ? 'hdd' : 'ssd',
        redundancy: (m[1] ?? '').toLowerCase(),
        tier: null,
        free: false,
      };
    }
    case 'Premium Page Blob':
      return NOT_OURS; // unmanaged page-blob snapshots
    case 'Ultra Disks':
    case 'Azure Premium SSD v2':
      if (name.startsWith('Instant Access Snapshots')) return NOT_RECONCILED;
      return fail();
    default:
      return fail();
  }
}

describe('the meter catalog against every real meter (data/azure-retail-meters/meters.csv)', () => {
  let wh: Warehouse;
  let rows: RetailRow[];
  let verdicts: Map<number, Record<string, unknown>>;

  beforeAll(async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1');
    rows = await wh.rows<RetailRow>(
      `select source_id, coalesce(product_or_subcategory, '') as product_or_subcategory, meter_name,
              coalesce(sku_name, '') as sku_name, coalesce(unit_of_measure, '') as unit_of_measure,
              coalesce(meter_id, '') as meter_id
       from read_csv($path, header = true, all_varchar = true, quote = '"', escape = '"')`,
      { path: METERS_CSV },
    );
    for (const [i, row] of rows.entries()) {
      const unit = parseUnitOfMeasure(row.unit_of_measure);
      await insertLine(wh, {
        source_line: i + 2,
        meter_category: 'Storage', // MeterCategory of every Files and snapshot meter (export-formats §3)
        meter_subcategory: row.product_or_subcategory || null,
        meter_name: row.meter_name,
        // an id shared by several skus, products and regions decides nothing (SOURCES.md)
        meter_id: row.meter_id.split(';')[0] || null,
        unit_of_measure: row.unit_of_measure || null,
        pricing_block_size: unit?.blockSize ?? null,
        distinct_unit: unit?.distinctUnit ?? null,
      });
    }
    await buildBilledUsage(wh);
    const classified = await wh.rows<Record<string, unknown>>(
      `select source_line, classification, meter_key, model, media, redundancy, access_tier, is_free_companion
       from billed_line_meter`,
    );
    verdicts = new Map(classified.map((r) => [Number(r.source_line) - 2, r]));
  });
  afterAll(() => {
    wh.close();
  });

  it('reads all 708 rows; only the 21 generic names of Microsoft docs have no product', () => {
    expect(rows).toHaveLength(708);
    const generic = rows.filter((r) => r.product_or_subcategory === '');
    expect(generic).toHaveLength(21);
    expect(new Set(generic.map((r) => r.source_id))).toEqual(new Set(['DOC-FILES']));
  });

  it('gives every row with a product the verdict written for it', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const [i, row] of rows.entries()) {
      if (row.product_or_subcategory === '') continue;
      checked++;
      const expected = expectedVerdict(row);
      const got = verdicts.get(i);
      const actual: Verdict | string =
        got?.classification === 'mapped'
          ? {
              kind: 'reconciled',
              key: String(got.meter_key),
              model: String(got.model),
              media: (got.media as string | null) ?? null,
              redundancy: (got.redundancy as string | null) ?? null,
              tier: (got.access_tier as string | null) ?? null,
              free: got.is_free_companion === true,
            }
          : got?.classification === 'known'
            ? NOT_RECONCILED
            : got?.classification === 'ignored'
              ? NOT_OURS
              : `classification ${String(got?.classification)}`;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(
          `${row.product_or_subcategory} | ${row.sku_name} | ${row.meter_name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
        );
      }
    }
    expect(checked).toBe(687);
    expect([...new Set(mismatches)]).toEqual([]);
  });

  it('covers every family: each verdict kind and every canonical key occurs', () => {
    const kinds = new Set(
      rows
        .filter((r) => r.product_or_subcategory !== '')
        .map((r) => {
          const v = expectedVerdict(r);
          return v.kind === 'reconciled' ? v.key : v.kind;
        }),
    );
    expect([...kinds].sort()).toEqual([
      'disk.incremental_snapshot',
      'not_ours',
      'not_reconciled',
      'payg.data_retrieval',
      'payg.data_stored',
      'payg.delete_ops',
      'payg.geo_replication',
      'payg.list_ops',
      'payg.metadata',
      'payg.other_ops',
      'payg.read_ops',
      'payg.write_ops',
      'v1.provisioned',
      'v1.snapshots',
      'v2.overflow_snapshot',
      'v2.provisioned_iops',
      'v2.provisioned_storage',
      'v2.provisioned_throughput',
      'v2.soft_deleted',
    ]);
  });
});

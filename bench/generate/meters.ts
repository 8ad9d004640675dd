// How each Files and disk-snapshot charge appears in an export: meter name, subcategory, product, unit of measure,
// price and a stable meter GUID — the strings data/meter-catalog.csv maps (export-formats §3b/§3c): v2 'SSD LRS
// Provisioned Storage' (1 GiB/Hour), v1 'Premium LRS Provisioned' (1 GB/Month), pay-as-you-go 'Hot LRS Data Stored',
// 'LRS Protocol Operations' (10K), disks 'LRS Snapshots' under 'Standard HDD Managed Disks'. Also the meters the
// catalog does not know, for planted unmapped_meter charges. Prices are exact decimal strings (EUR).
import { createHash } from 'node:crypto';
import { csvField } from './csv.ts';
import { parseScaled, SCALE } from './exact.ts';
import type { Media, Model, Redundancy, Region, Tier } from './fleet.ts';

export type MeterKey =
  | 'v2.provisioned_storage'
  | 'v2.provisioned_iops'
  | 'v2.provisioned_throughput'
  | 'v2.overflow_snapshot'
  | 'v2.soft_deleted'
  | 'v1.provisioned'
  | 'v1.snapshots'
  | 'payg.data_stored'
  | 'payg.metadata'
  | 'payg.write_ops'
  | 'payg.list_ops'
  | 'payg.read_ops'
  | 'payg.other_ops'
  | 'disk.incremental_snapshot';

export interface MeterSpec {
  /** canonical key recon maps it to; null for a meter the catalog does not know */
  key: MeterKey | null;
  category: string;
  subcategory: string;
  name: string;
  /** EA Product / MCA ProductName / FOCUS x_SkuDescription */
  product: string;
  unit: string;
  /** PricingUnits.csv block size and distinct unit of `unit` (FOCUS x_PricingBlockSize, PricingUnit) */
  blockSize: bigint;
  distinctUnit: string;
  price: string;
  /** price × 10^16 */
  price16: bigint;
  meterId: string;
  /** MCA ProductId */
  productId: string;
  consumedService: string;
  serviceFamily: string;
  /** FOCUS ServiceName / ServiceCategory */
  serviceName: string;
  serviceCategory: string;
  /** EA/MCA AdditionalInfo (a JSON object, or '') */
  additionalInfo: string;
  /** FOCUS x_SkuDetails (a JSON object) */
  skuDetails: string;
  /** the text fields above as CSV fields (quoted where needed), escaped once per meter */
  csv: { name: string; subcategory: string; product: string; additionalInfo: string; skuDetails: string };
}

/** Adds the CSV-escaped copies of a meter's text fields. */
export function withCsvFields(meter: Omit<MeterSpec, 'csv'>): MeterSpec {
  return {
    ...meter,
    csv: {
      name: csvField(meter.name),
      subcategory: csvField(meter.subcategory),
      product: csvField(meter.product),
      additionalInfo: csvField(meter.additionalInfo),
      skuDetails: csvField(meter.skuDetails),
    },
  };
}

export interface MeterUnit {
  unit: string;
  blockSize: bigint;
  distinctUnit: string;
}

// PricingUnits.csv rows (export-formats §4) for every unit the generator writes.
export const UNITS = {
  gibHour: { unit: '1 GiB/Hour', blockSize: 1n, distinctUnit: 'GiB/Hour' },
  perHour: { unit: '1/Hour', blockSize: 1n, distinctUnit: 'Units/Hour' },
  gbMonth: { unit: '1 GB/Month', blockSize: 1n, distinctUnit: 'GB/Month' },
  perMonth: { unit: '1/Month', blockSize: 1n, distinctUnit: 'Units/Month' },
  tenK: { unit: '10K', blockSize: 10000n, distinctUnit: 'Units' },
  oneM: { unit: '1M', blockSize: 1000000n, distinctUnit: 'Units' },
  gb: { unit: '1 GB', blockSize: 1n, distinctUnit: 'GB' },
  hour: { unit: '1 Hour', blockSize: 1n, distinctUnit: 'Hours' },
} as const satisfies Record<string, MeterUnit>;

/** A deterministic GUID from text (meter ids, product ids): the first 128 bits of its sha256. */
export function guidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const REDUNDANCY_FACTOR: Record<Redundancy, string> = { lrs: '1', zrs: '1.25', grs: '2', gzrs: '2.5' };

/** base price (LRS) × the redundancy's factor, exactly, as a plain decimal string. */
function priceFor(base: string, redundancy: Redundancy): string {
  const scaled = (parseScaled(base) * parseScaled(REDUNDANCY_FACTOR[redundancy])) / SCALE;
  const whole = scaled / SCALE;
  const fraction = (scaled % SCALE).toString().padStart(16, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole}` : `${whole}.${fraction}`;
}

// EUR list prices per unit at LRS (third-party captures, export-formats §3b; exact values do not matter to recon).
const V2_PRICES: Record<Media, Record<string, string>> = {
  ssd: { storage: '0.000137', iops: '0.000037', mibps: '0.000054', overflow: '0.000137', soft: '0.000137' },
  hdd: { storage: '0.0000411', iops: '0.0000068', mibps: '0.0000108', overflow: '0.0000411', soft: '0.0000411' },
};
const PAYG_PRICES: Record<Tier, Record<string, string>> = {
  hot: { data: '0.0255', metadata: '0.0255', write: '0.065', list: '0.065', read: '0.0052', other: '0.0052' },
  cool: { data: '0.015', metadata: '0.0255', write: '0.13', list: '0.065', read: '0.013', other: '0.0052' },
  transaction_optimized: {
    data: '0.06',
    metadata: '0.06',
    write: '0.015',
    list: '0.015',
    read: '0.0015',
    other: '0.0015',
  },
};

export interface MeterOwner {
  model: Model | 'disk';
  media: Media;
  redundancy: Redundancy;
  tier: Tier | null;
  region: Region;
}

const cache = new Map<string, MeterSpec>();

function spec(
  owner: MeterOwner,
  key: MeterKey | null,
  fields: {
    subcategory: string;
    name: string;
    product: string;
    unit: MeterUnit;
    base: string;
    consumedService: string;
    serviceName: string;
    serviceCategory: string;
    info: Record<string, string>;
  },
): MeterSpec {
  const region = owner.region.display;
  const price = priceFor(fields.base, owner.redundancy);
  // Files and snapshot rows carry no AdditionalInfo in the exports seen; FOCUS x_SkuDetails names the SKU
  const info = JSON.stringify(fields.info);
  return withCsvFields({
    key,
    category: 'Storage',
    subcategory: fields.subcategory,
    name: fields.name,
    product: `${fields.product} - ${region}`,
    unit: fields.unit.unit,
    blockSize: fields.unit.blockSize,
    distinctUnit: fields.unit.distinctUnit,
    price,
    price16: parseScaled(price),
    meterId: guidOf(`meter|${fields.subcategory}|${fields.name}|${region}`),
    productId: `DZH318Z0${guidOf(`product|${fields.product}`).slice(0, 4).toUpperCase()}/00${guidOf(fields.name).slice(0, 2).toUpperCase()}`,
    consumedService: fields.consumedService,
    serviceFamily: 'Storage',
    serviceName: fields.serviceName,
    serviceCategory: fields.serviceCategory,
    additionalInfo: '',
    skuDetails: info,
  });
}

const upper = (r: Redundancy) => r.toUpperCase();

function tierPrefix(tier: Tier | null): string {
  return tier === 'hot' ? 'Hot ' : tier === 'cool' ? 'Cool ' : '';
}

function build(owner: MeterOwner, key: MeterKey): MeterSpec {
  const red = upper(owner.redundancy);
  if (owner.model === 'v2') {
    const media = owner.media.toUpperCase();
    const prices = V2_PRICES[owner.media];
    const v2 = (suffix: string, unit: MeterUnit, base: string, usage: string) =>
      spec(owner, key, {
        subcategory: 'Azure Files Provisioned v2',
        name: `${media} ${red} ${suffix}`,
        product: `Azure Files Provisioned v2 - ${media} ${red}`,
        unit,
        base,
        consumedService: 'Microsoft.Storage',
        serviceName: 'Storage Accounts',
        serviceCategory: 'Storage',
        info: { FileShareBillingModel: 'ProvisionedV2', MediaTier: media, UsageType: usage },
      });
    switch (key) {
      case 'v2.provisioned_storage':
        return v2('Provisioned Storage', UNITS.gibHour, prices.storage ?? '0', 'ProvisionedStorage');
      case 'v2.provisioned_iops':
        return v2('Provisioned IOPS', UNITS.perHour, prices.iops ?? '0', 'ProvisionedIOPS');
      case 'v2.provisioned_throughput':
        return v2('Provisioned Throughput MiBPS', UNITS.perHour, prices.mibps ?? '0', 'ProvisionedThroughput');
      case 'v2.overflow_snapshot':
        return v2('Overflow Snapshot Usage', UNITS.gibHour, prices.overflow ?? '0', 'OverflowSnapshotUsage');
      case 'v2.soft_deleted':
        return v2('Soft-Deleted Usage', UNITS.gibHour, prices.soft ?? '0', 'SoftDeletedUsage');
      default:
        break;
    }
  }
  if (owner.model === 'v1' && (key === 'v1.provisioned' || key === 'v1.snapshots')) {
    const provisioned = key === 'v1.provisioned';
    return spec(owner, key, {
      subcategory: 'Premium Files',
      name: `Premium ${red} ${provisioned ? 'Provisioned' : 'Snapshots'}`,
      product: `Premium Files - Premium ${red}`,
      unit: UNITS.gbMonth,
      base: provisioned ? '0.1536' : '0.1152',
      consumedService: 'Microsoft.Storage',
      serviceName: 'Storage Accounts',
      serviceCategory: 'Storage',
      info: { FileShareBillingModel: 'ProvisionedV1', UsageType: provisioned ? 'Provisioned' : 'Snapshots' },
    });
  }
  if (owner.model === 'payg') {
    const tier = owner.tier ?? 'transaction_optimized';
    const prefix = tierPrefix(owner.tier);
    const prices = PAYG_PRICES[tier];
    const product = `Files v2 - ${prefix === '' ? 'Standard ' : prefix}${red}`;
    const payg = (suffix: string, unit: MeterUnit, base: string) =>
      spec(owner, key, {
        subcategory: 'Files v2',
        name: `${prefix}${red} ${suffix}`,
        product,
        unit,
        base,
        consumedService: 'Microsoft.Storage',
        serviceName: 'Storage Accounts',
        serviceCategory: 'Storage',
        info: { FileShareBillingModel: 'PayAsYouGo', AccessTier: tier },
      });
    switch (key) {
      case 'payg.data_stored':
        return payg('Data Stored', UNITS.gbMonth, prices.data ?? '0');
      case 'payg.metadata':
        return payg('Metadata', UNITS.gbMonth, prices.metadata ?? '0');
      case 'payg.write_ops':
        return payg('Write Operations', UNITS.tenK, prices.write ?? '0');
      case 'payg.list_ops':
        return payg('List Operations', UNITS.tenK, prices.list ?? '0');
      case 'payg.read_ops':
        return payg('Read Operations', UNITS.tenK, prices.read ?? '0');
      case 'payg.other_ops':
        // transaction optimized calls it Protocol Operations (export-formats §3b)
        return payg(
          tier === 'transaction_optimized' ? 'Protocol Operations' : 'Other Operations',
          UNITS.tenK,
          prices.other ?? '0',
        );
      default:
        break;
    }
  }
  if (owner.model === 'disk' && key === 'disk.incremental_snapshot') {
    return spec(owner, key, {
      subcategory: 'Standard HDD Managed Disks',
      name: `${red} Snapshots`,
      product: `Standard HDD Managed Disks - Snapshots ${red}`,
      unit: UNITS.gbMonth,
      base: '0.05',
      consumedService: 'Microsoft.Compute',
      serviceName: 'Virtual Machines',
      serviceCategory: 'Compute',
      info: { SnapshotType: 'Incremental' },
    });
  }
  throw new Error(`no ${key} meter for a ${owner.model} resource`);
}

/** The meter a resource of this model, media, redundancy and tier is billed on for `key`. */
export function meterFor(owner: MeterOwner, key: MeterKey): MeterSpec {
  const id = `${owner.model}|${owner.media}|${owner.redundancy}|${owner.tier ?? ''}|${owner.region.name}|${key}`;
  let meter = cache.get(id);
  if (!meter) {
    meter = build(owner, key);
    cache.set(id, meter);
  }
  return meter;
}

/** A Files or snapshot meter the catalog does not know (a planted unmapped_meter charge). */
export function unmappedMeterFor(owner: MeterOwner): MeterSpec {
  const red = upper(owner.redundancy);
  const id = `unmapped|${owner.model}|${owner.media}|${owner.redundancy}|${owner.tier ?? ''}|${owner.region.name}`;
  let meter = cache.get(id);
  if (meter) return meter;
  switch (owner.model) {
    case 'v2': {
      const media = owner.media.toUpperCase();
      meter = spec(owner, null, {
        subcategory: 'Azure Files Provisioned v2',
        name: `${media} ${red} Paid Bursting IOPS`,
        product: `Azure Files Provisioned v2 - ${media} ${red}`,
        unit: UNITS.perHour,
        base: '0.000012',
        consumedService: 'Microsoft.Storage',
        serviceName: 'Storage Accounts',
        serviceCategory: 'Storage',
        info: { FileShareBillingModel: 'ProvisionedV2', UsageType: 'PaidBursting' },
      });
      break;
    }
    case 'v1':
      // not an Azure meter name: the catalog knows every real v1 meter (paid bursting is known, not reconciled)
      meter = spec(owner, null, {
        subcategory: 'Premium Files',
        name: `Premium ${red} Burst Credits`,
        product: `Premium Files - Premium ${red}`,
        unit: UNITS.oneM,
        base: '0.05',
        consumedService: 'Microsoft.Storage',
        serviceName: 'Storage Accounts',
        serviceCategory: 'Storage',
        info: { FileShareBillingModel: 'ProvisionedV1', UsageType: 'BurstTransactions' },
      });
      break;
    case 'payg':
      meter = spec(owner, null, {
        subcategory: 'Files v2',
        name: `${tierPrefix(owner.tier)}${red} Vault Transactions`,
        product: `Files v2 - ${tierPrefix(owner.tier) === '' ? 'Standard ' : tierPrefix(owner.tier)}${red}`,
        unit: UNITS.tenK,
        base: '0.05',
        consumedService: 'Microsoft.Storage',
        serviceName: 'Storage Accounts',
        serviceCategory: 'Storage',
        info: { FileShareBillingModel: 'PayAsYouGo' },
      });
      break;
    case 'disk':
      meter = spec(owner, null, {
        subcategory: 'Standard HDD Managed Disks',
        name: `${red} Snapshot Copy Operations`,
        product: `Standard HDD Managed Disks - Snapshots ${red}`,
        unit: UNITS.tenK,
        base: '0.0005',
        consumedService: 'Microsoft.Compute',
        serviceName: 'Virtual Machines',
        serviceCategory: 'Compute',
        info: { SnapshotType: 'Incremental' },
      });
      break;
  }
  cache.set(id, meter);
  return meter;
}

/** Another redundancy than the resource's, for a planted wrong_meter charge: LRS ↔ ZRS, geo-redundant → LRS. */
export function otherRedundancy(redundancy: Redundancy): Redundancy {
  return redundancy === 'lrs' ? 'zrs' : 'lrs';
}

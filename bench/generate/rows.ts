// Billed rows: one per billed resource, meter and usage day, the quantity written rounded to 16 decimals and the
// cost = written quantity × unit price, rounded to 16 decimals (exports state cost = quantity × effective price).
import type { DiskSnapshot } from './disks.ts';
import { snapshotHours } from './disks.ts';
import { multiplyScaled, toScaled } from './exact.ts';
import type { FilesResource, RowResource } from './fleet.ts';
import { meterFor, type MeterKey, type MeterOwner, type MeterSpec } from './meters.ts';
import { BUCKETS } from './transactions.ts';
import { Acc, hourlyGibDenominator, monthlyDenominator } from './usage.ts';

export interface Row {
  day: number;
  resource: RowResource;
  meter: MeterSpec;
  /** quantity × 10^16 */
  quantity16: bigint;
  /** cost × 10^16 */
  cost16: bigint;
}

export function rowOf(day: number, resource: RowResource, meter: MeterSpec, quantity16: bigint): Row {
  return { day, resource, meter, quantity16, cost16: multiplyScaled(quantity16, meter.price16) };
}

// each resource bills on a handful of meters: look them up once per resource, not once per row
const resourceMeters = new WeakMap<object, Map<MeterKey, MeterSpec>>();

function meterOf(resource: object, owner: MeterOwner, key: MeterKey): MeterSpec {
  let meters = resourceMeters.get(resource);
  if (!meters) {
    meters = new Map();
    resourceMeters.set(resource, meters);
  }
  let meter = meters.get(key);
  if (!meter) {
    meter = meterFor(owner, key);
    meters.set(key, meter);
  }
  return meter;
}

export function ownerOf(resource: FilesResource): MeterOwner {
  return {
    model: resource.model,
    media: resource.media,
    redundancy: resource.redundancy,
    tier: resource.tier,
    region: resource.placement.region,
  };
}

export function snapshotOwner(snapshot: DiskSnapshot): MeterOwner {
  return {
    model: 'disk',
    media: 'hdd',
    redundancy: snapshot.disk.redundancy,
    tier: null,
    region: snapshot.placement.region,
  };
}

/** The meter a resource's plants aim at: the charge every day of it has. */
export function primaryKey(model: MeterOwner['model']): MeterKey {
  switch (model) {
    case 'v2':
      return 'v2.provisioned_storage';
    case 'v1':
      return 'v1.provisioned';
    case 'payg':
      return 'payg.data_stored';
    case 'disk':
      return 'disk.incremental_snapshot';
  }
}

/** A Files resource's rows for one day, from its accumulated numerators and (pay-as-you-go) transaction totals. */
export function resourceDayRows(
  resource: FilesResource,
  day: number,
  acc: readonly bigint[],
  transactions: readonly number[] | null,
  monthDays: number,
): Row[] {
  const owner = ownerOf(resource);
  const rows: Row[] = [];
  const add = (key: MeterKey, numerator: bigint | undefined, denominator: bigint) => {
    if (numerator === undefined || numerator <= 0n) return;
    rows.push(rowOf(day, resource, meterOf(resource, owner, key), toScaled(numerator, denominator)));
  };
  if (resource.model === 'v2') {
    add('v2.provisioned_storage', acc[Acc.V2Storage], 1n);
    add('v2.provisioned_iops', acc[Acc.V2Iops], 1n);
    add('v2.provisioned_throughput', acc[Acc.V2Mibps], 1n);
    add('v2.overflow_snapshot', acc[Acc.V2Overflow], hourlyGibDenominator());
    add('v2.soft_deleted', acc[Acc.V2SoftDeleted], hourlyGibDenominator());
  } else if (resource.model === 'v1') {
    add('v1.provisioned', acc[Acc.V1Provisioned], monthlyDenominator(monthDays));
    add('v1.snapshots', acc[Acc.V1Snapshots], monthlyDenominator(monthDays));
  } else {
    add('payg.data_stored', acc[Acc.PaygData], monthlyDenominator(monthDays));
    add('payg.metadata', acc[Acc.PaygMetadata], monthlyDenominator(monthDays));
    BUCKETS.forEach((key, bucket) => {
      add(key, BigInt(transactions?.[bucket] ?? 0), 10000n);
    });
  }
  return rows;
}

/** A disk snapshot's row for one day (none when it does not exist that day). */
export function snapshotDayRows(snapshot: DiskSnapshot, day: number, monthDays: number): Row[] {
  const hours = snapshotHours(snapshot, day);
  if (hours === 0) return [];
  // all snapshots of a disk bill on the same meter
  const meter = meterOf(snapshot.disk, snapshotOwner(snapshot), 'disk.incremental_snapshot');
  const numerator = BigInt(snapshot.usedBytes) * BigInt(hours);
  return [rowOf(day, snapshot, meter, toScaled(numerator, monthlyDenominator(monthDays)))];
}

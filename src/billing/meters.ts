// The canonical meter keys of the public contract (spec/contract.md). Every expected and billed row carries one.

export const METER_KEYS = [
  'v2.provisioned_storage',
  'v2.provisioned_iops',
  'v2.provisioned_throughput',
  'v2.overflow_snapshot',
  'v2.soft_deleted',
  'v1.provisioned',
  'v1.snapshots',
  'payg.data_stored',
  'payg.metadata',
  'payg.write_ops',
  'payg.list_ops',
  'payg.read_ops',
  'payg.other_ops',
  'payg.delete_ops',
  'payg.data_retrieval',
  'payg.geo_replication',
  'disk.incremental_snapshot',
] as const;

export type MeterKey = (typeof METER_KEYS)[number];

/** How a meter's units relate to time: the key to unit_mismatch detection and to the recompute rules. */
export type MeterUnitKind =
  | 'hourly_units' // the amount is emitted every hour: quantity per day = amount × 24
  | 'monthly_units' // amount ÷ (24 × days in month) every hour: a whole month sums to the amount
  | 'count_10k' // transactions in buckets of 10,000
  | 'plain_gib'; // GiB transferred or read, no time dimension

export interface MeterDefinition {
  model: 'v2' | 'v1' | 'payg' | 'disk';
  unitKind: MeterUnitKind;
  /** The unit of the key's quantity, as the contract states it. */
  unit: string;
}

export const METERS: Record<MeterKey, MeterDefinition> = {
  'v2.provisioned_storage': { model: 'v2', unitKind: 'hourly_units', unit: 'GiB-hours' },
  'v2.provisioned_iops': { model: 'v2', unitKind: 'hourly_units', unit: 'IOPS-hours' },
  'v2.provisioned_throughput': { model: 'v2', unitKind: 'hourly_units', unit: 'MiB/s-hours' },
  'v2.overflow_snapshot': { model: 'v2', unitKind: 'hourly_units', unit: 'GiB-hours' },
  'v2.soft_deleted': { model: 'v2', unitKind: 'hourly_units', unit: 'GiB-hours' },
  'v1.provisioned': { model: 'v1', unitKind: 'monthly_units', unit: 'GiB-months' },
  'v1.snapshots': { model: 'v1', unitKind: 'monthly_units', unit: 'GiB-months' },
  'payg.data_stored': { model: 'payg', unitKind: 'monthly_units', unit: 'GiB-months' },
  'payg.metadata': { model: 'payg', unitKind: 'monthly_units', unit: 'GiB-months' },
  'payg.write_ops': { model: 'payg', unitKind: 'count_10k', unit: '10,000-transaction buckets' },
  'payg.list_ops': { model: 'payg', unitKind: 'count_10k', unit: '10,000-transaction buckets' },
  'payg.read_ops': { model: 'payg', unitKind: 'count_10k', unit: '10,000-transaction buckets' },
  'payg.other_ops': { model: 'payg', unitKind: 'count_10k', unit: '10,000-transaction buckets' },
  'payg.delete_ops': { model: 'payg', unitKind: 'count_10k', unit: '10,000-transaction buckets' },
  'payg.data_retrieval': { model: 'payg', unitKind: 'plain_gib', unit: 'GiB' },
  'payg.geo_replication': { model: 'payg', unitKind: 'plain_gib', unit: 'GiB' },
  'disk.incremental_snapshot': { model: 'disk', unitKind: 'monthly_units', unit: 'GiB-months' },
};

export function isMeterKey(value: string): value is MeterKey {
  return (METER_KEYS as readonly string[]).includes(value);
}

/** The unit a meter key's quantities are in; null for no key or a name that is not a meter key (unknown). */
export function meterUnit(meter: string | null): string | null {
  return meter !== null && isMeterKey(meter) ? METERS[meter].unit : null;
}

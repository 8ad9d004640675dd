// The rows of the Parquet `meter` dimension: every canonical meter key with its model and unit (src/billing/meters.ts,
// the one list of keys) and a description for a dashboard's legend. Record<MeterKey, …> makes a new key without a
// description a type error.
import { METERS, METER_KEYS, type MeterKey } from '../billing/meters.ts';

const DESCRIPTION: Record<MeterKey, string> = {
  'v2.provisioned_storage': 'Provisioned v2 file share: storage provisioned, billed each hour',
  'v2.provisioned_iops': 'Provisioned v2 file share: IOPS provisioned, billed each hour',
  'v2.provisioned_throughput': 'Provisioned v2 file share: throughput (MiB/s) provisioned, billed each hour',
  'v2.overflow_snapshot':
    'Provisioned v2 file share: live data plus snapshot differential beyond the provisioned storage',
  'v2.soft_deleted': 'Provisioned v2 file share: storage used by soft-deleted shares',
  'v1.provisioned': 'Provisioned v1 (premium) file share: storage provisioned, in monthly units emitted hourly',
  'v1.snapshots': 'Provisioned v1 (premium) file share: snapshot differential, in monthly units emitted hourly',
  'payg.data_stored': 'Pay-as-you-go file share: data stored (live, snapshots, soft-deleted), in monthly units',
  'payg.metadata': 'Pay-as-you-go file share: file-system metadata stored (hot and cool tiers), in monthly units',
  'payg.write_ops': 'Pay-as-you-go file share: write transactions, per 10,000',
  'payg.list_ops': 'Pay-as-you-go file share: list transactions, per 10,000',
  'payg.read_ops': 'Pay-as-you-go file share: read transactions, per 10,000',
  'payg.other_ops': 'Pay-as-you-go file share: other transactions, per 10,000',
  'payg.delete_ops': 'Pay-as-you-go file share: delete transactions (transaction optimized), per 10,000',
  'payg.data_retrieval': 'Pay-as-you-go file share: data read from the cool tier',
  'payg.geo_replication': 'Pay-as-you-go file share: data written and replicated to the secondary region (GRS, GZRS)',
  'disk.incremental_snapshot': 'Managed-disk incremental snapshot: GiB used, in monthly units',
};

export interface MeterDimensionRow {
  meter: MeterKey;
  model: string;
  unit_kind: string;
  unit: string;
  description: string;
}

export function meterDimensionRows(): MeterDimensionRow[] {
  return METER_KEYS.map((meter) => ({
    meter,
    model: METERS[meter].model,
    unit_kind: METERS[meter].unitKind,
    unit: METERS[meter].unit,
    description: DESCRIPTION[meter],
  }));
}

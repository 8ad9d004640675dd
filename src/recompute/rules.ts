// The recompute rule of every canonical meter (spec/billing-rules.md), as data: its name (stored in every expected
// row), the integer base unit its numerator counts in, and the formula in words for explanations. The amounts
// themselves are computed in sql/recompute/recompute_meter_rate.sql, one branch per meter; the denominators follow
// from the meter's unit kind (src/billing/meters.ts). Record<MeterKey, …> makes the compiler check that no meter is
// forgotten; null marks a meter that is deliberately not recomputed.
import { METERS, type MeterKey, type MeterUnitKind } from '../billing/meters.ts';
import { TRANSACTIONS_PER_BUCKET } from '../billing/transaction-buckets.ts';

/** Bytes in one GiB (binary units, billing-rules.md). */
export const BYTES_PER_GIB = 1_073_741_824n;

export type NumeratorUnit = 'byte_seconds' | 'iops_seconds' | 'mibps_seconds' | 'transactions';

export interface RecomputeRule {
  rule: string;
  numeratorUnit: NumeratorUnit;
  /** Base units per unit of the meter's quantity: 2^30 bytes per GiB, 1 otherwise. */
  basePerUnit: bigint;
  formula: string;
}

const GIB_SECONDS = { numeratorUnit: 'byte_seconds', basePerUnit: BYTES_PER_GIB } as const;

export const RECOMPUTE_RULES: Record<MeterKey, RecomputeRule | null> = {
  'v2.provisioned_storage': {
    rule: 'v2_provisioned_storage_hourly',
    ...GIB_SECONDS,
    formula: 'provisioned GiB × hours live (docs/billing-rules.md §2)',
  },
  'v2.provisioned_iops': {
    rule: 'v2_provisioned_iops_hourly',
    numeratorUnit: 'iops_seconds',
    basePerUnit: 1n,
    formula: 'provisioned IOPS × hours live (docs/billing-rules.md §2)',
  },
  'v2.provisioned_throughput': {
    rule: 'v2_provisioned_throughput_hourly',
    numeratorUnit: 'mibps_seconds',
    basePerUnit: 1n,
    formula: 'provisioned MiB/s × hours live (docs/billing-rules.md §2)',
  },
  'v2.overflow_snapshot': {
    rule: 'v2_overflow_snapshot_hourly',
    ...GIB_SECONDS,
    formula: 'MAX(used GiB + snapshot differential GiB − provisioned GiB, 0) × hours live (docs/billing-rules.md §2)',
  },
  'v2.soft_deleted': {
    rule: 'v2_soft_deleted_used_hourly',
    ...GIB_SECONDS,
    formula: 'used GiB × hours soft-deleted; nothing provisioned is billed meanwhile (docs/billing-rules.md §2)',
  },
  'v1.provisioned': {
    rule: 'v1_max_provisioned_used_monthly_units',
    ...GIB_SECONDS,
    formula: 'MAX(provisioned GiB, used GiB) × hours live ÷ (24 × days in month) (docs/billing-rules.md §3)',
  },
  'v1.snapshots': {
    rule: 'v1_snapshots_monthly_units',
    ...GIB_SECONDS,
    formula:
      '(snapshot differential GiB while live + used GiB while soft-deleted) × hours ÷ (24 × days in month) (docs/billing-rules.md §3)',
  },
  'payg.data_stored': {
    rule: 'payg_data_stored_monthly_units',
    ...GIB_SECONDS,
    formula:
      '(used + snapshot differential GiB while live, used GiB while soft-deleted) × hours ÷ (24 × days in month) (docs/billing-rules.md §4)',
  },
  'payg.metadata': {
    rule: 'payg_metadata_hot_cool_monthly_units',
    ...GIB_SECONDS,
    formula: 'metadata GiB × hours live in the hot or cool tier ÷ (24 × days in month) (docs/billing-rules.md §4)',
  },
  'payg.write_ops': {
    rule: 'payg_transactions_per_10k',
    numeratorUnit: 'transactions',
    basePerUnit: 1n,
    formula: `write transactions ÷ ${TRANSACTIONS_PER_BUCKET} (docs/billing-rules.md §4)`,
  },
  'payg.list_ops': {
    rule: 'payg_transactions_per_10k',
    numeratorUnit: 'transactions',
    basePerUnit: 1n,
    formula: `list transactions ÷ ${TRANSACTIONS_PER_BUCKET} (docs/billing-rules.md §4)`,
  },
  'payg.read_ops': {
    rule: 'payg_transactions_per_10k',
    numeratorUnit: 'transactions',
    basePerUnit: 1n,
    formula: `read transactions ÷ ${TRANSACTIONS_PER_BUCKET} (docs/billing-rules.md §4)`,
  },
  'payg.other_ops': {
    rule: 'payg_transactions_per_10k',
    numeratorUnit: 'transactions',
    basePerUnit: 1n,
    formula: `other / protocol transactions ÷ ${TRANSACTIONS_PER_BUCKET} (docs/billing-rules.md §4)`,
  },
  'payg.delete_ops': {
    rule: 'payg_transactions_per_10k',
    numeratorUnit: 'transactions',
    basePerUnit: 1n,
    formula: `delete transactions ÷ ${TRANSACTIONS_PER_BUCKET} (billing-rules §4; the transaction-optimized Delete Operations meter)`,
  },
  // No canonical input carries GiB read from the cool tier or GiB geo-replicated, so these two are not recomputed:
  // the diff reports their charges as unverifiable.
  'payg.data_retrieval': null,
  'payg.geo_replication': null,
  'disk.incremental_snapshot': {
    rule: 'disk_incremental_snapshot_daily',
    ...GIB_SECONDS,
    formula: 'used GiB × days ÷ days in month, time-weighted by the second (docs/billing-rules.md §6)',
  },
};

export interface MeterRuleRow {
  meter: MeterKey;
  rule: string;
  unitKind: MeterUnitKind;
  numeratorUnit: NumeratorUnit;
  /**
   * What one unit of the meter's quantity is in numerator units, except for the month length: hourly meters
   * 3600 s × base per unit; monthly meters 86400 s × base per unit (SQL multiplies by the days in the month);
   * 10K meters 10,000 transactions.
   */
  denominatorBase: bigint;
}

/** The recomputed meters, e.g. to load into the recompute_meter_rule temp table. */
export function meterRuleRows(): MeterRuleRow[] {
  return (Object.entries(RECOMPUTE_RULES) as [MeterKey, RecomputeRule | null][]).flatMap(([meter, rule]) => {
    if (rule === null) return [];
    const unitKind = METERS[meter].unitKind;
    return [
      { meter, rule: rule.rule, unitKind, numeratorUnit: rule.numeratorUnit, denominatorBase: base(unitKind, rule) },
    ];
  });
}

function base(unitKind: MeterUnitKind, rule: RecomputeRule): bigint {
  switch (unitKind) {
    case 'hourly_units':
      return 3600n * rule.basePerUnit;
    case 'monthly_units':
      return 86_400n * rule.basePerUnit;
    case 'count_10k':
      return BigInt(TRANSACTIONS_PER_BUCKET) * rule.basePerUnit;
    case 'plain_gib':
      // no canonical input yet (payg.data_retrieval, payg.geo_replication): their rules are null
      throw new Error(`recompute rule ${rule.rule}: plain GiB meters have no recompute denominator`);
  }
}

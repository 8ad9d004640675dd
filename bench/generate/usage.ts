// The plain, independent integration of what each billed resource should be charged per day (billing-rules.md):
// per share and state segment, amount × hours, summed over the resource's shares as exact BigInt numerators over one
// denominator per meter. Recon computes the same figures from the inventory this generator writes.
//   v2 (hourly units): provisioned GiB, IOPS and MiB/s every live hour (unset IOPS/throughput: the recommended
//     amount); overflow max(used + snapshot − provisioned, 0) bytes while live; a soft-deleted share's used bytes
//     until its purge. GiB meters over 2^30.
//   v1 (monthly units, ÷ 2^30 · 24 · days in month): max(provisioned, used) while live; snapshot differential while
//     live plus the used bytes of soft-deleted shares.
//   pay-as-you-go (monthly units): used + snapshot while live plus soft-deleted used bytes; metadata on hot/cool.
//   disk snapshots (monthly units): used bytes every hour the snapshot exists.
import { GIB, recommendedIops, recommendedMibps, type FilesResource } from './fleet.ts';
import type { Segment } from './shares.ts';

/** Positions in a resource-day accumulator of numerators. */
export const Acc = {
  V2Storage: 0,
  V2Iops: 1,
  V2Mibps: 2,
  V2Overflow: 3,
  V2SoftDeleted: 4,
  V1Provisioned: 5,
  V1Snapshots: 6,
  PaygData: 7,
  PaygMetadata: 8,
  Count: 9,
} as const;

export function newAccumulator(): bigint[] {
  return new Array<bigint>(Acc.Count).fill(0n);
}

const GIB_BIG = BigInt(GIB);

/** Adds one share's segments of a day to its billed resource's accumulator. */
export function accumulate(acc: bigint[], resource: FilesResource, segments: readonly Segment[]): void {
  for (const { from, to, live, state } of segments) {
    const hours = BigInt(to - from);
    const used = BigInt(state.usedBytes);
    if (!live) {
      const index =
        resource.model === 'v2' ? Acc.V2SoftDeleted : resource.model === 'v1' ? Acc.V1Snapshots : Acc.PaygData;
      acc[index] = (acc[index] ?? 0n) + used * hours;
      continue;
    }
    const snap = BigInt(state.snapBytes);
    if (resource.model === 'v2') {
      const iops = state.iops ?? recommendedIops(resource.media, state.gib);
      const mibps = state.mibps ?? recommendedMibps(resource.media, state.gib);
      const provisioned = BigInt(state.gib) * GIB_BIG;
      const overflow = used + snap - provisioned;
      acc[Acc.V2Storage] = (acc[Acc.V2Storage] ?? 0n) + BigInt(state.gib) * hours;
      acc[Acc.V2Iops] = (acc[Acc.V2Iops] ?? 0n) + BigInt(iops) * hours;
      acc[Acc.V2Mibps] = (acc[Acc.V2Mibps] ?? 0n) + BigInt(mibps) * hours;
      if (overflow > 0n) acc[Acc.V2Overflow] = (acc[Acc.V2Overflow] ?? 0n) + overflow * hours;
    } else if (resource.model === 'v1') {
      const provisioned = BigInt(state.gib) * GIB_BIG;
      acc[Acc.V1Provisioned] = (acc[Acc.V1Provisioned] ?? 0n) + (provisioned > used ? provisioned : used) * hours;
      acc[Acc.V1Snapshots] = (acc[Acc.V1Snapshots] ?? 0n) + snap * hours;
    } else {
      acc[Acc.PaygData] = (acc[Acc.PaygData] ?? 0n) + (used + snap) * hours;
      if (state.metaBytes !== null && (resource.tier === 'hot' || resource.tier === 'cool')) {
        acc[Acc.PaygMetadata] = (acc[Acc.PaygMetadata] ?? 0n) + BigInt(state.metaBytes) * hours;
      }
    }
  }
}

/** Denominators: v2 GiB meters byte-hours ÷ 2^30; monthly-unit meters byte-hours ÷ (2^30 × 24 × days in month). */
export function hourlyGibDenominator(): bigint {
  return GIB_BIG;
}

export function monthlyDenominator(monthDays: number): bigint {
  return GIB_BIG * 24n * BigInt(monthDays);
}

// Managed-disk incremental snapshots: each disk is snapshotted daily at its hour and every snapshot is deleted
// `retentionDays` later. A snapshot is billed on its own resource id for its used size (billing-rules §6), in
// monthly units spread over the hours it exists. Sizes and ids depend on the fleet and the snapshot's calendar day
// only, so consecutive months agree about the snapshots they share.
import type { Calendar } from './calendar.ts';
import { GIB, MIB, type Disk, type Fleet, type RowResource } from './fleet.ts';
import { Prng } from './prng.ts';

export interface DiskSnapshot extends RowResource {
  /** position in the month's snapshot list */
  index: number;
  /** lower-case snapshot id: recon's billing_resource_id */
  key: string;
  disk: Disk;
  /** hours since the month's start (negative: taken in an earlier month) */
  createdHour: number;
  deletedHour: number;
  usedBytes: number;
}

/** Days since 1970-01-01 of day `day` of the calendar's month. */
function epochDay(calendar: Calendar, day: number): number {
  return Date.UTC(calendar.month.year, calendar.month.month - 1, day) / 86400000;
}

/** Every snapshot that exists at some point of usage days 1..lastDay. */
export function snapshotsOfMonth(fleet: Fleet, calendar: Calendar, lastDay: number): DiskSnapshot[] {
  const snapshots: DiskSnapshot[] = [];
  const end = lastDay * 24;
  for (const disk of fleet.disks) {
    for (let day = 1 - disk.retentionDays; day <= lastDay; day++) {
      const createdHour = (day - 1) * 24 + disk.hour;
      const deletedHour = createdHour + disk.retentionDays * 24;
      if (deletedHour <= 0 || createdHour >= end) continue;
      const rng = new Prng(0x5a4e_d15c, fleet.shareCount, disk.index, epochDay(calendar, day));
      const name = `${disk.name}-snap-${calendar.day(day).compact}T${String(disk.hour).padStart(2, '0')}00`;
      const id = `/subscriptions/${disk.placement.subscription.id}/resourceGroups/${disk.placement.resourceGroup}/providers/Microsoft.Compute/snapshots/${name}`;
      snapshots.push({
        id,
        name,
        placement: disk.placement,
        focusType: 'Snapshot',
        armType: 'microsoft.compute/snapshots',
        // a snapshot carries its disk's tags: the strings are shared, not copied
        tagsField: disk.tagsField,
        tagsJsonField: disk.tagsJsonField,
        index: snapshots.length,
        key: id.toLowerCase(),
        disk,
        createdHour,
        deletedHour,
        // incremental: only the blocks changed since the previous snapshot, 1–64 GiB
        usedBytes: rng.int(1, 64) * GIB + rng.int(0, 1023) * MIB,
      });
    }
  }
  return snapshots;
}

/** Hours of usage day `day` the snapshot exists. */
export function snapshotHours(snapshot: DiskSnapshot, day: number): number {
  const from = Math.max(snapshot.createdHour, (day - 1) * 24);
  const to = Math.min(snapshot.deletedHour, day * 24);
  return Math.max(0, to - from);
}

/** The usage days (within 1..lastDay) the snapshot exists all day long: only there a planted error is checkable. */
export function fullDays(snapshot: DiskSnapshot, lastDay: number): [number, number] | null {
  const first = Math.max(1, Math.floor(snapshot.createdHour / 24) + 2);
  const last = Math.min(lastDay, Math.floor(snapshot.deletedHour / 24));
  return first <= last ? [first, last] : null;
}

// One generated month, day by day: the seeded plan (deletions, plants), the shares' simulation, the inventory and
// transaction rows it implies, and each day's billed Files rows. Both generator passes run a fresh World: the first
// only counts rows, the second writes — the same choices in the same order, so the counts hold.
import type { Calendar } from './calendar.ts';
import { snapshotsOfMonth, type DiskSnapshot } from './disks.ts';
import type { Fleet } from './fleet.ts';
import { diskSnapshotLine, shareStateLine, transactionLine } from './inventory.ts';
import type { ResolvedOptions } from './options.ts';
import {
  applyPlant,
  choosePlants,
  describeMetadataPlant,
  orphanRow,
  resourceTarget,
  snapshotTarget,
  type PlantBook,
} from './plants.ts';
import { Prng } from './prng.ts';
import { resourceDayRows, snapshotDayRows, type Row } from './rows.ts';
import { ShareRuntime, type DeletionPlan, type ShareContext, type ShareObservation } from './shares.ts';
import { transactionsOfDay } from './transactions.ts';
import { accumulate, newAccumulator } from './usage.ts';
import type { LineSink } from './write-export.ts';

export interface MonthPlan {
  monthKey: number;
  deletions: Map<number, DeletionPlan>;
  snapshots: DiskSnapshot[];
  plants: PlantBook;
}

export interface InventorySinks {
  shares: LineSink;
  disks: LineSink;
  transactions: LineSink;
}

export function monthKeyOf(calendar: Calendar): number {
  return calendar.month.year * 12 + calendar.month.month;
}

/** The month's seeded choices: which shares are deleted when, which snapshots exist, which rows go wrong. */
export function planMonth(fleet: Fleet, o: ResolvedOptions, calendar: Calendar): MonthPlan {
  const monthKey = monthKeyOf(calendar);
  const rng = new Prng(o.seed, monthKey, 2);
  const deletions = new Map<number, DeletionPlan>();
  for (const resource of fleet.resources) {
    // at most one deletion per account, and only where another share stays live: every account bills every day
    if (resource.kind !== 'classic' || resource.shares.length < 2 || !rng.chance(12, 100)) continue;
    const share = rng.pick(resource.shares);
    deletions.set(share.index, {
      day: rng.int(2, calendar.month.days),
      hour: rng.int(1, 23),
      retentionDays: rng.pick([1, 2, 3, 5, 7, 7, 14, 30]),
    });
  }
  const snapshots = snapshotsOfMonth(fleet, calendar, o.days);
  const plants = choosePlants(
    fleet,
    snapshots,
    deletions,
    { seed: o.seed, monthKey, days: o.days, shares: o.shares, plant: o.plant },
    calendar,
  );
  for (const plant of plants.plants) describeMetadataPlant(plant);
  return { monthKey, deletions, snapshots, plants };
}

export class World {
  private readonly runtimes: ShareRuntime[];
  private readonly accumulators: bigint[][];
  private readonly transactions: (number[] | null)[];
  private readonly context: ShareContext;
  private pendingFlush = false;

  constructor(
    private readonly fleet: Fleet,
    private readonly plan: MonthPlan,
    private readonly o: ResolvedOptions,
    private readonly calendar: Calendar,
  ) {
    this.runtimes = fleet.shares.map(
      (share) => new ShareRuntime(share, plan.deletions.get(share.index), plan.plants.fixedIops.get(share.index)),
    );
    this.accumulators = fleet.resources.map(() => newAccumulator());
    this.transactions = fleet.resources.map(() => null);
    this.context = { seed: o.seed, monthKey: plan.monthKey, monthDays: calendar.month.days, mode: o.changes };
  }

  private push(sink: LineSink, line: string): void {
    if (sink.push(line)) this.pendingFlush = true;
  }

  private async settle(sink: LineSink): Promise<void> {
    if (!this.pendingFlush) return;
    this.pendingFlush = false;
    await sink.flush();
  }

  private shareLine(runtime: ShareRuntime, observation: ShareObservation): string {
    const deletedAt = runtime.deletedAt;
    return shareStateLine(
      this.calendar.hourTime(observation.monthHour),
      runtime.share,
      observation.state,
      observation.deleted && deletedAt !== null
        ? { deletedAt: this.calendar.hourTime(deletedAt), retentionDays: runtime.retentionDays ?? 0 }
        : null,
    );
  }

  /** The month's first observation of every share, and of the snapshots taken before the month. */
  async begin(sinks: InventorySinks | null): Promise<void> {
    if (!sinks) return;
    const start = this.calendar.hourTime(0);
    for (const runtime of this.runtimes) {
      this.push(sinks.shares, shareStateLine(start, runtime.share, runtime.state, null));
      await this.settle(sinks.shares);
    }
    for (const snapshot of this.plan.snapshots) {
      if (snapshot.createdHour >= 0) continue;
      this.push(sinks.disks, diskSnapshotLine(start, snapshot, this.calendar, false));
      await this.settle(sinks.disks);
    }
  }

  /** Simulates usage day `day`: share states, snapshot events, transactions. */
  async simulateDay(day: number, sinks: InventorySinks | null): Promise<void> {
    for (const acc of this.accumulators) acc.fill(0n);
    for (const runtime of this.runtimes) {
      const emit = sinks
        ? (observation: ShareObservation) => {
            this.push(sinks.shares, this.shareLine(runtime, observation));
          }
        : null;
      const segments = runtime.day(day, this.context, emit);
      const resource = runtime.share.resource;
      accumulate(this.accumulators[resource.index] as bigint[], resource, segments);
      if (sinks) await this.settle(sinks.shares);
    }
    for (const resource of this.fleet.resources) {
      if (resource.model !== 'payg') continue;
      const emit = sinks
        ? (row: { monthHour: number; apiName: string; count: number }) => {
            if (
              sinks.transactions.push(
                transactionLine(this.calendar.hourTime(row.monthHour), resource.id, row.apiName, row.count),
              )
            ) {
              this.pendingFlush = true;
            }
          }
        : null;
      this.transactions[resource.index] = transactionsOfDay(this.o.seed, this.plan.monthKey, resource.index, day, emit);
      if (sinks) await this.settle(sinks.transactions);
    }
    if (sinks) {
      const dayStart = (day - 1) * 24;
      for (const snapshot of this.plan.snapshots) {
        if (snapshot.createdHour >= dayStart && snapshot.createdHour < dayStart + 24) {
          this.push(
            sinks.disks,
            diskSnapshotLine(this.calendar.hourTime(snapshot.createdHour), snapshot, this.calendar, false),
          );
        }
        if (snapshot.deletedHour >= dayStart && snapshot.deletedHour < dayStart + 24) {
          this.push(
            sinks.disks,
            diskSnapshotLine(this.calendar.hourTime(snapshot.deletedHour), snapshot, this.calendar, true),
          );
        }
        await this.settle(sinks.disks);
      }
    }
  }

  /** The last observation of the coverage, at 23:59:59 of the last usage day: the inventory vouches to its end. */
  async end(sinks: InventorySinks | null): Promise<void> {
    if (!sinks) return;
    const closing = this.calendar.time(this.o.days, 23, 59, 59);
    for (const runtime of this.runtimes) {
      if (runtime.isDeleted) continue;
      this.push(sinks.shares, shareStateLine(closing, runtime.share, runtime.state, null));
      await this.settle(sinks.shares);
    }
    const end = this.o.days * 24;
    for (const snapshot of this.plan.snapshots) {
      if (snapshot.createdHour >= end || snapshot.deletedHour < end) continue;
      this.push(sinks.disks, diskSnapshotLine(closing, snapshot, this.calendar, false));
      await this.settle(sinks.disks);
    }
  }

  /** The day's billed Files and snapshot rows, planted errors applied; after simulateDay(day). */
  *rowsOfDay(day: number): Generator<Row> {
    const monthDays = this.calendar.month.days;
    const { seed } = this.o;
    const { monthKey, plants } = this.plan;
    for (const resource of this.fleet.resources) {
      let rows = resourceDayRows(
        resource,
        day,
        this.accumulators[resource.index] as bigint[],
        this.transactions[resource.index] ?? null,
        monthDays,
      );
      const plant = plants.byTarget.get(resourceTarget(resource.index, day));
      if (plant) rows = applyPlant(rows, plant, monthDays, seed, monthKey);
      yield* rows;
    }
    for (const snapshot of this.plan.snapshots) {
      let rows = snapshotDayRows(snapshot, day, monthDays);
      if (rows.length === 0) continue;
      const plant = plants.byTarget.get(snapshotTarget(snapshot.index, day));
      if (plant) rows = applyPlant(rows, plant, monthDays, seed, monthKey);
      yield* rows;
    }
    for (const plant of plants.orphansByDay.get(day) ?? []) yield orphanRow(plant, monthDays, seed, monthKey);
  }
}

// One share's state through the month, hour by hour. State changes only at hour boundaries: in 'daily' mode once a
// day at a seeded hour (used and snapshot bytes move, now and then a resize or an IOPS/throughput change), in
// 'hourly' mode every hour (used and snapshot bytes) plus the daily resize. A planned deletion turns the share
// soft-deleted until its purge. Each day yields the segments the integration needs and, through `emit`, the
// observations the inventory records. All choices come from a PRNG keyed by (seed, month, share, day).
//
// The rules of billing-rules.md the changes respect, so that recon finds no metadata violation that was not planted:
// v2/v1 minimums and maximums per share and per account (sizes are capped so four shares stay within the account
// limits), a provisioned amount is lowered only 24 h or more after the share's last raise, and no raise happens on
// the month's last day, so a later month's dataset may start from other sizes without breaking the 24-hour rule.
import { ceilDiv, GIB, intDiv, metadataOf, type FleetShare, type ShareState } from './fleet.ts';
import type { ChangeMode } from './options.ts';
import { Prng } from './prng.ts';

export interface DeletionPlan {
  day: number;
  hour: number;
  retentionDays: number;
}

/** Hours [from, to) of one day in one state. */
export interface Segment {
  from: number;
  to: number;
  live: boolean;
  state: ShareState;
}

export interface ShareObservation {
  /** hours since the month's start */
  monthHour: number;
  state: ShareState;
  deleted: boolean;
}

export interface ShareContext {
  seed: number;
  monthKey: number;
  monthDays: number;
  mode: ChangeMode;
}

const BLOCKS_PER_GIB = GIB / 4096;

interface Limits {
  minGib: number;
  maxGib: number;
  iops: [number, number];
  mibps: [number, number];
}

const LIMITS: Record<'v2ssd' | 'v2hdd' | 'v1', Limits> = {
  // per-share maxima kept low enough that 4 shares fit an account's IOPS/throughput/storage limits
  v2ssd: { minGib: 32, maxGib: 12288, iops: [3000, 25000], mibps: [100, 2000] },
  v2hdd: { minGib: 32, maxGib: 49152, iops: [500, 12000], mibps: [60, 1200] },
  v1: { minGib: 100, maxGib: 24576, iops: [0, 0], mibps: [0, 0] },
};

/** A signed change of `perMille`‰ of `blocks` 4 KiB blocks, in bytes (a whole number of blocks). */
function blockDelta(blocks: number, perMille: number): number {
  const magnitude = intDiv(blocks * Math.abs(perMille), 1000) * 4096;
  return perMille < 0 ? -magnitude : magnitude;
}

export class ShareRuntime {
  readonly share: FleetShare;
  state: ShareState;
  private lastRaiseHour = Number.NEGATIVE_INFINITY;
  private deletedAtHour: number | null = null;
  private purgeAtHour: number | null = null;
  private readonly limits: Limits | null;
  private readonly deletion: DeletionPlan | undefined;
  private readonly fixedIops: boolean;

  constructor(share: FleetShare, deletion: DeletionPlan | undefined, fixedIops: number | undefined) {
    this.share = share;
    this.deletion = deletion;
    this.fixedIops = fixedIops !== undefined;
    this.state = fixedIops === undefined ? share.initial : { ...share.initial, iops: fixedIops };
    const r = share.resource;
    this.limits = r.model === 'payg' ? null : LIMITS[r.model === 'v1' ? 'v1' : r.media === 'ssd' ? 'v2ssd' : 'v2hdd'];
  }

  get isDeleted(): boolean {
    return this.deletedAtHour !== null;
  }

  get retentionDays(): number | null {
    return this.deletion?.retentionDays ?? null;
  }

  get deletedAt(): number | null {
    return this.deletedAtHour;
  }

  /** Simulates day `day` (1-based); returns its segments and reports state changes to `emit`. */
  day(day: number, ctx: ShareContext, emit: ((o: ShareObservation) => void) | null): Segment[] {
    const dayStart = (day - 1) * 24;
    const rng = new Prng(ctx.seed, ctx.monthKey, 1, this.share.index, day);
    const isLastDayOfMonth = day === ctx.monthDays;
    const deletionHour = this.deletion?.day === day ? this.deletion.hour : null;
    const segments: Segment[] = [];
    const changeHour = rng.int(1, 23);

    const pushDeleted = (from: number): void => {
      const purge = this.purgeAtHour === null ? 24 : Math.min(24, this.purgeAtHour - dayStart);
      if (purge > from) segments.push({ from, to: purge, live: false, state: this.state });
    };
    const deleteAt = (hour: number): void => {
      this.deletedAtHour = dayStart + hour;
      this.purgeAtHour = this.deletedAtHour + (this.deletion?.retentionDays ?? 0) * 24;
      emit?.({ monthHour: dayStart + hour, state: this.state, deleted: true });
    };

    if (this.deletedAtHour !== null) {
      pushDeleted(0);
      return segments;
    }
    if (ctx.mode === 'daily') {
      if (deletionHour !== null) {
        segments.push({ from: 0, to: deletionHour, live: true, state: this.state });
        deleteAt(deletionHour);
        pushDeleted(deletionHour);
        return segments;
      }
      segments.push({ from: 0, to: changeHour, live: true, state: this.state });
      this.state = this.resize(this.grow(this.state, rng, 'daily'), rng, dayStart + changeHour, isLastDayOfMonth);
      emit?.({ monthHour: dayStart + changeHour, state: this.state, deleted: false });
      segments.push({ from: changeHour, to: 24, live: true, state: this.state });
      return segments;
    }
    for (let hour = 0; hour < 24; hour++) {
      if (hour === deletionHour) {
        deleteAt(hour);
        pushDeleted(hour);
        return segments;
      }
      // the month's first hour is the starting observation; every later hour is a change
      if (day > 1 || hour > 0) {
        let next = this.grow(this.state, rng, 'hourly');
        if (hour === changeHour) next = this.resize(next, rng, dayStart + hour, isLastDayOfMonth);
        this.state = next;
        emit?.({ monthHour: dayStart + hour, state: this.state, deleted: false });
      }
      segments.push({ from: hour, to: hour + 1, live: true, state: this.state });
    }
    return segments;
  }

  /** Used, snapshot and metadata bytes move (never above what the share can hold). */
  private grow(state: ShareState, rng: Prng, mode: ChangeMode): ShareState {
    const model = this.share.resource.model;
    const daily = mode === 'daily';
    if (model === 'payg') {
      const blocks = intDiv(state.usedBytes, 4096);
      const cap = state.gib * GIB;
      let used = state.usedBytes + blockDelta(blocks, daily ? rng.int(-5, 20) : rng.int(-1, 2));
      used = Math.min(Math.max(used, GIB), cap);
      const snap = this.nextSnapshot(state.snapBytes, blocks, rng, daily);
      return {
        ...state,
        usedBytes: used,
        snapBytes: snap,
        metaBytes: state.metaBytes === null ? null : metadataOf(used),
      };
    }
    const capacity = state.gib * GIB;
    const blocks = state.gib * BLOCKS_PER_GIB;
    let used = state.usedBytes + blockDelta(blocks, daily ? rng.int(-10, 30) : rng.int(-1, 3));
    // v2: the data cannot outgrow the provisioned size; v1 may sit above it after a shrink, but not grow there
    const ceiling = model === 'v1' ? Math.max(capacity, state.usedBytes) : capacity;
    used = Math.min(Math.max(used, 0), ceiling);
    return { ...state, usedBytes: used, snapBytes: this.nextSnapshot(state.snapBytes, blocks, rng, daily) };
  }

  private nextSnapshot(snapBytes: number, baseBlocks: number, rng: Prng, daily: boolean): number {
    // snapshots expire now and then (the differential halves), otherwise it grows with the churn
    if (rng.chance(1, daily ? 5 : 60)) return intDiv(snapBytes, 8192) * 4096;
    const grown = snapBytes + blockDelta(baseBlocks, daily ? rng.int(0, 20) : rng.int(0, 1));
    return Math.min(grown, baseBlocks * 4096);
  }

  /** Now and then a resize or an IOPS/throughput change, within the limits and the 24-hour rule. */
  private resize(state: ShareState, rng: Prng, monthHour: number, isLastDayOfMonth: boolean): ShareState {
    const limits = this.limits;
    if (limits === null) return state;
    const mayRaise = !isLastDayOfMonth;
    const mayLower = monthHour - this.lastRaiseHour >= 24;
    let next = state;
    const roll = rng.int(0, 999);
    if (roll < 25 && mayRaise) {
      const gib = Math.min(limits.maxGib, state.gib + ceilDiv(state.gib * rng.int(10, 50), 100));
      if (gib > state.gib) {
        next = { ...next, gib };
        this.lastRaiseHour = monthHour;
      }
    } else if (roll < 40 && mayLower) {
      // v2 cannot shrink below its data; v1 can (it is then billed on the used size)
      const floor =
        this.share.resource.model === 'v2' ? Math.max(limits.minGib, ceilDiv(state.usedBytes, GIB)) : limits.minGib;
      const gib = Math.max(floor, state.gib - intDiv(state.gib * rng.int(10, 25), 100));
      if (gib < state.gib) next = { ...next, gib };
    }
    if (this.share.resource.model !== 'v2') return next;
    for (const dimension of ['iops', 'mibps'] as const) {
      const current = next[dimension];
      if (current === null || (dimension === 'iops' && this.fixedIops)) continue;
      const [min, max] = limits[dimension];
      const change = rng.int(0, 999);
      if (change < 25 && mayRaise) {
        const raised = Math.min(max, current + ceilDiv(current * rng.int(10, 50), 100));
        if (raised > current) {
          next = { ...next, [dimension]: raised };
          this.lastRaiseHour = monthHour;
        }
      } else if (change < 40 && monthHour - this.lastRaiseHour >= 24) {
        const lowered = Math.max(min, current - intDiv(current * rng.int(10, 25), 100));
        if (lowered < current) next = { ...next, [dimension]: lowered };
      }
    }
    return next;
  }
}

// An independent, deliberately naive reference of the recompute rules (spec/billing-rules.md): walk every clock hour,
// find each interval's overlap with it in seconds, apply the rule of each meter in decimal.js, then add hours up to
// days and months. It shares no code with sql/recompute — only the spec and the decisions its README states
// (a soft-deleted share bills its used capacity only; metadata only in the hot and cool tiers).
import { Decimal } from 'decimal.js';

const D = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

const GIB = new D(1024).pow(3);
const HOUR_MS = 3_600_000;

export interface RefShareInterval {
  share: string;
  billing: string;
  state: 'live' | 'soft_deleted';
  model: 'v1' | 'v2' | 'payg';
  accessTier: string | null;
  from: string; // 'YYYY-MM-DD HH:MM:SS' UTC
  to: string;
  gib: bigint;
  iops: bigint;
  mibps: bigint;
  usedBytes: bigint;
  snapshotBytes: bigint;
  metadataBytes: bigint;
}

export interface RefSnapshotInterval {
  snapshot: string;
  from: string;
  to: string;
  usedBytes: bigint;
}

/** key: billing resource | meter | YYYY-MM-DD HH:00:00 → quantity in the meter's unit (exact to 100 digits). */
export type RefHourly = Map<string, Dec>;

const ms = (timestamp: string): number => Date.parse(`${timestamp.replace(' ', 'T')}Z`);
const hourLabel = (t: number): string => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

function daysInMonthOf(t: number): number {
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

const gib = (bytes: bigint): Dec => new D(bytes.toString()).div(GIB);
const max0 = (x: Dec): Dec => (x.isNegative() ? new D(0) : x);

/** What one interval bills per meter, in the meter's amount (GiB, IOPS, MiB/s) — the rules as the spec states them. */
function shareAmounts(i: RefShareInterval): [meter: string, amount: Dec, monthly: boolean][] {
  const used = gib(i.usedBytes);
  const snapshot = gib(i.snapshotBytes);
  const provisioned = new D(i.gib.toString());
  if (i.state === 'soft_deleted') {
    // deleted shares bill their used capacity only, on the model's soft-delete / snapshot / data-stored meter
    if (i.model === 'v2') return [['v2.soft_deleted', used, false]];
    if (i.model === 'v1') return [['v1.snapshots', used, true]];
    return [['payg.data_stored', used, true]];
  }
  if (i.model === 'v2') {
    return [
      ['v2.provisioned_storage', provisioned, false],
      ['v2.provisioned_iops', new D(i.iops.toString()), false],
      ['v2.provisioned_throughput', new D(i.mibps.toString()), false],
      ['v2.overflow_snapshot', max0(used.plus(snapshot).minus(provisioned)), false],
    ];
  }
  if (i.model === 'v1') {
    return [
      ['v1.provisioned', D.max(provisioned, used), true],
      ['v1.snapshots', snapshot, true],
    ];
  }
  const amounts: [string, Dec, boolean][] = [['payg.data_stored', used.plus(snapshot), true]];
  if (i.accessTier === 'hot' || i.accessTier === 'cool') amounts.push(['payg.metadata', gib(i.metadataBytes), true]);
  return amounts;
}

function addTo(map: RefHourly, key: string, value: Dec): void {
  map.set(key, (map.get(key) ?? new D(0)).plus(value));
}

/** Hour by hour over [fromDay 00:00, toDayExclusive 00:00). */
export function referenceHourly(
  shares: readonly RefShareInterval[],
  snapshots: readonly RefSnapshotInterval[],
  fromDay: string,
  toDayExclusive: string,
): RefHourly {
  const result: RefHourly = new Map();
  for (let hour = ms(`${fromDay} 00:00:00`); hour < ms(`${toDayExclusive} 00:00:00`); hour += HOUR_MS) {
    const monthSeconds = new D(86_400 * daysInMonthOf(hour));
    const overlapSeconds = (from: string, to: string): number =>
      Math.max(0, Math.min(ms(to), hour + HOUR_MS) - Math.max(ms(from), hour)) / 1000;
    for (const i of shares) {
      const seconds = overlapSeconds(i.from, i.to);
      if (seconds === 0) continue;
      for (const [meter, amount, monthly] of shareAmounts(i)) {
        const quantity = amount.times(seconds).div(monthly ? monthSeconds : 3600);
        addTo(result, `${i.billing}|${meter}|${hourLabel(hour)}`, quantity);
      }
    }
    for (const s of snapshots) {
      const seconds = overlapSeconds(s.from, s.to);
      if (seconds === 0) continue;
      const quantity = gib(s.usedBytes).times(seconds).div(monthSeconds);
      addTo(result, `${s.snapshot}|disk.incremental_snapshot|${hourLabel(hour)}`, quantity);
    }
  }
  return result;
}

/** Sums hourly keys to 'billing|meter|YYYY-MM-DD' (period 'day') or 'billing|meter|YYYY-MM' (period 'month'). */
export function rollUp(hourly: RefHourly, period: 'day' | 'month'): Map<string, Dec> {
  const result = new Map<string, Dec>();
  for (const [key, value] of hourly) {
    const cut = key.lastIndexOf('|');
    const label = key.slice(cut + 1, cut + 1 + (period === 'day' ? 10 : 7));
    addTo(result, `${key.slice(0, cut)}|${label}`, value);
  }
  return result;
}

/** As stored: rounded half-up at the 20th decimal; zero quantities dropped (recompute stores no zero rows). */
export function asStored(values: Map<string, Dec>): Map<string, string> {
  return new Map(
    [...values].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(20, Decimal.ROUND_HALF_UP)] as const),
  );
}

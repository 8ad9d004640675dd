// Provisioning formulas and limits of billing-rules.md §2 (provisioned v2) and §3 (provisioned v1), written a second
// time in TypeScript, independently of the SQL macros (sql/provisioning/model.sql): the tests hold the two
// against each other and against the acceptance tables, and `explain` text quotes these functions.
// Integers are bigint; the fractional factors of the formulas (0.2, 0.1, 0.02, 0.04, 0.06) go through decimal.js as
// written in the source, so no figure ever passes through a JS float.
import { Decimal } from 'decimal.js';

export type MediaTier = 'ssd' | 'hdd';
/** An integer amount: bigint, or a JS safe integer (e.g. a literal in a test). */
export type IntegerInput = bigint | number;

export interface Range {
  min: bigint;
  max: bigint;
}

export interface V2ShareLimits {
  storageGib: Range;
  iops: Range;
  throughputMibps: Range;
}

/** §2 provisioning limits per v2 share. */
export const V2_SHARE_LIMITS: Readonly<Record<MediaTier, V2ShareLimits>> = {
  ssd: {
    storageGib: { min: 32n, max: 262_144n },
    iops: { min: 3_000n, max: 102_400n },
    throughputMibps: { min: 100n, max: 10_340n },
  },
  hdd: {
    storageGib: { min: 32n, max: 262_144n },
    iops: { min: 500n, max: 50_000n },
    throughputMibps: { min: 60n, max: 5_120n },
  },
};

/** §3 provisioning limits per v1 (SSD) share. */
export const V1_SHARE_LIMITS: Readonly<{ storageGib: Range }> = { storageGib: { min: 100n, max: 102_400n } };

export interface AccountLimits {
  storageGib: bigint;
  iops: bigint;
  throughputMibps: bigint;
  shareCount: bigint;
}

/** §2 storage-account limits for classic v2 shares, enforced at provisioning time. */
export const V2_ACCOUNT_LIMITS: Readonly<Record<MediaTier, AccountLimits>> = {
  ssd: { storageGib: 262_144n, iops: 102_400n, throughputMibps: 10_340n, shareCount: 50n },
  hdd: { storageGib: 4_194_304n, iops: 50_000n, throughputMibps: 5_120n, shareCount: 50n },
};

/** §3: provisioned storage per v1 account (the only v1 account limit enforced at provisioning time). */
export const V1_ACCOUNT_STORAGE_LIMIT_GIB = 102_400n;

/** §2/§3: a provisioned amount may be lowered only once this long has passed since it was last raised. */
export const DOWNGRADE_WAIT_MS = 24 * 60 * 60 * 1000;

/** Seconds of burst a full credit bucket is sized for: credits = (burst limit − baseline) × 3600. */
export const BURST_BUCKET_SECONDS = 3600n;

export function toBigInt(value: IntegerInput, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
  return BigInt(value);
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return min(max(value, low), high);
}

/** CEILING(factor * n), with the factor as the source writes it (e.g. '0.2'). */
function ceilingTimes(factor: string, n: bigint): bigint {
  return BigInt(new Decimal(factor).times(n.toString()).ceil().toFixed(0));
}

/** Whether a value lies inside a range (both ends included). */
export function withinRange(value: IntegerInput, range: Range): boolean {
  const v = toBigInt(value, 'value');
  return v >= range.min && v <= range.max;
}

/** Recommended v2 IOPS when the user gives none: SSD MIN(MAX(3000 + CEILING(1 * GiB), 3000), 102400),
 *  HDD MIN(MAX(1000 + CEILING(0.2 * GiB), 500), 50000). */
export function v2RecommendedIops(media: MediaTier, provisionedGib: IntegerInput): bigint {
  const gib = toBigInt(provisionedGib, 'provisioned GiB');
  return media === 'ssd'
    ? clamp(3000n + ceilingTimes('1', gib), 3000n, 102_400n)
    : clamp(1000n + ceilingTimes('0.2', gib), 500n, 50_000n);
}

/** Recommended v2 throughput (MiB/s): SSD MIN(MAX(100 + CEILING(0.1 * GiB), 100), 10340),
 *  HDD MIN(MAX(60 + CEILING(0.02 * GiB), 60), 5120). */
export function v2RecommendedMibps(media: MediaTier, provisionedGib: IntegerInput): bigint {
  const gib = toBigInt(provisionedGib, 'provisioned GiB');
  return media === 'ssd'
    ? clamp(100n + ceilingTimes('0.1', gib), 100n, 10_340n)
    : clamp(60n + ceilingTimes('0.02', gib), 60n, 5_120n);
}

/** v2 burst limit: SSD MIN(MAX(3 * IOPS, 10000), 102400), HDD MIN(MAX(3 * IOPS, 5000), 50000). */
export function v2BurstLimitIops(media: MediaTier, provisionedIops: IntegerInput): bigint {
  const iops = toBigInt(provisionedIops, 'provisioned IOPS');
  return media === 'ssd' ? clamp(3n * iops, 10_000n, 102_400n) : clamp(3n * iops, 5_000n, 50_000n);
}

/** Burst credits: (BurstLimit − baseline IOPS) × 3600. */
export function burstCredits(burstLimitIops: IntegerInput, baselineIops: IntegerInput): bigint {
  return (toBigInt(burstLimitIops, 'burst limit') - toBigInt(baselineIops, 'baseline IOPS')) * BURST_BUCKET_SECONDS;
}

export type V2Burst =
  { withinLimits: true; burstLimitIops: bigint; burstCredits: bigint } | { withinLimits: false; limits: Range };

/** The §2 burst table's cell pair for one media: the burst limit and credits, or – when the provisioned IOPS is
 *  outside that media's limits (such a share cannot exist, so the formula's value would mean nothing). */
export function v2Burst(media: MediaTier, provisionedIops: IntegerInput): V2Burst {
  const iops = toBigInt(provisionedIops, 'provisioned IOPS');
  const limits = V2_SHARE_LIMITS[media].iops;
  if (!withinRange(iops, limits)) return { withinLimits: false, limits };
  const limit = v2BurstLimitIops(media, iops);
  return { withinLimits: true, burstLimitIops: limit, burstCredits: burstCredits(limit, iops) };
}

/** v1 baseline IOPS: MIN(3000 + 1 * GiB, 102400). */
export function v1BaselineIops(provisionedGib: IntegerInput): bigint {
  return min(3000n + toBigInt(provisionedGib, 'provisioned GiB'), 102_400n);
}

/** v1 throughput (MiB/s): 100 + CEILING(0.04 * GiB) + CEILING(0.06 * GiB), at most 10,340. */
export function v1ThroughputMibps(provisionedGib: IntegerInput): bigint {
  const gib = toBigInt(provisionedGib, 'provisioned GiB');
  return min(100n + ceilingTimes('0.04', gib) + ceilingTimes('0.06', gib), 10_340n);
}

/** v1 burst limit: MIN(MAX(3 * GiB, 10000), 102400). */
export function v1BurstLimitIops(provisionedGib: IntegerInput): bigint {
  return clamp(3n * toBigInt(provisionedGib, 'provisioned GiB'), 10_000n, 102_400n);
}

export interface V1Provisioning {
  baselineIops: bigint;
  burstLimitIops: bigint;
  burstCredits: bigint;
  throughputMibps: bigint;
}

/** Everything a v1 share's provisioned GiB implies (one row of the §3 table). */
export function v1Provisioning(provisionedGib: IntegerInput): V1Provisioning {
  const baselineIops = v1BaselineIops(provisionedGib);
  const burstLimitIops = v1BurstLimitIops(provisionedGib);
  return {
    baselineIops,
    burstLimitIops,
    burstCredits: burstCredits(burstLimitIops, baselineIops),
    throughputMibps: v1ThroughputMibps(provisionedGib),
  };
}

/** The 24-hour rule: lowering at `loweredAt` is allowed when at least 24 hours have passed since `lastRaisedAt`. */
export function isDowngradeAllowed(lastRaisedAt: Date, loweredAt: Date): boolean {
  return loweredAt.getTime() - lastRaisedAt.getTime() >= DOWNGRADE_WAIT_MS;
}

/** 1234567n → '1,234,567' (the separator the spec and the violation details use). */
export function formatInteger(value: bigint): string {
  const digits = (value < 0n ? -value : value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0n ? `-${digits}` : digits;
}

/** One sentence on a v2 share's burst, for explanations. */
export function explainV2Burst(media: MediaTier, provisionedIops: IntegerInput): string {
  const iops = toBigInt(provisionedIops, 'provisioned IOPS');
  const burst = v2Burst(media, iops);
  const label = media.toUpperCase();
  if (!burst.withinLimits) {
    return `${formatInteger(iops)} IOPS is outside the v2 ${label} range of ${formatInteger(burst.limits.min)} to ${formatInteger(burst.limits.max)} IOPS, so it has no burst limit.`;
  }
  const floor = media === 'ssd' ? '10,000' : '5,000';
  const ceiling = media === 'ssd' ? '102,400' : '50,000';
  return (
    `A v2 ${label} share with ${formatInteger(iops)} IOPS bursts to MIN(MAX(3 × ${formatInteger(iops)}, ${floor}), ${ceiling}) = ` +
    `${formatInteger(burst.burstLimitIops)} IOPS, with (${formatInteger(burst.burstLimitIops)} − ${formatInteger(iops)}) × 3,600 = ` +
    `${formatInteger(burst.burstCredits)} burst credits.`
  );
}

/** One sentence on what a v1 share's provisioned GiB gives, for explanations. */
export function explainV1Provisioning(provisionedGib: IntegerInput): string {
  const gib = toBigInt(provisionedGib, 'provisioned GiB');
  const p = v1Provisioning(gib);
  return (
    `A v1 share of ${formatInteger(gib)} GiB has a baseline of MIN(3,000 + ${formatInteger(gib)}, 102,400) = ` +
    `${formatInteger(p.baselineIops)} IOPS, bursts to MIN(MAX(3 × ${formatInteger(gib)}, 10,000), 102,400) = ` +
    `${formatInteger(p.burstLimitIops)} IOPS with ${formatInteger(p.burstCredits)} credits, and ` +
    `${formatInteger(p.throughputMibps)} MiB/s of throughput.`
  );
}

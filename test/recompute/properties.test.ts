// Property tests on random share timelines (second-precision changes, deletes and restores, month boundaries around
// 29 Feb 2024): the SQL recompute equals the naive decimal.js reference (reference.ts) per day, per month and per
// hour; hours sum exactly to days and days to months. Plus the named scenarios of the brief as examples.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { expectedHourly, recompute } from '../../src/recompute/index.ts';
import { GIB, insertShareInterval, insertSnapshotInterval } from './helpers.ts';
import { asStored, referenceHourly, rollUp, type RefShareInterval, type RefSnapshotInterval } from './reference.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const START = Date.UTC(2024, 1, 27); // 27 Feb 2024: timelines cross 29 Feb and the month end
const FROM_DAY = '2024-02-27';
const TO_DAY_EXCLUSIVE = '2024-03-06';
const RUNS = 25;

const stamp = (t: number): string => new Date(t).toISOString().slice(0, 19).replace('T', ' ');
const account = (n: number) =>
  `/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acct${n}`;

const segmentArb = fc.record({
  gapSeconds: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 7200 }) },
  ),
  durationSeconds: fc.integer({ min: 1, max: 30 * 3600 }),
  state: fc.constantFrom('live', 'live', 'soft_deleted'),
  gib: fc.bigInt({ min: 32n, max: 300n }),
  iops: fc.bigInt({ min: 3000n, max: 5000n }),
  mibps: fc.bigInt({ min: 100n, max: 300n }),
  usedBytes: fc.bigInt({ min: 0n, max: 400n * GIB }),
  snapshotBytes: fc.bigInt({ min: 0n, max: 100n * GIB }),
  metadataBytes: fc.bigInt({ min: 0n, max: 10n * GIB }),
});

const shareArb = fc.record({
  kind: fc.constantFrom('classic', 'classic', 'fileshares'),
  account: fc.integer({ min: 0, max: 1 }),
  model: fc.constantFrom('v1', 'v2', 'payg'),
  accessTier: fc.constantFrom('hot', 'cool', 'transaction_optimized'),
  startSeconds: fc.integer({ min: 0, max: 86_400 }),
  segments: fc.array(segmentArb, { minLength: 1, maxLength: 4 }),
});

const snapshotArb = fc.record({
  startSeconds: fc.integer({ min: 0, max: 86_400 }),
  segments: fc.array(
    fc.record({
      durationSeconds: fc.integer({ min: 1, max: 40 * 3600 }),
      usedBytes: fc.bigInt({ min: 0n, max: 50n * GIB }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

const timelineArb = fc.record({
  shares: fc.array(shareArb, { minLength: 1, maxLength: 3 }),
  snapshots: fc.array(snapshotArb, { maxLength: 1 }),
});

type Timeline = typeof timelineArb extends fc.Arbitrary<infer T> ? T : never;

function toIntervals(timeline: Timeline): { shares: RefShareInterval[]; snapshots: RefSnapshotInterval[] } {
  const shares = timeline.shares.flatMap((s, n) => {
    const isFileShare = s.kind === 'fileshares';
    const share = isFileShare
      ? `/subscriptions/s1/resourcegroups/rg/providers/microsoft.fileshares/fileshares/fs${n}`
      : `${account(s.account)}/fileservices/default/shares/share${n}`;
    let t = START + s.startSeconds * 1000;
    return s.segments.map((g): RefShareInterval => {
      const from = t + g.gapSeconds * 1000;
      t = from + g.durationSeconds * 1000;
      return {
        share,
        billing: isFileShare ? share : account(s.account),
        state: g.state === 'live' ? 'live' : 'soft_deleted',
        model: isFileShare ? 'v2' : s.model,
        accessTier: s.model === 'payg' && !isFileShare ? s.accessTier : null,
        from: stamp(from),
        to: stamp(t),
        gib: g.gib,
        iops: g.iops,
        mibps: g.mibps,
        usedBytes: g.usedBytes,
        snapshotBytes: g.snapshotBytes,
        metadataBytes: g.metadataBytes,
      };
    });
  });
  const snapshots = timeline.snapshots.flatMap((s, n) => {
    let t = START + s.startSeconds * 1000;
    return s.segments.map((g): RefSnapshotInterval => {
      const from = t;
      t = from + g.durationSeconds * 1000;
      return {
        snapshot: `/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/snapshots/snap${n}`,
        from: stamp(from),
        to: stamp(t),
        usedBytes: g.usedBytes,
      };
    });
  });
  return { shares, snapshots };
}

async function load(wh: Warehouse, shares: RefShareInterval[], snapshots: RefSnapshotInterval[]): Promise<void> {
  for (const i of shares) {
    await insertShareInterval(wh, {
      share: i.share,
      billingResourceId: i.billing,
      state: i.state,
      model: i.model,
      accessTier: i.accessTier,
      from: i.from,
      to: i.to,
      gib: i.gib,
      iops: i.iops,
      mibps: i.mibps,
      usedBytes: i.usedBytes,
      snapshotBytes: i.snapshotBytes,
      metadataBytes: i.metadataBytes,
    });
  }
  for (const s of snapshots) await insertSnapshotInterval(wh, s);
}

async function stored(wh: Warehouse, sql: string, params?: Record<string, string>): Promise<Map<string, string>> {
  const rows = await wh.rows<{ k: string; quantity: string }>(sql, params);
  return new Map(rows.map((r) => [r.k, r.quantity]));
}
const sorted = (m: Map<string, string>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe('recompute properties', () => {
  it('equals the decimal.js reference per day and per month on random timelines', async () => {
    await fc.assert(
      fc.asyncProperty(timelineArb, async (timeline) => {
        const { shares, snapshots } = toIntervals(timeline);
        const wh = await openTestWarehouse();
        try {
          await load(wh, shares, snapshots);
          await recompute(wh);
          const hourly = referenceHourly(shares, snapshots, FROM_DAY, TO_DAY_EXCLUSIVE);
          const days = await stored(
            wh,
            `select billing_resource_id || '|' || meter || '|' || usage_date as k, quantity from expected_usage`,
          );
          expect(sorted(days)).toEqual(sorted(asStored(rollUp(hourly, 'day'))));
          const months = await stored(
            wh,
            `select billing_resource_id || '|' || meter || '|' || billing_month as k, quantity from expected_usage_month`,
          );
          expect(sorted(months)).toEqual(sorted(asStored(rollUp(hourly, 'month'))));
        } finally {
          wh.close();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('sums hours exactly to days and days exactly to months, and hours equal the reference', async () => {
    await fc.assert(
      fc.asyncProperty(timelineArb, async (timeline) => {
        const { shares, snapshots } = toIntervals(timeline);
        const wh = await openTestWarehouse();
        try {
          await load(wh, shares, snapshots);
          await recompute(wh);
          const reference = asStored(referenceHourly(shares, snapshots, FROM_DAY, TO_DAY_EXCLUSIVE));
          const days = await wh.rows<{ billing_resource_id: string; meter: string; usage_date: string; n: string }>(
            'select billing_resource_id, meter, usage_date, quantity_numerator as n from expected_usage',
          );
          const hourSums = new Map<string, bigint>();
          const hours = new Map<string, string>();
          for (const id of new Set(days.map((d) => d.billing_resource_id))) {
            for (const h of await expectedHourly(wh, id, FROM_DAY, '2024-03-05')) {
              const dayKey = `${id}|${h.meter}|${h.usageHour.slice(0, 10)}`;
              hourSums.set(dayKey, (hourSums.get(dayKey) ?? 0n) + BigInt(h.quantityNumerator));
              hours.set(`${id}|${h.meter}|${h.usageHour}`, h.quantity);
            }
          }
          expect(sorted(hours)).toEqual(sorted(reference));
          expect(
            new Map(days.map((d) => [`${d.billing_resource_id}|${d.meter}|${d.usage_date}`, BigInt(d.n)])),
          ).toEqual(hourSums);
          // day numerators add up to the month numerator; rounded days may differ from the month by ≤ ½ ulp per day
          const months = await wh.rows<{ ok: boolean; rounding_gap: string; day_count: number }>(
            `select sum(d.quantity_numerator) = any_value(m.quantity_numerator) as ok,
                    abs(sum(d.quantity) - any_value(m.quantity))::varchar as rounding_gap, count(*)::integer as day_count
             from expected_usage d join expected_usage_month m using (billing_resource_id, meter, billing_month)
             group by billing_resource_id, meter, billing_month`,
          );
          for (const m of months) {
            expect(m.ok).toBe(true);
            expect(new Decimal(m.rounding_gap).lte(new Decimal('0.5e-20').times(m.day_count))).toBe(true);
          }
        } finally {
          wh.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('recompute scenarios', () => {
  const acct = account(0);
  const base = {
    share: `${acct}/fileservices/default/shares/data`,
    billing: acct,
    accessTier: null,
    iops: 3000n,
    mibps: 100n,
    usedBytes: 50n * GIB,
    snapshotBytes: 10n * GIB,
    metadataBytes: 0n,
  };

  it('resizes at 12:00 on 29 Feb 2024 (v1: 100 → 200 GiB in a 29-day month)', async () => {
    const shares: RefShareInterval[] = [
      { ...base, model: 'v1', state: 'live', gib: 100n, from: '2024-02-29 00:00:00', to: '2024-02-29 12:00:00' },
      { ...base, model: 'v1', state: 'live', gib: 200n, from: '2024-02-29 12:00:00', to: '2024-03-01 00:00:00' },
    ];
    const wh = await openTestWarehouse();
    await load(wh, shares, []);
    await recompute(wh);
    const day = await wh.row<{ quantity: string }>(
      `select quantity from expected_usage where meter = 'v1.provisioned' and usage_date = '2024-02-29'`,
    );
    // (100 × 12 + 200 × 12) / (24 × 29) = 3600 / 696
    expect(day?.quantity).toBe('5.17241379310344827586');
    const hours = (await expectedHourly(wh, acct, '2024-02-29', '2024-02-29')).filter(
      (h) => h.meter === 'v1.provisioned',
    );
    expect(hours.map((h) => h.quantity).slice(11, 13)).toEqual(['0.14367816091954022989', '0.28735632183908045977']);
    expect(sorted(new Map(hours.map((h) => [`${acct}|v1.provisioned|${h.usageHour}`, h.quantity])))).toEqual(
      sorted(
        new Map(
          [...asStored(referenceHourly(shares, [], '2024-02-29', '2024-03-01'))].filter(([k]) =>
            k.includes('v1.provisioned'),
          ),
        ),
      ),
    );
    wh.close();
  });

  it('deletes and restores a pay-as-you-go share: only used capacity is billed while soft-deleted', async () => {
    const common = { ...base, model: 'payg' as const, accessTier: 'hot', gib: 0n, metadataBytes: GIB };
    const shares: RefShareInterval[] = [
      { ...common, state: 'live', from: '2024-01-10 00:00:00', to: '2024-01-10 08:00:00' },
      { ...common, state: 'soft_deleted', from: '2024-01-10 08:00:00', to: '2024-01-10 20:00:00' },
      { ...common, state: 'live', from: '2024-01-10 20:00:00', to: '2024-01-11 00:00:00' },
    ];
    const wh = await openTestWarehouse();
    await load(wh, shares, []);
    await recompute(wh);
    const rows = await stored(
      wh,
      `select meter || '|' || usage_date as k, quantity from expected_usage where billing_resource_id = $id`,
      { id: acct },
    );
    // data stored: (60 GiB × 12 h live + 50 GiB × 12 h soft-deleted) / (24 × 31); metadata: 1 GiB × 12 h live / 744
    expect(sorted(rows)).toEqual([
      ['payg.data_stored|2024-01-10', '1.77419354838709677419'],
      ['payg.metadata|2024-01-10', '0.01612903225806451613'],
    ]);
    wh.close();
  });
});

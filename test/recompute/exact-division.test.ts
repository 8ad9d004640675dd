// Proves the one division every expected quantity goes through (exact_quotient_38_20 in sql/recompute/model.sql):
// integer arithmetic only, result type DECIMAL(38, 20), rounded half-up at the 20th decimal, equal to decimal.js on
// random numerators as large as the recompute produces; and that DuckDB's own `/` would not have been exact.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

function expected(numerator: bigint, denominator: bigint): string {
  return new Exact(numerator.toString()).div(denominator.toString()).toFixed(20, Decimal.ROUND_HALF_UP);
}

describe('exact_quotient_38_20', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  const quotient = async (numerator: bigint, denominator: bigint) =>
    wh.row<{ q: string; t: string }>(
      'select exact_quotient_38_20($n::hugeint, $d::bigint) as q, typeof(exact_quotient_38_20($n::hugeint, $d::bigint)) as t',
      { n: numerator.toString(), d: denominator.toString() },
    );

  it('returns DECIMAL(38,20) and the acceptance figures exactly', async () => {
    // v1 1,024 GiB for one hour of a 28-day month: 1024 GiB × 3600 s / (86400 s × 28 × 2^30)
    const gib = 1_073_741_824n;
    expect(await quotient(1024n * gib * 3600n, 86_400n * 28n * gib)).toEqual({
      q: '1.52380952380952380952',
      t: 'DECIMAL(38,20)',
    });
    // 1024 / 672 = 1.523809523809523809523|8… rounds down; 1024 / 28 = 36.571428571428571428571|4…
    expect((await quotient(1024n * gib * 86_400n, 86_400n * 28n * gib))?.q).toBe('36.57142857142857142857');
    // 2/3 = 0.666…|6 rounds up at the last digit
    expect((await quotient(2n, 3n))?.q).toBe('0.66666666666666666667');
    // exactly half at the 21st decimal rounds up: 1 / 2^21 = 0.000000476837158203125
    expect((await quotient(1n, 2n ** 21n))?.q).toBe('0.00000047683715820313');
    expect((await quotient(0n, 7n))?.q).toBe('0.00000000000000000000');
  });

  it('stays exact where DuckDB `/` on decimals would have gone through DOUBLE', async () => {
    const viaSlash = await wh.row<{ t: string }>('select typeof(1024::decimal(38,0) / 672::decimal(38,0)) as t');
    expect(viaSlash?.t).toBe('DOUBLE');
    // 2^80 + 1 byte-seconds over 3600 × 2^30: a double cannot hold the numerator's last digit
    const numerator = 2n ** 80n + 1n;
    const denominator = 3600n * 1_073_741_824n;
    expect((await quotient(numerator, denominator))?.q).toBe(expected(numerator, denominator));
  });

  it('equals decimal.js on random numerators and the recompute denominators', async () => {
    const denominators = [
      3600n,
      10_000n,
      3600n * 1_073_741_824n,
      86_400n * 28n * 1_073_741_824n,
      86_400n * 31n * 1_073_741_824n,
    ];
    await fc.assert(
      fc.asyncProperty(
        // any quotient below 10^18 (18 integer digits), i.e. numerators up to ~2^111
        fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 62n }),
        fc.constantFrom(...denominators),
        async (integerPart, remainderSeed, denominator) => {
          const numerator = integerPart * denominator + (remainderSeed % denominator);
          expect((await quotient(numerator, denominator))?.q).toBe(expected(numerator, denominator));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('fails loudly instead of wrapping when a quotient does not fit 18 integer digits', async () => {
    await expect(quotient(10n ** 18n * 3600n, 3600n)).rejects.toThrow(/could not cast .* to DECIMAL\(38,0\)/i);
  });
});

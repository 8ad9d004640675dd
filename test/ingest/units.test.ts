import { describe, expect, it } from 'vitest';
import { parseUnitOfMeasure } from '../../src/billing/units.ts';

describe('parseUnitOfMeasure (fallback for strings PricingUnits.csv lacks)', () => {
  it.each([
    ['10K', '10000', 'Units'],
    ['1M', '1000000', 'Units'],
    ['1K/Month', '1000', 'Units/Month'],
    ['1 GiB/Hour', '1', 'GiB/Hour'],
    ['100 GB/Month', '100', 'GB/Month'],
    ['1/Month', '1', 'Units/Month'],
    ['100 /Hour', '100', 'Units/Hour'],
    ['1 Hour', '1', 'Hours'],
    ['1 TB/Month', '1', 'TB/Month'],
    ['0.5K', '500', 'Units'],
    ['  1 IOPS/Month ', '1', 'IOPS/Month'],
    ['GB/Month', '1', 'GB/Month'],
  ])('%s → block %s of %s', (text, blockSize, distinctUnit) => {
    expect(parseUnitOfMeasure(text)).toEqual({ blockSize, distinctUnit });
  });

  it('has nothing to say about an empty string', () => {
    expect(parseUnitOfMeasure('   ')).toBeNull();
  });
});

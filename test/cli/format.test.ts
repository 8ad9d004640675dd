import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDecimal,
  formatExact,
  formatMoney,
  formatQuantity,
  plural,
} from '../../src/output/format.ts';
import { colorEnabled, palette } from '../../src/output/color.ts';

describe('numbers for a person (src/output/format.ts)', () => {
  it.each([
    ['8473.7664', 'EUR', '8,473.77 EUR'],
    ['1234567.005', 'USD', '1,234,567.01 USD'], // half-up, exactly (a JS number would give .00)
    ['-12.5', 'EUR', '-12.50 EUR'],
    ['0.000000000000000000', 'EUR', '0.00 EUR'],
    ['-0.001', 'EUR', '-0.001 EUR'], // a real difference never reads as none
    ['0.00312', null, '0.00312'],
    [null, 'EUR', '-'],
  ])('money %s %s → %s', (value, currency, shown) => {
    expect(formatMoney(value, currency)).toBe(shown);
  });

  it.each([
    ['66.0645161290322581', 'GiB-months', '66.0645 GiB-months'],
    ['40176.000000000000000000', 'GiB-months', '40,176 GiB-months'],
    ['-336576', 'IOPS-hours', '-336,576 IOPS-hours'],
    ['0.000123456', 'GiB-months', '0.000123 GiB-months'],
    ['99999.99996', null, '100,000'],
    ['1e3', 'GiB', '1,000 GiB'],
    [null, 'GiB', '-'],
  ])('quantity %s %s → %s', (value, unit, shown) => {
    expect(formatQuantity(value, unit)).toBe(shown);
  });

  it('keeps exact digits when asked, grouping thousands only', () => {
    expect(formatExact('389268347918745600')).toBe('389,268,347,918,745,600');
    expect(formatExact('12345678901234567890123456789.123456789000')).toBe(
      '12,345,678,901,234,567,890,123,456,789.123456789',
    );
    expect(formatExact('0.000000000001')).toBe('0.000000000001');
    expect(formatDecimal('0.12345')).toBe('0.1235');
  });

  it('counts', () => {
    expect(formatCount(40176)).toBe('40,176');
    expect(formatCount('1234567890123456789')).toBe('1,234,567,890,123,456,789');
    expect(plural(1, 'finding')).toBe('1 finding');
    expect(plural(44, 'finding')).toBe('44 findings');
  });
});

describe('colour only on a terminal, never with NO_COLOR', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
  ])('tty %s, env %j → %s', (isTTY, env, enabled) => {
    expect(colorEnabled({ isTTY }, env)).toBe(enabled);
    expect(palette({ isTTY }, env).red('high') === 'high').toBe(!enabled);
  });
});

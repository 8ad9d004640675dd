import { describe, expect, it } from 'vitest';
import {
  firstLines,
  canonicalDecimal,
  DOCUMENT,
  formatCount,
  formatDecimal,
  formatExact,
  formatMoney,
  formatQuantity,
  isDecimalText,
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

describe('numbers for a person: the rules summary.md, report.html and the letter share', () => {
  it('rounds half-up for display and groups thousands', () => {
    expect(formatDecimal('72000.000000000000000000')).toBe('72,000');
    expect(formatDecimal('1234567.12345650')).toBe('1,234,567.1235');
    expect(formatDecimal('-1234.5')).toBe('-1,234.5');
    expect(formatMoney('1.234567890123456789', 'EUR')).toBe('1.23 EUR');
    expect(formatMoney('8479.155616387096737', 'EUR')).toBe('8,479.16 EUR');
    expect(formatMoney('0.5', 'USD')).toBe('0.50 USD');
    expect(formatMoney('1000', null)).toBe('1,000.00');
  });

  it('never shows a non-zero amount as zero', () => {
    expect(formatDecimal('0.000000012345')).toBe('0.0000000123');
    expect(formatMoney('0.00387096774195', 'EUR')).toBe('0.00387 EUR');
    expect(formatMoney('-0.004', 'EUR')).toBe('-0.004 EUR');
  });

  it('reads arithmetic residue as zero, never as digits', () => {
    expect(formatMoney('-0.000000000000000713', 'EUR')).toBe('0.00 EUR');
    expect(formatMoney('0.0000000001', null)).toBe('0.00');
    expect(formatMoney('0.000000999999999999', 'EUR')).toBe('0.00 EUR');
    expect(formatMoney('0.000001', 'EUR')).toBe('0.000001 EUR'); // a millionth is the smallest amount shown
    expect(formatQuantity('-0.000000000000000713', 'GiB-months')).toBe('0 GiB-months');
    expect(formatQuantity('0.000000000001', 'GiB-months')).toBe('0.000000000001 GiB-months');
    expect(formatDecimal('0.000000000000000000')).toBe('0');
  });

  it('shows unknown as an em dash in documents', () => {
    expect(formatDecimal(null, undefined, DOCUMENT)).toBe('—');
    expect(formatQuantity(null, 'GiB', DOCUMENT)).toBe('—');
    expect(formatMoney(null, 'EUR', DOCUMENT)).toBe('—');
  });
});

describe('exact decimal text for files (canonicalDecimal)', () => {
  it('drops padding zeros and keeps every significant digit', () => {
    expect(canonicalDecimal('1.500000000000000000')).toBe('1.5');
    expect(canonicalDecimal('2400.000000000000000000')).toBe('2400');
    expect(canonicalDecimal('-0.500000000000000000')).toBe('-0.5');
    expect(canonicalDecimal('0.000000000000000001')).toBe('0.000000000000000001');
    expect(canonicalDecimal('12345678901234567890.123456789012345678')).toBe('12345678901234567890.123456789012345678');
    expect(canonicalDecimal('007.10')).toBe('7.1');
  });

  it('writes zero as 0, never -0', () => {
    expect(canonicalDecimal('0.000000000000000000')).toBe('0');
    expect(canonicalDecimal('-0.000')).toBe('0');
    expect(canonicalDecimal('-0')).toBe('0');
  });

  it('refuses anything that is not a plain decimal', () => {
    for (const bad of ['', '1e5', '=1+1', '1.', '.5', ' 1', 'NaN', '+1']) {
      expect(() => canonicalDecimal(bad)).toThrow(/not a decimal/);
      expect(isDecimalText(bad)).toBe(false);
    }
  });
});

describe('a long list of problems in an error (firstLines)', () => {
  it('shows the first five, one a line, and counts the rest', () => {
    const lines = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(firstLines(lines)).toBe('a\nb\nc\nd\ne\n(and 2 more)');
    expect(firstLines(lines.slice(0, 5))).toBe('a\nb\nc\nd\ne');
    expect(firstLines(lines, 2)).toBe('a\nb\n(and 5 more)');
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

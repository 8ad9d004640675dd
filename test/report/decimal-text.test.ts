import { describe, expect, it } from 'vitest';
import { canonicalDecimal, displayDecimal, displayMoney, isDecimalText } from '../../src/report/decimal-text.ts';

describe('canonicalDecimal', () => {
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

describe('displayDecimal', () => {
  it('rounds half-up for display and groups thousands', () => {
    expect(displayDecimal('72000.000000000000000000')).toBe('72,000');
    expect(displayDecimal('1234567.12345650')).toBe('1,234,567.123457');
    expect(displayDecimal('-1234.5')).toBe('-1,234.5');
    expect(displayMoney('1.234567890123456789', 'EUR')).toBe('1.23 EUR');
    expect(displayMoney('8479.155616387096737', 'EUR')).toBe('8,479.16 EUR');
    expect(displayMoney('0.5', 'USD')).toBe('0.50 USD');
    expect(displayMoney('1000', null)).toBe('1,000.00');
  });

  it('never shows a non-zero amount as zero', () => {
    expect(displayDecimal('0.000000012345')).toBe('0.0000000123');
    expect(displayMoney('0.00387096774195', 'EUR')).toBe('< 0.01 EUR');
    expect(displayMoney('-0.004', 'EUR')).toBe('> −0.01 EUR');
  });

  it('reads arithmetic residue in money as zero, never as digits', () => {
    expect(displayMoney('-0.000000000000000713', 'EUR')).toBe('0.00 EUR');
    expect(displayMoney('0.0000000001', null)).toBe('0.00');
    expect(displayDecimal('0.000000000000000000')).toBe('0');
  });

  it('shows null as a dash', () => {
    expect(displayDecimal(null)).toBe('—');
    expect(displayMoney(null, 'EUR')).toBe('—');
  });
});

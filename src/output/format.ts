// Numbers for a person: the one place that decides how recon shows money, quantities and counts wherever someone
// reads them (the terminal; summary.md, report.html and the dispute letter may use it too). Exact values stay in
// JSON, CSV and Parquet; these helpers round only for display, as text with decimal.js, never through JS numbers.
//
//   money      2 decimals, thousands separated, with the currency: '1,234.50 EUR'
//   quantity   up to 4 decimals (trailing zeros dropped), thousands separated, with the unit: '66.0645 GiB-months'
//   count      thousands separated: '40,176'
//
// A non-zero value that would round to zero keeps 3 significant digits ('0.00312 EUR'), and so does a quantity
// below 0.1 ('0.000123 GiB-months'), so a small discrepancy never reads as none or as a blur of zeros. Unknown values print as '-' (plain ASCII: terminals and CSV-minded readers).
import { Decimal } from 'decimal.js';

// DECIMAL(38, x) has at most 38 digits; decimal.js defaults to 20 significant digits.
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

export const UNKNOWN = '-';
export const MONEY_PLACES = 2;
export const QUANTITY_MAX_PLACES = 4;

/** '1234.5' → '1,234.5' (the digits are kept as given). */
export function groupThousands(fixed: string): string {
  const negative = fixed.startsWith('-');
  const [integer = '', fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${fraction === undefined ? grouped : `${grouped}.${fraction}`}`;
}

function parse(text: string): Decimal | undefined {
  try {
    const value = new Exact(text.trim());
    return value.isFinite() ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Round half-up to `places`. A non-zero value that would show as zero keeps 3 significant digits; so does a small
 * quantity (trimmed, below 0.1), whose first digits are what a person compares ('0.000123', not '0.0001').
 */
function rounded(value: Decimal, places: number, trim: boolean): string {
  let fixed = value.toFixed(places);
  const tiny = !value.isZero() && (new Exact(fixed).isZero() || (trim && value.abs().lt('0.1')));
  if (tiny) return value.toSignificantDigits(Math.min(3, value.precision(false))).toFixed();
  if (trim && fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed.replace(/^-(0(\.0+)?)$/, '$1');
}

/** A decimal string as a person reads it, with at most `maxPlaces` decimals: '66.0645161290322581' → '66.0645'. */
export function formatDecimal(text: string | null | undefined, maxPlaces = QUANTITY_MAX_PLACES): string {
  if (text === null || text === undefined) return UNKNOWN;
  const value = parse(text);
  return value === undefined ? text : groupThousands(rounded(value, maxPlaces, true));
}

/** Every digit kept, thousands grouped, trailing zeros dropped: '389268347918745600' → '389,268,347,918,745,600'. */
export function formatExact(text: string | null | undefined): string {
  if (text === null || text === undefined) return UNKNOWN;
  const value = parse(text);
  return value === undefined ? text : groupThousands(value.toFixed());
}

/** '1234.5', 'EUR' → '1,234.50 EUR'. */
export function formatMoney(text: string | null | undefined, currency: string | null | undefined): string {
  if (text === null || text === undefined) return UNKNOWN;
  const value = parse(text);
  if (value === undefined) return text;
  const amount = groupThousands(rounded(value, MONEY_PLACES, false));
  return currency ? `${amount} ${currency}` : amount;
}

/** '66.0645161290322581', 'GiB-months' → '66.0645 GiB-months'. */
export function formatQuantity(text: string | null | undefined, unit: string | null | undefined): string {
  if (text === null || text === undefined) return UNKNOWN;
  const amount = formatDecimal(text);
  return unit ? `${amount} ${unit}` : amount;
}

/** 40176 or '40176' (a BIGINT string) → '40,176'. */
export function formatCount(value: number | bigint | string): string {
  return groupThousands(String(value));
}

/** '3 findings', '1 finding'. */
export function plural(count: number | bigint, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 || count === 1n ? noun : nouns}`;
}

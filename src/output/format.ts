// Numbers as text: the one module that decides how recon spells decimals, for programs and for people.
//
// Exact, for files (findings.json/.csv, cases.json/.csv; Parquet keeps DECIMAL): canonicalDecimal drops padding zeros
// and keeps every significant digit, so the text is exactly the warehouse's DECIMAL.
//
// For a person, wherever someone reads them (the terminal and explain; summary.md, report.html, the dispute letter),
// rounded only for display, as text with decimal.js, never through JS numbers:
//
//   money      2 decimals, thousands separated, with the currency: '1,234.50 EUR'
//   quantity   up to 4 decimals (trailing zeros dropped), thousands separated, with the unit: '66.0645 GiB-months'
//   count      thousands separated: '40,176'
//
// A non-zero value that would round to zero keeps 3 significant digits ('0.00312 EUR'), and so does a quantity
// below 0.1 ('0.000123 GiB-months'), so a small discrepancy never reads as none or as a blur of zeros. Arithmetic
// residue is not a discrepancy: money below a millionth and quantities below 10^-12 of their unit read as zero (the
// warehouse computes with 18 decimals; a sum or quotient of rounded figures leaves -0.000000000000000713, which no
// charge or usage is). Unknown values print as '-' (plain ASCII, for terminals); documents pass `unknown: '—'`.
import { Decimal } from 'decimal.js';

// DECIMAL(38, x) has at most 38 digits; decimal.js defaults to 20 significant digits.
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

export const UNKNOWN = '-';
export const MONEY_PLACES = 2;
export const QUANTITY_MAX_PLACES = 4;
/** Money below this is residue of the warehouse's 18-decimal arithmetic, not a charge: no rate is that fine. */
const MONEY_RESIDUE = '0.000001';
/** A quantity below this (in its unit: GiB-months, IOPS-hours, 10K transactions) is residue, never usage. */
const QUANTITY_RESIDUE = '0.000000000001';

export interface FormatOptions {
  /** The text for an unknown (null) value: '-' by default; '—' in Markdown and HTML. */
  unknown?: string;
}

/** For Markdown, HTML and the letter: an unknown value is an em dash. */
export const DOCUMENT: FormatOptions = { unknown: '—' };

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Is `text` a plain decimal literal (optional minus, digits, optional fraction)? Nothing else can reach a number cell. */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}

/** The shortest exact spelling of a decimal string: '1.500000' → '1.5', '-0.000' → '0', '007' → '7'. */
export function canonicalDecimal(text: string): string {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) throw new Error(`not a decimal string: ${JSON.stringify(text)}`);
  const sign = match[1] ?? '';
  const integer = (match[2] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const body = fraction === '' ? integer : `${integer}.${fraction}`;
  return /^0(\.0*)?$/.test(body) ? '0' : `${sign}${body}`;
}

export function canonicalDecimalOrNull(text: string | null): string | null {
  return text === null ? null : canonicalDecimal(text);
}

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
 * Round half-up to `places`. Residue (below `residue`) is zero. A non-zero value that would show as zero keeps 3
 * significant digits; so does a small quantity (trimmed, below 0.1), whose first digits are what a person compares
 * ('0.000123', not '0.0001').
 */
function rounded(value: Decimal, places: number, trim: boolean, residue: string): string {
  if (value.abs().lt(residue)) value = new Exact(0);
  let fixed = value.toFixed(places);
  const tiny = !value.isZero() && (new Exact(fixed).isZero() || (trim && value.abs().lt('0.1')));
  if (tiny) return value.toSignificantDigits(Math.min(3, value.precision(false))).toFixed();
  if (trim && fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed.replace(/^-(0(\.0+)?)$/, '$1');
}

/** A decimal string as a person reads it, with at most `maxPlaces` decimals: '66.0645161290322581' → '66.0645'. */
export function formatDecimal(
  text: string | null | undefined,
  maxPlaces = QUANTITY_MAX_PLACES,
  options: FormatOptions = {},
): string {
  if (text === null || text === undefined) return options.unknown ?? UNKNOWN;
  const value = parse(text);
  return value === undefined ? text : groupThousands(rounded(value, maxPlaces, true, QUANTITY_RESIDUE));
}

/** Every digit kept, thousands grouped, trailing zeros dropped: '389268347918745600' → '389,268,347,918,745,600'. */
export function formatExact(text: string | null | undefined, options: FormatOptions = {}): string {
  if (text === null || text === undefined) return options.unknown ?? UNKNOWN;
  const value = parse(text);
  return value === undefined ? text : groupThousands(value.toFixed());
}

/** '1234.5', 'EUR' → '1,234.50 EUR'. */
export function formatMoney(
  text: string | null | undefined,
  currency: string | null | undefined,
  options: FormatOptions = {},
): string {
  if (text === null || text === undefined) return options.unknown ?? UNKNOWN;
  const value = parse(text);
  if (value === undefined) return text;
  const amount = groupThousands(rounded(value, MONEY_PLACES, false, MONEY_RESIDUE));
  return currency ? `${amount} ${currency}` : amount;
}

/** '66.0645161290322581', 'GiB-months' → '66.0645 GiB-months'. */
export function formatQuantity(
  text: string | null | undefined,
  unit: string | null | undefined,
  options: FormatOptions = {},
): string {
  if (text === null || text === undefined) return options.unknown ?? UNKNOWN;
  const amount = formatDecimal(text);
  return unit ? `${amount} ${unit}` : amount;
}

/** 40176 or '40176' (a BIGINT string) → '40,176'. */
export function formatCount(value: number | bigint | string): string {
  return groupThousands(String(value));
}

/** The first `shown` lines, one a line, then "(and N more)" on a line of its own when there are more. */
export function firstLines(lines: readonly string[], shown = 5): string {
  const more = lines.length > shown ? `\n(and ${lines.length - shown} more)` : '';
  return lines.slice(0, shown).join('\n') + more;
}

/** '3 findings', '1 finding'. */
export function plural(count: number | bigint, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 || count === 1n ? noun : nouns}`;
}

/** Bytes for a progress line: 1,234 B · 12.3 KiB · 45.6 MiB · 1.2 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatCount(bytes)} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

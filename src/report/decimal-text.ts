// Decimal strings for the report files. DuckDB hands DECIMAL values over as exact strings padded to the column's
// scale ('1.500000000000000000'); they are trimmed or rounded here as text or with decimal.js, never as JS numbers.
//
// The rule for findings.json and findings.csv (canonicalDecimal): drop trailing fractional zeros and a bare
// decimal point, drop redundant leading zeros, write zero as '0' (never '-0'). Every significant digit is kept, so
// the value is exactly the warehouse's DECIMAL. Display formatting (displayDecimal) is for summary.md and
// report.html only and says so on the page.
import { Decimal } from 'decimal.js';

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

// Display needs no more than 40 significant digits (DECIMAL(38, x) holds 38); decimal.js defaults to 20.
const DisplayDecimal = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

export interface DisplayOptions {
  minFractionDigits: number;
  maxFractionDigits: number;
}

/** Money: cents, as on an invoice (the exact amount is in the JSON and CSV files and on hover in the report). */
export const MONEY_DISPLAY: DisplayOptions = { minFractionDigits: 2, maxFractionDigits: 2 };
/**
 * Money smaller than this is arithmetic residue (a sum of rounded daily figures), not a charge: Azure rates
 * carry far fewer digits than the 18 places recon computes with, and no charge is a millionth of a currency unit.
 */
const MONEY_RESIDUE = '0.000001';
/** Quantities: as many places as needed, up to 6. */
export const QUANTITY_DISPLAY: DisplayOptions = { minFractionDigits: 0, maxFractionDigits: 6 };

/**
 * A decimal string for people: rounded half-up to at most maxFractionDigits, thousands separated
 * by commas. A non-zero value that would round to zero is shown with 3 significant digits instead ('0.000000123'),
 * so a small discrepancy never reads as none.
 */
export function displayDecimal(text: string | null, options: DisplayOptions = QUANTITY_DISPLAY): string {
  if (text === null) return '—';
  const value = new DisplayDecimal(canonicalDecimal(text));
  const places = Math.min(Math.max(value.decimalPlaces(), options.minFractionDigits), options.maxFractionDigits);
  let fixed = value.toFixed(places);
  if (!value.isZero() && new DisplayDecimal(fixed).isZero()) fixed = value.toSignificantDigits(3).toFixed();
  return groupThousands(fixed);
}

/**
 * Money for people: rounded to cents with thousands separators ('8,479.16 EUR'). A real amount under a cent reads
 * '< 0.01' (or '> −0.01'), never as a row of digits; residue under MONEY_RESIDUE reads '0.00'.
 */
export function displayMoney(text: string | null, currency: string | null): string {
  if (text === null) return '—';
  const value = new DisplayDecimal(canonicalDecimal(text));
  let amount: string;
  if (value.abs().lessThan(MONEY_RESIDUE)) amount = '0.00';
  else if (value.abs().lessThan('0.005')) amount = value.isNegative() ? '> −0.01' : '< 0.01';
  else amount = groupThousands(value.toFixed(MONEY_DISPLAY.maxFractionDigits));
  return currency === null ? amount : `${amount} ${currency}`;
}

function groupThousands(fixed: string): string {
  const [integer = '', fraction] = fixed.split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

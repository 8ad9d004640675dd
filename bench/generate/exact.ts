// Exact decimal arithmetic for the generator on BigInt: a quantity is the rational numerator / denominator the
// integration produced; it is written rounded (half up) to 16 decimal places, and money is that written quantity
// × the unit price, rounded to 16 places too. No quantity or amount of money ever passes through a JS float.

export const SCALE_DIGITS = 16;
export const SCALE = 10n ** 16n;

/** round(n / d) half away from zero, for d > 0. */
export function roundDiv(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('roundDiv: denominator must be positive');
  const twice = 2n * n;
  return n >= 0n ? (twice + d) / (2n * d) : -((-twice + d) / (2n * d));
}

/** The rational n / d as a fixed-point integer with 16 decimals (value × 10^16), rounded half up. */
export function toScaled(numerator: bigint, denominator: bigint): bigint {
  return roundDiv(numerator * SCALE, denominator);
}

/** A plain decimal string ('0.000137', '12', '-3.5') as value × 10^16; more than 16 decimals is refused. */
export function parseScaled(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,16}))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal with at most 16 places: '${text}'`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  const value = BigInt(whole) * SCALE + BigInt(fraction.padEnd(SCALE_DIGITS, '0'));
  return sign === '-' ? -value : value;
}

/** value × 10^16 as a plain decimal string without trailing zeros ('24576', '0.0322580645161290' → '0.032258064516129'). */
export function formatScaled(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(SCALE_DIGITS + 1, '0');
  const point = digits.length - SCALE_DIGITS;
  let end = digits.length;
  while (end > point && digits.charCodeAt(end - 1) === 48) end--;
  const text = end === point ? digits.slice(0, point) : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  return negative ? `-${text}` : text;
}

/** a × b for two fixed-point values, rounded to 16 places. */
export function multiplyScaled(a: bigint, b: bigint): bigint {
  return roundDiv(a * b, SCALE);
}

/** value × numerator / denominator (integers), rounded to 16 places. */
export function scaleBy(value: bigint, numerator: bigint, denominator: bigint): bigint {
  return roundDiv(value * numerator, denominator);
}

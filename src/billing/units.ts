// Fallback parser for Cost Management `UnitOfMeasure` strings that the vendored PricingUnits.csv
// (data/finops-toolkit) does not list. The CSV is authoritative; this covers unit strings introduced after it
// was published. A unit string is a pricing block size — a number with an optional K/M/B/T multiplier
// attached to it — followed by the distinct unit: '10K' (10,000 units), '1 GiB/Hour', '100 GB/Month',
// '1/Month' (units per month). Microsoft's PricingUnits.csv names unit-less blocks 'Units'.
//
// Case and spacing vary between exports ('1 hour', '1 Gb', 'Gb / Month'), so the unit words PricingUnits.csv uses
// for sizes and time are spelled the way its DistinctUnits column spells them, whatever their case, and runs of
// whitespace collapse: variants of one unit parse to one PricingUnit. Other words are kept as written (folding
// 'MBps' into 'Mbps' would turn bytes into bits). The K/M/B/T multiplier is upper-case only, as in the CSV.
import { Decimal } from 'decimal.js';

export interface PricingUnit {
  /** Pricing block size as an exact decimal string, e.g. '10000'; positive and within DECIMAL(38, 10). */
  blockSize: string;
  /** The unit one block is counted in, e.g. 'GiB/Hour', 'Units', 'Units/Month'. */
  distinctUnit: string;
}

/** Powers of ten. Applied as an exponent, not with times(): decimal.js rounds products to 20 significant digits. */
const MULTIPLIERS: Record<string, number> = { K: 3, M: 6, B: 9, T: 12 };

/** Unit words in PricingUnits.csv's spelling; matched case-insensitively. */
export const UNIT_WORDS: readonly string[] = [
  ...['KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'IOPS'],
  ...['Second', 'Minute', 'Hour', 'Day', 'Month', 'Year', 'Unit'].flatMap((word) => [word, `${word}s`]),
];
const CANONICAL_WORD = new Map(UNIT_WORDS.map((word) => [word.toLowerCase(), word]));

// Singular words PricingUnits.csv writes in the plural when they end what is counted ('1 Hour' → 'Hours',
// '1 GB Hour' → 'GB Hours', 'Unit' → 'Units'); after a '/' they stay singular ('1 GB/Hour').
const PLURALS: Record<string, string> = {
  Second: 'Seconds',
  Minute: 'Minutes',
  Hour: 'Hours',
  Day: 'Days',
  Month: 'Months',
  Year: 'Years',
  Unit: 'Units',
};

// The multiplier must touch the number and end there ('10K', '1K/Month'): '1 TB/Month' is 1 TB, not 1e12 B.
const UNIT_PATTERN = /^(\d+(?:\.\d+)?)(?:([KMBT])(?=$|[\s/]))?\s*(.*)$/s;

// billing_line.pricing_block_size is DECIMAL(38, 10): a block size must fit it exactly to be used at all.
const MAX_INTEGER_DIGITS = 28;
const MAX_FRACTION_DIGITS = 10;

/**
 * Parse a UnitOfMeasure string; null when it is empty or its block size is unusable (zero, beyond DECIMAL(38, 10),
 * or a number with a comma that may be a thousands separator or a decimal comma). A string with no leading number
 * is one block of itself. Never throws: any string is data.
 */
export function parseUnitOfMeasure(text: string): PricingUnit | null {
  const trimmed = collapseWhitespace(text);
  if (trimmed === '') return null;
  const match = UNIT_PATTERN.exec(trimmed);
  if (!match?.[1]) return { blockSize: '1', distinctUnit: distinctUnitOf(trimmed) };
  const rest = match[3] ?? '';
  // '1,000 GB' is a thousand GB in one locale and 1.0 GB in another: guessing either is a silent factor of 1,000.
  if (!match[2] && /^,\d/.test(rest)) return null;
  const exponent = match[2] ? (MULTIPLIERS[match[2]] ?? 0) : 0;
  const blockSize = blockSizeText(new Decimal(`${match[1]}e${exponent}`));
  return blockSize === null ? null : { blockSize, distinctUnit: distinctUnitOf(rest) };
}

function blockSizeText(size: Decimal): string | null {
  if (!size.isPositive() || size.isZero()) return null;
  const text = size.toFixed();
  const [integer = '', fraction = ''] = text.split('.');
  return integer.length > MAX_INTEGER_DIGITS || fraction.length > MAX_FRACTION_DIGITS ? null : text;
}

function distinctUnitOf(rest: string): string {
  if (rest === '') return 'Units';
  if (rest.startsWith('/')) {
    const per = canonicalUnit(rest.slice(1));
    return per === '' ? 'Units' : `Units/${per}`;
  }
  const unit = canonicalUnit(rest);
  const slash = unit.indexOf('/');
  const counted = slash === -1 ? unit : unit.slice(0, slash);
  const words = counted.split(' ');
  const plural = PLURALS[words.at(-1) ?? ''];
  // Only a unit made of known words: in 'Database Unit' the CSV counts 'Units', not 'Database Units'.
  if (plural === undefined || !words.every((word) => CANONICAL_WORD.has(word.toLowerCase()))) return unit;
  return [...words.slice(0, -1), plural].join(' ') + (slash === -1 ? '' : unit.slice(slash));
}

/** Whitespace collapsed (none around '/') and the known unit words in PricingUnits.csv's spelling. */
function canonicalUnit(text: string): string {
  return collapseWhitespace(text)
    .replace(/\s*\/\s*/g, '/')
    .replace(/[^\s/]+/g, (word) => CANONICAL_WORD.get(word.toLowerCase()) ?? word);
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

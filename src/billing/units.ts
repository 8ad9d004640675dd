// Fallback parser for Cost Management `UnitOfMeasure` strings that the vendored PricingUnits.csv
// (data/finops-toolkit) does not list. The CSV is authoritative; this covers unit strings introduced after it
// was published. A unit string is a pricing block size — a number with an optional K/M/B/T multiplier
// attached to it — followed by the distinct unit: '10K' (10,000 units), '1 GiB/Hour', '100 GB/Month',
// '1/Month' (units per month). Microsoft's PricingUnits.csv names unit-less blocks 'Units'.
import { Decimal } from 'decimal.js';

export interface PricingUnit {
  /** Pricing block size as an exact decimal string, e.g. '10000'. */
  blockSize: string;
  /** The unit one block is counted in, e.g. 'GiB/Hour', 'Units', 'Units/Month'. */
  distinctUnit: string;
}

const MULTIPLIERS: Record<string, string> = { K: '1e3', M: '1e6', B: '1e9', T: '1e12' };

// Singular words PricingUnits.csv writes in the plural ('1 Hour' → 'Hours').
const PLURALS: Record<string, string> = { Hour: 'Hours', Day: 'Days', Month: 'Months', Unit: 'Units' };

// The multiplier must touch the number and end there ('10K', '1K/Month'): '1 TB/Month' is 1 TB, not 1e12 B.
const UNIT_PATTERN = /^(\d+(?:\.\d+)?)(?:([KMBT])(?=$|[\s/]))?\s*(.*)$/;

/** Parse a UnitOfMeasure string; null when it is empty. A string with no leading number is one block of itself. */
export function parseUnitOfMeasure(text: string): PricingUnit | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = UNIT_PATTERN.exec(trimmed);
  if (!match?.[1]) return { blockSize: '1', distinctUnit: trimmed };
  const multiplier = match[2] ? MULTIPLIERS[match[2]] : undefined;
  const size = multiplier ? new Decimal(match[1]).times(multiplier) : new Decimal(match[1]);
  return { blockSize: size.toFixed(), distinctUnit: distinctUnitOf((match[3] ?? '').trim()) };
}

function distinctUnitOf(rest: string): string {
  if (rest === '') return 'Units';
  if (rest.startsWith('/')) return `Units/${rest.slice(1).trim()}`;
  return PLURALS[rest] ?? rest;
}

// Run configuration, parsed once at the edge (src/cli.ts) into a typed object. Every error names the option.
import { parseArgs } from 'node:util';
import { Decimal } from 'decimal.js';
import { DEFAULT_TOLERANCE, DEFAULT_TOLERANCE_PCT } from './diff/policy.ts';
import { InputError } from './errors.ts';
import { isCalendarDay } from './scope.ts';

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

// The tolerance defaults live with the diff's other judgement calls (src/diff/policy.ts).
export { DEFAULT_TOLERANCE, DEFAULT_TOLERANCE_PCT } from './diff/policy.ts';

export interface RunConfig {
  /** nightly | dispute | a path to a pipeline file. */
  pipeline: string;
  exports: string[];
  inventory: string[];
  transactions: string[];
  db: string;
  out: string;
  month: string | undefined;
  from: string | undefined;
  to: string | undefined;
  resources: string[];
  /** Decimal strings, validated. */
  tolerance: string;
  tolerancePct: string;
  failOn: Severity | undefined;
  quiet: boolean;
  json: boolean;
  /** Rebuild every month instead of only those whose inputs changed. */
  full: boolean;
  threads: number | undefined;
  memoryLimit: string | undefined;
  /** --inventory-as-of as an ISO-8601 UTC time: how far the inventory vouches for each last recorded state. */
  inventoryAsOf: string | undefined;
}

export const RUN_OPTIONS = {
  exports: { type: 'string', multiple: true },
  inventory: { type: 'string', multiple: true },
  transactions: { type: 'string', multiple: true },
  db: { type: 'string' },
  out: { type: 'string' },
  month: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  resource: { type: 'string', multiple: true },
  tolerance: { type: 'string' },
  'tolerance-pct': { type: 'string' },
  'fail-on': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  full: { type: 'boolean' },
  threads: { type: 'string' },
  'memory-limit': { type: 'string' },
  'inventory-as-of': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parse `recon run` arguments (everything after `run`). Throws InputError naming the bad option. */
export function parseRunArgs(args: readonly string[]): RunConfig | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`recon run: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new InputError(
      `recon run: expected exactly one pipeline (nightly, dispute or a pipeline file), got ${positionals.length}`,
    );
  }
  const month = values.month === undefined ? undefined : parseMonth(values.month);
  const from = values.from === undefined ? undefined : parseDay('--from', values.from);
  const to = values.to === undefined ? undefined : parseDay('--to', values.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new InputError(`--from ${from} is after --to ${to}`);
  }
  return {
    pipeline: positionals[0] ?? '',
    exports: values.exports ?? [],
    inventory: values.inventory ?? [],
    transactions: values.transactions ?? [],
    db: values.db ?? 'recon.duckdb',
    out: values.out ?? 'out',
    month,
    from,
    to,
    resources: (values.resource ?? []).map((prefix) => parseResourcePrefix(prefix)),
    tolerance: parseNonNegativeDecimal('--tolerance', values.tolerance ?? DEFAULT_TOLERANCE),
    tolerancePct: parseNonNegativeDecimal('--tolerance-pct', values['tolerance-pct'] ?? DEFAULT_TOLERANCE_PCT),
    failOn: values['fail-on'] === undefined ? undefined : parseSeverity(values['fail-on']),
    quiet: values.quiet ?? false,
    json: values.json ?? false,
    full: values.full ?? false,
    threads: values.threads === undefined ? undefined : parsePositiveInteger('--threads', values.threads),
    memoryLimit: values['memory-limit'] === undefined ? undefined : parseMemoryLimit(values['memory-limit']),
    inventoryAsOf: values['inventory-as-of'] === undefined ? undefined : parseInventoryAsOf(values['inventory-as-of']),
  };
}

export function parseMonth(text: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  const monthNumber = match ? Number(match[2]) : 0;
  if (!match || monthNumber < 1 || monthNumber > 12) {
    throw new InputError(`--month must be YYYY-MM (a UTC calendar month), got '${text}'`);
  }
  return text;
}

export function parseDay(option: string, text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !isCalendarDay(text)) {
    throw new InputError(`${option} must be a real date YYYY-MM-DD, got '${text}'`);
  }
  return text;
}

function parseResourcePrefix(text: string): string {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') throw new InputError('--resource must not be empty');
  return trimmed;
}

function parseNonNegativeDecimal(option: string, text: string): string {
  let value: Decimal;
  try {
    value = new Decimal(text);
  } catch {
    throw new InputError(`${option} must be a decimal number, got '${text}'`);
  }
  if (!value.isFinite() || value.isNegative()) {
    throw new InputError(`${option} must be a non-negative decimal number, got '${text}'`);
  }
  return value.toFixed();
}

function parseSeverity(text: string): Severity {
  const match = SEVERITIES.find((severity) => severity === text.toLowerCase());
  if (!match) throw new InputError(`--fail-on must be one of ${SEVERITIES.join(', ')}, got '${text}'`);
  return match;
}

function parsePositiveInteger(option: string, text: string): number {
  if (!/^[1-9]\d{0,3}$/.test(text)) throw new InputError(`${option} must be a positive integer, got '${text}'`);
  return Number(text);
}

function parseMemoryLimit(text: string): string {
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(text)) {
    throw new InputError(`--memory-limit must be a size like 4GB or 512MiB, got '${text}'`);
  }
  return text;
}

/**
 * --inventory-as-of: a UTC date (the inventory vouches through the end of that day) or an ISO-8601 time with `Z` or
 * an offset (a time without a zone is ambiguous and refused). Returned as an ISO-8601 UTC time.
 */
export function parseInventoryAsOf(text: string): string {
  const wrong = (): never => {
    throw new InputError(
      `--inventory-as-of must be a date YYYY-MM-DD or an ISO-8601 time with Z or an offset (2026-02-15T06:00:00Z), got '${text}'`,
    );
  };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!isCalendarDay(text)) wrong();
    return new Date(Date.parse(`${text}T00:00:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z');
  }
  const match = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const millis = Date.parse(text);
  if (!match?.[1] || !isCalendarDay(match[1]) || Number.isNaN(millis)) wrong();
  return new Date(millis).toISOString().replace('.000Z', 'Z');
}

// Run configuration, parsed once at the edge (src/cli.ts) into a typed object. Every error names the option.
import { Decimal } from 'decimal.js';
import { oneOf, parseOptions } from './cli/args.ts';
import { checkWarehousePath } from './db/warehouse-file.ts';
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
  /** Hash every export file again, even one whose path, size and mtime match a file already ingested. */
  rehash: boolean;
  threads: number | undefined;
  memoryLimit: string | undefined;
  /** --inventory-as-of as an ISO-8601 UTC time: how far the inventory vouches for each last recorded state. */
  inventoryAsOf: string | undefined;
  /** CSV files start with the UTF-8 BOM so Excel reads them as UTF-8 (default); --no-csv-bom turns it off. */
  csvBom: boolean;
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
  rehash: { type: 'boolean' },
  threads: { type: 'string' },
  'memory-limit': { type: 'string' },
  'inventory-as-of': { type: 'string' },
  'no-csv-bom': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `recon run [<pipeline>] --help`: which help to print. */
export interface RunHelp {
  help: true;
  pipeline: string | undefined;
}

/**
 * Parse `recon run` arguments (everything after `run`). Every value is checked here, before anything runs; an
 * InputError names the bad option.
 */
export function parseRunArgs(args: readonly string[]): RunConfig | RunHelp {
  const { values, positionals } = parseOptions('run', args, RUN_OPTIONS);
  if (values.help) return { help: true, pipeline: positionals[0] };
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
    db: parseDbPath(values.db ?? 'recon.duckdb'),
    out: values.out ?? 'out',
    month,
    from,
    to,
    resources: (values.resource ?? []).map((prefix) => parseResourcePrefix(prefix)),
    tolerance: parseTolerance('--tolerance', values.tolerance ?? DEFAULT_TOLERANCE, TOLERANCE_PLACES),
    tolerancePct: parseTolerance(
      '--tolerance-pct',
      values['tolerance-pct'] ?? DEFAULT_TOLERANCE_PCT,
      TOLERANCE_PCT_PLACES,
    ),
    failOn: values['fail-on'] === undefined ? undefined : parseSeverity(values['fail-on']),
    quiet: values.quiet ?? false,
    json: values.json ?? false,
    full: values.full ?? false,
    // --full re-reads everything: it implies --rehash.
    rehash: (values.rehash ?? false) || (values.full ?? false),
    threads: values.threads === undefined ? undefined : parsePositiveInteger('--threads', values.threads),
    memoryLimit: values['memory-limit'] === undefined ? undefined : parseMemoryLimit(values['memory-limit']),
    inventoryAsOf: values['inventory-as-of'] === undefined ? undefined : parseInventoryAsOf(values['inventory-as-of']),
    csvBom: values['no-csv-bom'] !== true,
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

/**
 * The precision the diff compares tolerances at (sql/diff/diff_macros.sql, diff_parameter.sql): the absolute
 * tolerance is scaled to 12 decimal places, the percentage to 6. A finer value would be rounded there without a
 * word, so it is refused here; a value past DECIMAL(38, 18)'s 20 integer digits could not be bound at all.
 */
export const TOLERANCE_PLACES = 12;
export const TOLERANCE_PCT_PLACES = 6;
const TOLERANCE_INTEGER_DIGITS = 20;

function parseTolerance(option: string, text: string, places: number): string {
  if (!/^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
    throw new InputError(
      /^\s*-/.test(text)
        ? `${option} must be a non-negative decimal number, got '${text}'`
        : `${option} must be a decimal number like 0.000001, got '${text}'`,
    );
  }
  const value = new Decimal(text.trim());
  if (value.decimalPlaces() > places) {
    throw new InputError(`${option} allows at most ${places} decimal places, got '${text}'`);
  }
  if (value.gte(new Decimal(10).pow(TOLERANCE_INTEGER_DIGITS))) {
    throw new InputError(`${option} must be below 1e${TOLERANCE_INTEGER_DIGITS}, got '${text}'`);
  }
  return value.toFixed();
}

function parseSeverity(text: string): Severity {
  return oneOf('--fail-on', text, SEVERITIES);
}

function parseDbPath(text: string): string {
  if (text.trim() === '') throw new InputError('--db must not be empty');
  checkWarehousePath(text);
  return text;
}

function parsePositiveInteger(option: string, text: string): number {
  if (!/^[1-9]\d{0,3}$/.test(text)) throw new InputError(`${option} must be a positive integer, got '${text}'`);
  return Number(text);
}

/** DuckDB cannot ingest the sample month below this (measured: 128MB runs out of memory reading one CSV). */
export const MIN_MEMORY_LIMIT = '256MB';
const MIN_MEMORY_BYTES = new Decimal(256_000_000);
const SIZE_FACTORS: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

function parseMemoryLimit(text: string): string {
  const match = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(text.trim());
  if (!match) throw new InputError(`--memory-limit must be a size like 4GB or 512MiB, got '${text}'`);
  const bytes = new Decimal(match[1] ?? '0').times(SIZE_FACTORS[(match[2] ?? '').toLowerCase()] ?? 0);
  if (bytes.lt(MIN_MEMORY_BYTES)) {
    throw new InputError(`--memory-limit must be at least ${MIN_MEMORY_LIMIT}, got '${text}'`);
  }
  return text.trim();
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

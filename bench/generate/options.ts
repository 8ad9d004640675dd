// The generator's options: the function API's shape, its defaults, and the validation both the API and the CLI go
// through. Every problem names the option it is about.
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { parseMonth, type Month } from './calendar.ts';

export type Dialect = 'ea' | 'mca' | 'focus';
export type ChangeMode = 'daily' | 'hourly';

export interface GenerateOptions {
  /** Output folder; default bench/data/<name from the options>. */
  out?: string;
  /** Azure Files shares in the fleet (≥ 10). */
  shares: number;
  /** Total data rows in the export: Files rows + unrelated noise rows. 0 = Files rows only, no noise. */
  rows: number;
  /** Month-to-date coverage: usage days 1..days (default: the whole month). */
  days?: number;
  /** Export dialect (default mca). */
  dialect?: Dialect;
  /** Billing month 'YYYY-MM' (default 2026-10). */
  month?: string;
  /** Write part_N_0001.csv.gz instead of .csv. */
  gzip?: boolean;
  /** Each partition stays below this many MB (10^6 bytes) uncompressed (default 900). */
  partitionMb?: number;
  /** How often share state changes: once a day at a seeded hour, or every hour (default daily). */
  changes?: ChangeMode;
  /** PRNG seed, an integer 0 … 2^31 − 1 (default 1). */
  seed?: number;
  /** Plant no discrepancies (answers.json then lists none). */
  noPlant?: boolean;
  /** Progress lines (stderr in the CLI). */
  onProgress?: (message: string) => void;
}

export interface ResolvedOptions {
  out: string;
  shares: number;
  rows: number;
  days: number;
  dialect: Dialect;
  month: Month;
  gzip: boolean;
  partitionMb: number;
  partitionBytes: number;
  changes: ChangeMode;
  seed: number;
  plant: boolean;
}

export const DEFAULTS = {
  month: '2026-10',
  dialect: 'mca' as Dialect,
  partitionMb: 900,
  changes: 'daily' as ChangeMode,
  seed: 1,
};

export const MIN_SHARES = 10;
export const MAX_SHARES = 1_000_000;
export const MAX_ROWS = 1_000_000_000;
// a partition must hold its header and a few rows; Microsoft keeps partitions under 1 GB
export const MIN_PARTITION_MB = 0.05;
export const MAX_PARTITION_MB = 1000;

export const DATA_ROOT = join(import.meta.dirname, '..', 'data');

function integerIn(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`${option} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** The folder name a dataset gets under bench/data when no --out is given. */
export function defaultName(o: Omit<ResolvedOptions, 'out'>): string {
  const parts = [
    o.dialect,
    o.month.text,
    `${o.shares}s`,
    `${o.rows}r`,
    `d${o.days}`,
    o.changes,
    `seed${o.seed}`,
    o.plant ? '' : 'noplant',
    o.gzip ? 'gz' : '',
  ];
  return parts.filter((p) => p !== '').join('-');
}

function isDialect(value: unknown): value is Dialect {
  return value === 'ea' || value === 'mca' || value === 'focus';
}

function isChangeMode(value: unknown): value is ChangeMode {
  return value === 'daily' || value === 'hourly';
}

export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const shares = integerIn('--shares', options.shares, MIN_SHARES, MAX_SHARES);
  const rows = integerIn('--rows', options.rows, 0, MAX_ROWS);
  const monthText = options.month ?? DEFAULTS.month;
  const month = parseMonth(monthText);
  if (!month) throw new InputError(`--month must be a month YYYY-MM (2000–2099), got '${monthText}'`);
  const days = options.days === undefined ? month.days : integerIn('--days', options.days, 1, month.days);
  // JavaScript callers can pass anything: the values are checked as unknown
  const dialect: unknown = options.dialect ?? DEFAULTS.dialect;
  if (!isDialect(dialect)) throw new InputError(`--dialect must be ea, mca or focus, got '${String(dialect)}'`);
  const partitionMb: unknown = options.partitionMb ?? DEFAULTS.partitionMb;
  if (
    typeof partitionMb !== 'number' ||
    !Number.isFinite(partitionMb) ||
    partitionMb < MIN_PARTITION_MB ||
    partitionMb > MAX_PARTITION_MB
  ) {
    throw new InputError(
      `--partition-mb must be a number from ${MIN_PARTITION_MB} to ${MAX_PARTITION_MB}, got ${String(partitionMb)}`,
    );
  }
  const changes: unknown = options.changes ?? DEFAULTS.changes;
  if (!isChangeMode(changes)) throw new InputError(`--changes must be daily or hourly, got '${String(changes)}'`);
  const seed = integerIn('--seed', options.seed ?? DEFAULTS.seed, 0, 2 ** 31 - 1);
  const resolved = {
    shares,
    rows,
    days,
    dialect,
    month,
    gzip: options.gzip === true,
    partitionMb,
    // a size limit in bytes, not a quantity: rounding the MB figure down keeps partitions under it
    partitionBytes: Math.floor(partitionMb * 1_000_000),
    changes,
    seed,
    plant: options.noPlant !== true,
  };
  return { ...resolved, out: options.out ?? join(DATA_ROOT, defaultName(resolved)) };
}

// ---- command line ----

const USAGE = `usage: npm run gen -- --shares N --rows R [--days D] [--dialect ea|mca|focus] [--month YYYY-MM]
                      [--out DIR] [--gzip] [--partition-mb M] [--changes daily|hourly] [--seed S] [--no-plant]`;

const VALUE_OPTIONS = new Set([
  '--out',
  '--shares',
  '--rows',
  '--days',
  '--dialect',
  '--month',
  '--partition-mb',
  '--changes',
  '--seed',
]);
const FLAG_OPTIONS = new Set(['--gzip', '--no-plant', '--help']);

function wholeNumber(option: string, text: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new InputError(`${option} must be a whole number, got '${text}'`);
  return Number(text);
}

/** Parses the CLI's arguments into GenerateOptions (null for --help); values are range-checked by resolveOptions. */
export function parseCliArgs(argv: readonly string[]): GenerateOptions | null {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAG_OPTIONS.has(name)) {
      if (eq > 0) throw new InputError(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new InputError(`unknown option '${arg}'\n${USAGE}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new InputError(`${name} needs a value`);
    if (values.has(name)) throw new InputError(`${name} is given twice`);
    values.set(name, value);
  }
  if (flags.has('--help')) return null;
  const shares = values.get('--shares');
  const rows = values.get('--rows');
  if (shares === undefined) throw new InputError(`--shares is required\n${USAGE}`);
  if (rows === undefined) throw new InputError(`--rows is required\n${USAGE}`);
  const options: GenerateOptions = { shares: wholeNumber('--shares', shares), rows: wholeNumber('--rows', rows) };
  const out = values.get('--out');
  if (out !== undefined) options.out = out;
  const days = values.get('--days');
  if (days !== undefined) options.days = wholeNumber('--days', days);
  const dialect = values.get('--dialect');
  if (dialect !== undefined) {
    if (dialect !== 'ea' && dialect !== 'mca' && dialect !== 'focus') {
      throw new InputError(`--dialect must be ea, mca or focus, got '${dialect}'`);
    }
    options.dialect = dialect;
  }
  const month = values.get('--month');
  if (month !== undefined) options.month = month;
  const partitionMb = values.get('--partition-mb');
  if (partitionMb !== undefined) {
    if (!/^\d{1,4}(\.\d{1,6})?$/.test(partitionMb)) {
      throw new InputError(`--partition-mb must be a number of MB, got '${partitionMb}'`);
    }
    // a file-size limit, not a quantity
    options.partitionMb = Number(partitionMb);
  }
  const changes = values.get('--changes');
  if (changes !== undefined) {
    if (changes !== 'daily' && changes !== 'hourly') {
      throw new InputError(`--changes must be daily or hourly, got '${changes}'`);
    }
    options.changes = changes;
  }
  const seed = values.get('--seed');
  if (seed !== undefined) options.seed = wholeNumber('--seed', seed);
  if (flags.has('--gzip')) options.gzip = true;
  if (flags.has('--no-plant')) options.noPlant = true;
  return options;
}

export { USAGE };

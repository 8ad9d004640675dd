// The scope of a run (--month, --from/--to, --resource), checked once here for every stage that takes one, so
// that all stages agree on what a valid month, day and resource prefix are. Prefixes are matched against lower-cased
// ARM ids, so they are lower-cased here: the match is case-insensitive everywhere. The runner resolves a run's
// scope once (src/pipeline/run-plan.ts) and installs it here, for every report and export to read; each stage
// slice is installed in the same tables while the stage runs (withStageScope), so every SQL file reads one scope.
import { listValue } from '@duckdb/node-api';
import { declaredNames, loadSql, type Warehouse } from './db/warehouse.ts';
import { InputError } from './errors.ts';

export interface RunScope {
  month?: string;
  /** First and last usage day, inclusive, YYYY-MM-DD (UTC). */
  from?: string;
  to?: string;
  resourcePrefixes?: readonly string[];
}

export interface CheckedScope {
  month: string | null;
  from: string | null;
  to: string | null;
  /** Trimmed, lower-cased, distinct and sorted. */
  prefixes: string[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isBillingMonth(text: string): boolean {
  return MONTH.test(text);
}

/** True for a calendar date that exists (rejects 2023-02-29): the UTC round trip must give the same text. */
export function isCalendarDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The last day of a billing month, YYYY-MM-DD. */
export function lastDayOfMonth(month: string): string {
  const [year = 0, monthNumber = 0] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

/** Check a scope for `stage`; the InputError names the stage and the field. */
export function checkScope(stage: string, scope: RunScope = {}): CheckedScope {
  const { month, from, to } = scope;
  if (month !== undefined && !isBillingMonth(month))
    throw new InputError(`${stage} scope: month '${month}' is not YYYY-MM`);
  for (const [name, day] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (day !== undefined && !isCalendarDay(day)) {
      throw new InputError(`${stage} scope: ${name} '${day}' is not a calendar date YYYY-MM-DD`);
    }
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new InputError(`${stage} scope: from ${from} is after to ${to}`);
  }
  const prefixes = [...new Set((scope.resourcePrefixes ?? []).map((prefix) => prefix.trim().toLowerCase()))].sort();
  if (prefixes.includes('')) throw new InputError(`${stage} scope: an empty resource prefix would select everything`);
  return { month: month ?? null, from: from ?? null, to: to ?? null, prefixes };
}

/**
 * Installs run_scope, run_scope_month, run_scope_prefix and the in_scope_* macros (sql/pipeline/run_scope*.sql).
 * `months` null: every billing month (a stage slice without --month); otherwise exactly those months.
 */
export async function installRunScope(
  wh: Warehouse,
  scope: CheckedScope,
  months: readonly string[] | null,
): Promise<void> {
  const stage = { stage: 'plan' };
  await wh.runFile('pipeline/run_scope.sql', {
    month: scope.month,
    from_day: scope.from,
    to_day: scope.to,
    every_month: months === null,
  });
  await wh.run('create or replace temp table run_scope_month (billing_month varchar not null)', undefined, stage);
  if (months !== null && months.length > 0) {
    await wh.run(
      'insert into run_scope_month select unnest($months::varchar[])',
      { months: listValue([...months]) },
      stage,
    );
  }
  await wh.run('create or replace temp table run_scope_prefix (prefix varchar not null)', undefined, stage);
  for (const prefix of scope.prefixes) {
    await wh.run('insert into run_scope_prefix values ($prefix)', { prefix: prefix.toLowerCase() }, stage);
  }
  await wh.runFile('pipeline/run_scope_macros.sql');
}

interface InstalledScope {
  scope: CheckedScope;
  months: string[] | null;
}

/** The scope installed in the connection now (the run's, or an enclosing slice's); null when none is. */
async function installedScope(wh: Warehouse): Promise<InstalledScope | null> {
  const stage = { stage: 'scope' };
  const found = await wh.row<{ n: string }>(
    "select count(*)::varchar as n from duckdb_tables() where temporary and table_name = 'run_scope_month'",
    undefined,
    stage,
  );
  if (found?.n === '0') return null;
  const row = await wh.row<{ month: string | null; from_day: string | null; to_day: string | null; every: boolean }>(
    'select month, from_day::varchar as from_day, to_day::varchar as to_day, every_month as every from run_scope',
    undefined,
    stage,
  );
  const months = await wh.rows<{ billing_month: string }>(
    'select billing_month from run_scope_month order by billing_month',
    undefined,
    stage,
  );
  const prefixes = await wh.rows<{ prefix: string }>(
    'select prefix from run_scope_prefix order by prefix',
    undefined,
    stage,
  );
  return {
    scope: {
      month: row?.month ?? null,
      from: row?.from_day ?? null,
      to: row?.to_day ?? null,
      prefixes: prefixes.map((p) => p.prefix),
    },
    months: row?.every === true ? null : months.map((m) => m.billing_month),
  };
}

/**
 * Runs `work` with a stage's slice (one month of the run plan, or the scope a test or tool gives) installed as the
 * scope, in the same run_scope tables and read by the same in_scope_* macros as the run's; the scope installed
 * before (the run's) is put back afterwards, so the reports still read the run's. A slice without a month covers
 * every billing month.
 */
export async function withStageScope<T>(
  wh: Warehouse,
  stage: string,
  slice: RunScope,
  work: () => Promise<T>,
): Promise<T> {
  const checked = checkScope(stage, slice);
  const previous = await installedScope(wh);
  await installRunScope(wh, checked, checked.month === null ? null : [checked.month]);
  try {
    return await work();
  } finally {
    if (previous === null) {
      await dropRunScope(wh);
    } else {
      await installRunScope(wh, previous.scope, previous.months);
    }
  }
}

/**
 * Removes the scope's tables, and the variables and macros that run_scope_macros.sql made of them: a statement
 * that still reads the scope fails, naming the macro, instead of reading one no longer installed.
 */
async function dropRunScope(wh: Warehouse): Promise<void> {
  await wh.dropTempTables('scope', ['run_scope', 'run_scope_month', 'run_scope_prefix']);
  const sql = await loadSql('pipeline/run_scope_macros.sql');
  for (const variable of declaredNames(sql, 'set variable')) {
    await wh.run(`reset variable ${variable}`, undefined, { stage: 'scope' });
  }
  for (const macro of declaredNames(sql, 'create or replace temp macro')) {
    await wh.run(`drop macro if exists temp.${macro}`, undefined, { stage: 'scope' });
  }
}

/** The billing months of the installed scope, ascending. */
export async function scopeMonths(wh: Warehouse): Promise<string[]> {
  const rows = await wh.rows<{ billing_month: string }>(
    'select billing_month from run_scope_month order by billing_month',
    undefined,
    { stage: 'scope' },
  );
  return rows.map((row) => row.billing_month);
}

/**
 * The run scope for a report or export written outside a run (a test, a tool): the given months, every day and
 * resource. Within a run the runner has installed the run's own scope and it is left as it is.
 */
export async function ensureRunScope(wh: Warehouse, months: readonly string[]): Promise<void> {
  const row = await wh.row<{ n: string }>(
    "select count(*)::varchar as n from duckdb_tables() where temporary and table_name = 'run_scope_month'",
    undefined,
    { stage: 'scope' },
  );
  if (row?.n === '0') await installRunScope(wh, { month: null, from: null, to: null, prefixes: [] }, months);
}

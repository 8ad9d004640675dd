// The run plan: the run's scope (--month, --from/--to, --resource) resolved once — names to ARM ids, months to the
// billing months delivered — its month plan, fingerprint and output folder, built by the runner once the inputs are
// read and before the first stage that reads them; then installed once in the connection (sql/pipeline/run_scope*)
// for every report and export to read. A scoped run writes to a scope-named folder under --out, so it never
// replaces the full run's reports; a scope that matches no data stops the run (exit 2) instead of "0 findings".
import { join } from 'node:path';
import type { RunConfig } from '../config.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { disputeSlug } from '../dispute/scope.ts';
import { InputError } from '../errors.ts';
import { checkScope, installRunScope, type CheckedScope, type RunScope } from '../scope.ts';
import { runFingerprint, type RunFingerprint } from './fingerprint.ts';
import { planMonths, type MonthPlan } from './incremental.ts';

export interface RunPlan {
  /** The resolved scope: month, days, and the lower-cased ARM id prefixes (names replaced by the ids they name). */
  scope: CheckedScope;
  /** True for a run scoped by --month, --from/--to or --resource. */
  isScoped: boolean;
  /** The billing months the run reports on. */
  months: string[];
  monthPlan: MonthPlan;
  fingerprint: RunFingerprint;
  /** Where the export and report stages write: --out, or --out/scoped/<scope>/ for a scoped run. */
  outDir: string;
}

/** Name-like --resource values that name no resource are listed in the hint with at most this many ids. */
const HINT_IDS = 5;
const ARM_ID_START = '/subscriptions/';

export async function buildRunPlan(
  wh: Warehouse,
  config: RunConfig,
  pipeline: string,
  warnings: string[],
): Promise<RunPlan> {
  const given = checkScope('run', {
    ...(config.month === undefined ? {} : { month: config.month }),
    ...(config.from === undefined ? {} : { from: config.from }),
    ...(config.to === undefined ? {} : { to: config.to }),
    resourcePrefixes: config.resources,
  });
  const isScoped = given.month !== null || given.from !== null || given.to !== null || given.prefixes.length > 0;
  const { prefixes, unnamed } = await resolveNames(wh, given.prefixes);
  const scope: CheckedScope = { ...given, prefixes };
  const months = await monthsOf(wh, scope);
  await installRunScope(wh, scope, months);
  if (isScoped) await refuseEmptyScope(wh, scope, months, unnamed);
  for (const name of unnamed) {
    warnings.push(`--resource '${name}' is not an ARM id prefix and names no billed or inventoried resource`);
  }
  const fingerprint = await runFingerprint(wh, config, months);
  const monthPlan = await planMonths({
    wh,
    pipeline,
    scope: stageScope(scope),
    isAdHoc: isScoped,
    full: config.full,
    inScope: months,
    fingerprint,
  });
  const outDir = isScoped ? join(config.out, 'scoped', scopeFolderName(given)) : config.out;
  return { scope, isScoped, months, monthPlan, fingerprint, outDir };
}

/** The scope as the month-level stages take it. */
function stageScope(scope: CheckedScope): RunScope {
  return {
    ...(scope.month === null ? {} : { month: scope.month }),
    ...(scope.from === null ? {} : { from: scope.from }),
    ...(scope.to === null ? {} : { to: scope.to }),
    ...(scope.prefixes.length === 0 ? {} : { resourcePrefixes: scope.prefixes }),
  };
}

/**
 * The folder a scoped run writes to, under --out/scoped/: the month or the day range (`all` for neither), then `_`
 * and the resource slug of the dispute packs (the names of the resources; a hash when there are several).
 */
export function scopeFolderName(scope: CheckedScope): string {
  const days = scope.from === null && scope.to === null ? [] : [`${scope.from ?? 'start'}_${scope.to ?? 'end'}`];
  const period = [...(scope.month === null ? [] : [scope.month]), ...days].join('_') || 'all';
  return scope.prefixes.length === 0 ? period : `${period}_${disputeSlug(scope.prefixes)}`;
}

/**
 * A --resource that does not start like an ARM id is taken for a name: it stands for the ids of the resources of
 * that name (account, share, snapshot; case-insensitive). A name that names nothing stays as given (it matches no
 * id) and is returned in `unnamed` for the message.
 */
async function resolveNames(
  wh: Warehouse,
  given: readonly string[],
): Promise<{ prefixes: string[]; unnamed: string[] }> {
  const prefixes = new Set<string>();
  const unnamed: string[] = [];
  for (const prefix of given) {
    if (prefix.startsWith(ARM_ID_START)) {
      prefixes.add(prefix);
      continue;
    }
    const ids = await wh.rowsFromFile<{ resource_id: string }>('pipeline/resource_name_match.sql', { name: prefix });
    if (ids.length === 0) {
      unnamed.push(prefix);
      prefixes.add(prefix);
    }
    for (const { resource_id } of ids) prefixes.add(resource_id);
  }
  return { prefixes: [...prefixes].sort(), unnamed };
}

/** --month, else every month a current delivery bills within --from/--to. A month without a delivery is refused. */
async function monthsOf(wh: Warehouse, scope: CheckedScope): Promise<string[]> {
  const rows = await wh.rows<{ billing_month: string }>(
    'select distinct billing_month from current_delivery order by billing_month',
    undefined,
    { stage: 'plan' },
  );
  const delivered = rows.map((row) => row.billing_month);
  if (scope.month !== null) {
    if (!delivered.includes(scope.month)) {
      throw new InputError(
        `nothing was billed or expected in ${scope.month}: no current delivery bills that month ` +
          `(months delivered: ${delivered.join(', ') || 'none'})`,
      );
    }
    return [scope.month];
  }
  const months = delivered.filter((month) => inSpan(month, scope.from, scope.to));
  if (months.length === 0 && (scope.from !== null || scope.to !== null)) {
    throw new InputError(
      `no billing month has deliveries in ${scope.from ?? 'the first month'} to ${scope.to ?? 'the last month'} ` +
        `(months delivered: ${delivered.join(', ') || 'none'})`,
    );
  }
  return months;
}

/** A month overlaps the --from/--to span when its first day is not after --to and its last is not before --from. */
function inSpan(month: string, from: string | null, to: string | null): boolean {
  return (to === null || `${month}-01` <= to) && (from === null || `${month}-31` >= from);
}

/** A scoped run whose scope holds no billing line and no inventory stops here, naming what matched nothing. */
async function refuseEmptyScope(
  wh: Warehouse,
  scope: CheckedScope,
  months: readonly string[],
  unnamed: readonly string[],
): Promise<void> {
  const givenOnlyNames = unnamed.length > 0 && unnamed.length === scope.prefixes.length;
  if (givenOnlyNames) {
    const hints: string[] = [];
    for (const name of unnamed) {
      const ids = await wh.rowsFromFile<{ resource_id: string }>('pipeline/resource_name_hint.sql', {
        text: name,
        limit: HINT_IDS,
      });
      hints.push(...ids.map((row) => row.resource_id));
    }
    throw new InputError(
      `--resource ${unnamed.map((name) => `'${name}'`).join(', ')} is not an ARM id prefix (${ARM_ID_START}…) ` +
        `and names no billed or inventoried resource` +
        (hints.length > 0 ? `; did you mean ${[...new Set(hints)].join(', ')}?` : ''),
    );
  }
  const row = await wh.rowsFromFile<{ line_count: bigint | string; interval_count: bigint | string }>(
    'pipeline/scope_data.sql',
  );
  const found = row[0];
  if (found !== undefined && (String(found.line_count) !== '0' || String(found.interval_count) !== '0')) return;
  const period =
    scope.from === null && scope.to === null
      ? months.join(', ')
      : `${scope.from ?? 'the first month'} to ${scope.to ?? 'the last month'}`;
  const resources =
    scope.prefixes.length === 0 ? '' : ` for --resource ${scope.prefixes.map((p) => `'${p}'`).join(', ')}`;
  throw new InputError(`nothing was billed or expected in ${period}${resources}: check the scope`);
}

// A stage slice is installed in the run's own scope tables while the stage runs (withStageScope) and the run's scope
// is put back afterwards, so the reports after the stages still read the run's months, days and prefixes; the same
// in_scope_* macros answer for the slice meanwhile, prefixes case-insensitively.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { installRunScope, withStageScope } from '../../src/scope.ts';
import { planOperators } from '../helpers/plan.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const ACCOUNT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acct';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse();
});
afterEach(() => {
  wh.close();
});

async function answers(): Promise<Record<string, boolean>> {
  const row = await wh.row<Record<string, boolean>>(
    `select in_scope_month('2026-09') as sep, in_scope_month('2026-10') as oct,
            in_scope_day(date '2026-10-02') as day2, in_scope_day(date '2026-10-20') as day20,
            in_scope_resource('${ACCOUNT.toUpperCase()}/fileServices/default') as acct,
            in_scope_resource('/subscriptions/s2/x') as other,
            in_scope_usage_day(date '2026-09-30') as sep30`,
  );
  return row ?? {};
}

it('answers for the slice while the stage runs and for the run again afterwards', async () => {
  await installRunScope(wh, { month: null, from: null, to: '2026-10-10', prefixes: [ACCOUNT] }, ['2026-09', '2026-10']);
  const run = await answers();
  expect(run).toEqual({ sep: true, oct: true, day2: true, day20: false, acct: true, other: false, sep30: true });

  const inSlice = await withStageScope(wh, 'test', { month: '2026-10' }, answers);
  expect(inSlice).toEqual({ sep: false, oct: true, day2: true, day20: true, acct: true, other: true, sep30: false });

  expect(await answers()).toEqual(run);
});

it('puts the run back even when the stage fails, and leaves no scope when none was installed', async () => {
  await installRunScope(wh, { month: '2026-10', from: null, to: null, prefixes: [] }, ['2026-10']);
  const run = await answers();
  await expect(
    withStageScope(wh, 'test', { month: '2026-09' }, () => Promise.reject(new Error('stage failed'))),
  ).rejects.toThrow('stage failed');
  expect(await answers()).toEqual(run);

  const fresh = await openTestWarehouse();
  try {
    // A slice without a month covers every month its days touch.
    const during = await withStageScope(fresh, 'test', { from: '2026-09-30', to: '2026-10-01' }, async () =>
      fresh.row<{ aug: boolean; sep: boolean; oct: boolean }>(
        "select in_scope_month('2026-08') as aug, in_scope_month('2026-09') as sep, in_scope_month('2026-10') as oct",
      ),
    );
    expect(during).toEqual({ aug: false, sep: true, oct: true });
    const left = await fresh.row<{ n: string }>(
      "select count(*)::varchar as n from duckdb_tables() where temporary and table_name like 'run_scope%'",
    );
    expect(left?.n).toBe('0');
    // nor its predicates: a statement that still reads the scope fails instead of reading one no longer there
    await expect(fresh.row("select in_scope_month('2026-10') as oct")).rejects.toThrow(/in_scope_month/);
    expect(await fresh.row("select getvariable('recon_scope_months') as months")).toEqual({ months: null });
  } finally {
    fresh.close();
  }
});

it('refuses a malformed slice naming the stage', async () => {
  await expect(withStageScope(wh, 'billed', { month: '2026-13' }, answers)).rejects.toThrow(
    /billed scope: month '2026-13'/,
  );
});

it('turns the predicates into plain filters, with no join to the scope (one ran over every row filtered)', async () => {
  await wh.run(`create temp table usage_row as
    select '2026-10' as billing_month, date '2026-10-01' + (i % 31)::integer as usage_date,
           '${ACCOUNT}/x' || (i % 7) as billing_resource_id
    from range(1000) as t(i)`);
  const sql = `select count(*)::varchar as n from usage_row
               where in_scope_row(billing_month, usage_date, billing_resource_id)`;
  await installRunScope(wh, { month: '2026-10', from: '2026-10-02', to: null, prefixes: [ACCOUNT] }, ['2026-10']);
  expect(await wh.row(sql)).toEqual({ n: String(1000 - Math.ceil(1000 / 31)) }); // every row but those of 1 October
  const operators = (await planOperators(wh, sql)).map((operator) => operator.name);
  expect(operators).toContain('SEQ_SCAN'); // the walk reads the plan
  expect(operators.filter((name) => /JOIN|CROSS_PRODUCT/.test(name))).toEqual([]);
});

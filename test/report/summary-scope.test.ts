// The run summary counts the findings of the run's scope (run_scope, installed once by the runner): months, days
// and resource prefixes, the prefixes case-insensitively whatever the case of the stored ids.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunConfig } from '../../src/config.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import type { StageContext } from '../../src/pipeline/context.ts';
import { buildRunSummary } from '../../src/report/summary.ts';
import { installRunScope, type CheckedScope } from '../../src/scope.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const ACCOUNT = '/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/Acct';
const OTHER = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/other';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse();
  const rows: [string, string, string][] = [
    ['f1', ACCOUNT, '2026-10-03'],
    ['f2', ACCOUNT, '2026-10-20'],
    ['f3', OTHER, '2026-10-03'],
  ];
  for (const [id, resource, day] of rows) {
    await wh.run(
      `insert into finding (finding_id, billing_month, usage_date, billing_resource_id, meter, kind, severity,
         cost_impact, currency, provisional, explanation, run_id)
       values ($id, '2026-10', $day::date, $resource, 'v2.provisioned_storage', 'missing_charge', 'high', 1, 'EUR',
         false, 'x', 'r')`,
      { id, day, resource },
    );
  }
});
afterEach(() => {
  wh.close();
});

async function summaryFor(scope: CheckedScope) {
  await installRunScope(wh, scope, ['2026-10']);
  const context: StageContext = {
    pipeline: { name: 'nightly', description: '', stages: [] },
    wh,
    config: { month: scope.month ?? undefined, resources: scope.prefixes } as unknown as RunConfig,
    runId: 'r',
    progress: () => undefined,
    results: {},
    timings: [],
    warnings: [],
    plan: {
      scope,
      isScoped: true,
      months: ['2026-10'],
      monthPlan: { inScope: ['2026-10'], processed: ['2026-10'], skipped: [], scopes: [], isIncremental: false },
      fingerprint: {
        value: '',
        months: {},
        deliveries: '',
        inventory: '',
        rules: '',
        tolerance: '',
        tolerance_pct: '',
      },
      outDir: 'out',
    },
  };
  return buildRunSummary(context, 'succeeded');
}

it('counts the findings of an upper-case ARM prefix, whatever the case of the stored ids', async () => {
  const summary = await summaryFor({ month: '2026-10', from: null, to: null, prefixes: [ACCOUNT.toUpperCase()] });
  expect(summary.findings.total).toBe(2);
  expect(summary.cost_impact).toBe('2.000000000000000000');
});

it('counts only the days of --from/--to', async () => {
  const summary = await summaryFor({ month: null, from: '2026-10-01', to: '2026-10-10', prefixes: [] });
  expect(summary.findings.total).toBe(2);
});

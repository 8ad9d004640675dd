// Cases and money with a direction on the sample month (sample-data/README: the planted problems). One planted
// problem is one case however many days or findings it spans; the three money totals are exact.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, SAMPLE_INPUTS, workDir } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

interface CaseJson {
  case_id: string;
  billing_month: string;
  billing_resource_id: string | null;
  meter: string | null;
  kind: string;
  severity: string;
  first_day: string | null;
  last_day: string | null;
  day_count: number;
  finding_count: number;
  cost_impact: string | null;
  overbilled_cost: string | null;
  underbilled_cost: string | null;
  unverifiable_cost: string | null;
  finding_ids: string[];
}

interface FindingJson {
  finding_id: string;
  kind: string;
  money_direction: string;
  overbilled_cost: string | null;
  underbilled_cost: string | null;
  unverifiable_cost: string | null;
  cost_impact: string | null;
}

const PLANTED_PROBLEMS = 11; // the README table's rows that are found (the refunded double charge is not)

describe('cases and money with a direction on the sample month', () => {
  it('groups the 44 daily findings into one case per planted problem, with exact money totals', async () => {
    const dir = await workDir();
    const result = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    const out = join(dir, 'out');

    const findings = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingJson[];
    expect(findings).toHaveLength(44); // findings keep the daily grain
    const cases = JSON.parse(await readFile(join(out, 'cases.json'), 'utf8')) as CaseJson[];
    expect(cases).toHaveLength(PLANTED_PROBLEMS);
    expect(summary.cases.total).toBe(PLANTED_PROBLEMS);
    expect(summary.findings.total).toBe(44);
    expect(summary.cases.by_kind).toEqual({
      duplicate_charge: 1,
      metadata_violation: 1,
      missing_charge: 1,
      price_mismatch: 1,
      quantity_mismatch: 2, // the resize; the soft-delete overrun (27 Oct short, 28 Oct entirely after retention)
      unit_mismatch: 2,
      unmapped_meter: 1,
      unverifiable: 1,
      wrong_meter: 1,
    });
    // Every finding belongs to exactly one case.
    const members = cases.flatMap((c) => c.finding_ids).sort();
    expect(members).toEqual(findings.map((f) => f.finding_id).sort());

    // The account the inventory never observed: one case of 31 days.
    const legacy = cases.find((c) => c.kind === 'unverifiable');
    expect(legacy).toMatchObject({
      first_day: '2026-10-01',
      last_day: '2026-10-31',
      day_count: 31,
      finding_count: 31,
      unverifiable_cost: '93.7983999999996336', // 31 days; the unmapped meter's 0.021 is its own case
      overbilled_cost: null,
      underbilled_cost: null,
    });
    expect(legacy?.billing_resource_id).toMatch(/stlegacyarchive$/);
    const overrun = cases.find((c) => c.meter === 'v2.soft_deleted');
    expect(overrun).toMatchObject({
      kind: 'quantity_mismatch',
      first_day: '2026-10-27',
      last_day: '2026-10-28',
      day_count: 2,
      overbilled_cost: '0.2877',
    });
    const payg = cases.find((c) => c.kind === 'unit_mismatch' && c.meter === 'payg.data_stored');
    expect(payg).toMatchObject({ first_day: '2026-10-01', last_day: '2026-10-03', day_count: 3 });

    // Money with a direction: overbilled (claimable), underbilled (owed), unverifiable; never one sum.
    expect(summary.money).toEqual({
      currency: 'EUR',
      overbilled: '8479.155616387096737',
      underbilled: '12.453312',
      unverifiable: '93.8193999999996336',
    });
    const direction = (kind: string) => new Set(findings.filter((f) => f.kind === kind).map((f) => f.money_direction));
    expect(direction('missing_charge')).toEqual(new Set(['underbilled']));
    expect(direction('unverifiable')).toEqual(new Set(['unverifiable']));
    expect(direction('unmapped_meter')).toEqual(new Set(['unverifiable']));
    expect(direction('metadata_violation')).toEqual(new Set(['none']));
    expect(direction('duplicate_charge')).toEqual(new Set(['overbilled']));
    // cost_impact keeps its meaning (money at stake, ≥ 0); exactly one direction column carries it.
    for (const f of findings) {
      const carried = [f.overbilled_cost, f.underbilled_cost, f.unverifiable_cost].filter((v) => v !== null);
      expect(carried.length, f.finding_id).toBeLessThanOrEqual(1);
      if (f.cost_impact !== null && f.money_direction !== 'none')
        expect(carried, f.finding_id).toEqual([f.cost_impact]);
    }

    const md = await readFile(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('11 cases (44 findings)');
    expect(md).toMatch(/Overbilled \(claimable\)[^\n]*8,479\.16 EUR/);
    expect(md).toMatch(/Underbilled \(owed\)[^\n]*12\.45 EUR/);
    expect(md).toMatch(/Unverifiable[^\n]*93\.82 EUR/);
    const csv = await readFile(join(out, 'cases.csv'), 'utf8');
    expect(csv.split('\r\n').filter((line) => line !== '')).toHaveLength(PLANTED_PROBLEMS + 1);

    // The Parquet finding_case table holds the same cases.
    const wh = await openTestWarehouse({ migrate: false });
    try {
      const rows = await wh.rows<{ case_id: string }>('select case_id from read_parquet($path) order by case_id', {
        path: join(out, 'parquet', 'finding_case', 'billing_month=2026-10', 'data.parquet'),
      });
      expect(rows.map((r) => r.case_id)).toEqual(cases.map((c) => c.case_id).sort());
    } finally {
      wh.close();
    }

    // Case ids are stable across re-runs on the same inputs.
    const again = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--full', '--quiet'], dir);
    expect(again.code, again.stderr).toBe(0);
    const casesAgain = JSON.parse(await readFile(join(out, 'cases.json'), 'utf8')) as CaseJson[];
    expect(casesAgain.map((c) => c.case_id)).toEqual(cases.map((c) => c.case_id));
  }, 180_000); // one full run of the sample month on 2 busy cores, not a speed check
});

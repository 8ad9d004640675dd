import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { FINDING_KEYS, FINDINGS_CSV_COLUMNS } from '../../src/report/findings-files.ts';
import { writeReports } from '../../src/report/index.ts';
import {
  ACCOUNT,
  HOSTILE_EXPLANATION,
  HOSTILE_RESOURCE,
  insertReportFixture,
  SUMMARY,
} from '../fixtures/report/warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('writeReports', () => {
  let wh: Warehouse;
  let out: string;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertReportFixture(wh);
    out = await mkdtemp(join(tmpdir(), 'recon-report-'));
  });
  afterEach(async () => {
    wh.close();
    await rm(out, { recursive: true, force: true });
  });

  const read = (name: string): Promise<string> => readFile(join(out, name), 'utf8');

  it('writes the seven report files and nothing else (no temporary files left)', async () => {
    const written = await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    const names = [
      'summary.json',
      'summary.md',
      'findings.json',
      'findings.csv',
      'cases.json',
      'cases.csv',
      'report.html',
    ];
    expect(written).toEqual(names.map((name) => join(out, name)));
    expect((await readdir(out)).sort()).toEqual([...names].sort());
  });

  it('writes summary.json as the run summary given', async () => {
    await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    expect(await read('summary.json')).toBe(`${JSON.stringify(SUMMARY, null, 2)}\n`);
  });

  it('writes findings.json with exactly the contract keys, decimal strings, money-at-stake order', async () => {
    await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    const findings = JSON.parse(await read('findings.json')) as Record<string, unknown>[];
    expect(findings.map((finding) => Object.keys(finding))).toEqual(findings.map(() => [...FINDING_KEYS]));
    expect(findings).toEqual([
      {
        finding_id: 'f-missing',
        billing_month: '2024-05',
        usage_date: '2024-05-04',
        billing_resource_id: ACCOUNT,
        meter: 'v2.provisioned_iops',
        kind: 'missing_charge',
        severity: 'medium',
        billed_quantity: null,
        expected_quantity: '72000',
        delta_quantity: '-72000',
        billed_cost: null,
        cost_impact: '1.234567890123456789',
        currency: 'EUR',
        money_direction: 'underbilled',
        overbilled_cost: null,
        underbilled_cost: '1.234567890123456789',
        unverifiable_cost: null,
        provisional: true,
        explanation: '3000 IOPS × 24 h = 72000 IOPS-hours expected, nothing billed.',
      },
      {
        finding_id: 'f-unmapped',
        billing_month: '2024-05',
        usage_date: '2024-05-01',
        billing_resource_id: ACCOUNT,
        meter: null,
        kind: 'unmapped_meter',
        severity: 'low',
        billed_quantity: '10',
        expected_quantity: null,
        delta_quantity: '10',
        billed_cost: '0.5',
        cost_impact: '0.5',
        currency: 'USD',
        money_direction: 'unverifiable',
        overbilled_cost: null,
        underbilled_cost: null,
        unverifiable_cost: '0.5',
        provisional: false,
        explanation: 'Meter "Files Hot LRS Mystery" is not in the catalog.',
      },
      {
        finding_id: 'f-quantity',
        billing_month: '2024-05',
        usage_date: '2024-05-03',
        billing_resource_id: ACCOUNT,
        meter: 'v2.provisioned_storage',
        kind: 'quantity_mismatch',
        severity: 'high',
        billed_quantity: '2400',
        expected_quantity: '2376',
        delta_quantity: '24',
        billed_cost: '4.8',
        cost_impact: '0.048',
        currency: 'EUR',
        money_direction: 'overbilled',
        overbilled_cost: '0.048',
        underbilled_cost: null,
        unverifiable_cost: null,
        provisional: false,
        explanation: 'Billed 2400 GiB-hours; 99 GiB × 24 h = 2376 GiB-hours expected.',
      },
      {
        finding_id: 'f-hostile',
        billing_month: '2024-05',
        usage_date: null,
        billing_resource_id: HOSTILE_RESOURCE,
        meter: 'v1.provisioned',
        kind: 'unexpected_charge',
        severity: 'low',
        billed_quantity: '3.5',
        expected_quantity: '7',
        delta_quantity: '-3.5',
        billed_cost: null,
        cost_impact: null,
        currency: null,
        money_direction: 'overbilled',
        overbilled_cost: null,
        underbilled_cost: null,
        unverifiable_cost: null,
        provisional: false,
        explanation: HOSTILE_EXPLANATION,
      },
    ]);
  });

  it('writes findings.csv with the same rows, formula cells neutralised, numbers left as numbers', async () => {
    await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    const csv = await read('findings.csv');
    // UTF-8 with BOM, so Excel shows Δ and × as written; the unit beside the three quantities.
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(FINDINGS_CSV_COLUMNS.join(','));
    expect(lines[0]).toContain('delta_quantity,unit,billed_cost');
    // (This fixture loads no meter catalog, so the unit cells are empty; test/e2e/cli-conventions reads them filled.)
    expect(lines).toHaveLength(6); // header, 4 findings, empty string after the final CRLF
    expect(lines[5]).toBe('');
    expect(lines[1]).toBe(
      `f-missing,2024-05,2024-05-04,${ACCOUNT},v2.provisioned_iops,missing_charge,medium,,72000,-72000,,,1.234567890123456789,EUR,underbilled,,1.234567890123456789,,true,"3000 IOPS × 24 h = 72000 IOPS-hours expected, nothing billed."`,
    );
    expect(lines[4]).toBe(
      `f-hostile,2024-05,,'@sum(1+1)&x,v1.provisioned,unexpected_charge,low,3.5,7,-3.5,,,,,overbilled,,,,false,` +
        `"'=HYPERLINK(""http://evil.example/"",""x"") <script>window.__pwned=1</script>""><img src=x onerror=""window.__pwned=2"">"`,
    );
  });

  it('summarises inputs, quarantine, findings by kind, meter and severity, and money per currency', async () => {
    await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    const md = await read('summary.md');
    expect(md).toContain('- found: **4 cases (4 findings)**');
    // Three totals, never one sum (the April finding is out of scope); USD is never added to EUR.
    expect(md).toContain('- Overbilled (claimable): **0.05 EUR**');
    expect(md).toContain('- Underbilled (owed): **1.23 EUR**');
    expect(md).toContain('- Unverifiable (billed, cannot be checked): **0.50 USD**');
    expect(md).not.toContain('money at stake: **');
    expect(md).toContain('| rows read | 1234 |');
    expect(md).toContain('| rows quarantined | 5 |');
    expect(md).toContain('| deliveries replaced | 1 |');
    // April's delivery is out of scope; examples are the first three lines in file order.
    expect(md).toContain('| ingest | unreadable date | 4 | exports/may.csv:3, exports/may.csv:4, exports/may.csv:5 |');
    expect(md).toContain('| ingest | negative quantity \\| not a number | 1 | exports/may.csv:9 |');
    expect(md).toContain('| inventory | share without id | 1 | inventory/shares.json |');
    expect(md).toContain('| kind | cases | findings | overbilled | underbilled | unverifiable |');
    expect(md).toContain('| missing_charge | 1 | 1 | — | 1.23 EUR | — |');
    expect(md).toContain('| unexpected_charge | 1 | 1 | — | — | — |');
    expect(md).toContain('| v2.provisioned_storage | 1 | 1 | 0.05 EUR | — | — |');
    expect(md).toContain('| (unmapped) | 1 | 1 | — | — | 0.50 USD |');
    expect(md).toContain('| low | 2 | 2 | — | — | 0.50 USD |');
    expect(md).toContain('### Top 4 cases by money at stake');
    expect(md).toMatch(
      /1\. \*\*1\.23 EUR underbilled\*\* — missing_charge \(medium\)[^\n]*\n {3}v2\.provisioned_iops · 2024-05-04 · billed —, expected 72,000 IOPS-hours · 1 finding\. 3000 IOPS/,
    );
    expect(md).toContain('| ingest | 1.3 | 1229 |');
    // Data never becomes markup.
    expect(md).toContain('\\<script\\>window.__pwned=1\\</script\\>');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('Out of scope');
  });

  it('says so when there is nothing to report', async () => {
    await writeReports(wh, out, SUMMARY, { billingMonths: ['2023-01'] });
    const md = await read('summary.md');
    expect(md).toContain('- found: **0 cases (0 findings)**');
    expect(md).toContain('- Overbilled (claimable): **—**');
    expect(md).toContain('No findings.');
    expect(await read('findings.json')).toBe('[]\n');
    expect(await read('findings.csv')).toBe(`\uFEFF${FINDINGS_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('lists the run warnings and the fingerprint', async () => {
    const warning = 'the inventory covers none of the 3 billed resources: every charge will be unverifiable';
    await writeReports(wh, out, { ...SUMMARY, warnings: [warning] }, { billingMonths: ['2024-05'] });
    const md = await read('summary.md');
    expect(md).toContain(`## Warnings\n\n- ${warning}\n`);
    expect(md).toContain(`Run fingerprint: \`${'f'.repeat(64)}\``);
    await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    expect(await read('summary.md')).not.toContain('## Warnings');
  });

  it('escapes every data value in report.html and keeps it self-contained', async () => {
    await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    const html = await read('report.html');
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;&gt;&lt;img src=x');
    expect(html).toContain('@sum(1+1)&amp;x');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;window.__pwned=3');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    // Evidence JSON keeps its exact decimal.
    // evidence is readable text whose decimals keep every digit (never parsed into a double)
    expect(html).toContain('quantity: 1.10000000000000000001');
  });

  it('refuses a billing month that is not YYYY-MM', async () => {
    await expect(writeReports(wh, out, SUMMARY, { billingMonths: ['2024-5'] })).rejects.toThrow(InputError);
  });
});

// Cost views and overlapping exports through the real CLI (README "Cost views and overlapping exports"): the
// sample month delivered as ActualCost and as AmortizedCost, with one reservation-covered line, gives exactly the
// single-view findings; a billing-account export containing the subscription export is resolved; two exports
// whose scopes overlap without one containing the other are refused naming both.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.ts';
import { SAMPLE, recon, workDir } from './helpers.ts';

const SAMPLE_EXPORT = join(SAMPLE, 'exports', 'recon-files-daily', '20261001-20261031');
const RESERVATION = '/providers/microsoft.capacity/reservationorders/0f0e0d0c-0001/reservations/0a0b0c0d-0001';
const AMORTIZED_PRICE = '0.0961';
// the v1 share billed on 5 Oct: a Premium Files reserved-capacity reservation covers it
const COVERED = (fields: string[], column: Map<string, number>): boolean =>
  fields[column.get('MeterName') ?? -1] === 'Premium ZRS Provisioned' &&
  fields[column.get('Date') ?? -1] === '10/05/2026';

/** RFC-4180 fields of one CSV record (the sample's records are one line each). */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (quoted) {
      if (char === '"' && line.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

const joinCsv = (fields: readonly string[]): string =>
  fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');

type View = 'ActualCost' | 'AmortizedCost';

interface ExportVariant {
  /** export name (folder and exportConfig) */
  name: string;
  view: View;
  /** exportConfig.resourceId scope (before /providers/Microsoft.CostManagement/exports/) */
  scope: string;
  /** drop the lines of resources whose id contains this */
  drop?: string;
  /** extra usage of another subscription (a billing-account export carries more than the subscription's) */
  extraSubscription?: boolean;
  /** bill the covered line twice its quantity: a quantity_mismatch on reservation-covered usage */
  plantOnCovered?: boolean;
}

/**
 * Writes one export of the sample month: both month-to-date deliveries, rewritten as `view` would show them (the
 * covered line at 0 in ActualCost with the reservation purchase; at the amortized price in AmortizedCost with the
 * unused-reservation row), manifests with their own name, scope, type, run ids and counts.
 */
async function writeExport(root: string, variant: ExportVariant): Promise<void> {
  for (const runId of await readdir(SAMPLE_EXPORT)) {
    const source = await readFile(join(SAMPLE_EXPORT, runId, 'part_0_0001.csv'), 'utf8');
    const [header = '', ...records] = source
      .replace(/^\ufeff/, '')
      .split('\r\n')
      .filter(Boolean);
    const names = splitCsv(header);
    const column = new Map(names.map((name, i) => [name, i]));
    const at = (name: string): number => column.get(name) ?? -1;
    const rows = records
      .map(splitCsv)
      .filter((f) => !variant.drop || !(f[at('ResourceId')] ?? '').includes(variant.drop));
    let template: string[] | undefined;
    for (const fields of rows) {
      if (!COVERED(fields, column)) continue;
      template = [...fields];
      if (variant.plantOnCovered)
        fields[at('Quantity')] = new Decimal(fields[at('Quantity')] ?? '0').times(2).toFixed();
      const price = variant.view === 'ActualCost' ? '0' : AMORTIZED_PRICE;
      fields[at('EffectivePrice')] = price;
      fields[at('Cost')] = new Decimal(fields[at('Quantity')] ?? '0').times(price).toFixed();
      fields[at('PricingModel')] = 'Reservation';
      fields[at('ReservationId')] = RESERVATION;
      fields[at('benefitId')] = RESERVATION;
    }
    if (template) {
      const commitment = [...template];
      commitment[at('ResourceId')] = '';
      commitment[at('ResourceName')] = '';
      commitment[at('PricingModel')] = 'Reservation';
      commitment[at('ReservationId')] = RESERVATION;
      commitment[at('Quantity')] = '1';
      commitment[at('Frequency')] = variant.view === 'ActualCost' ? 'OneTime' : 'UsageBased';
      commitment[at('ChargeType')] = variant.view === 'ActualCost' ? 'Purchase' : 'UnusedReservation';
      commitment[at('EffectivePrice')] = variant.view === 'ActualCost' ? '1153.2' : '0.5';
      commitment[at('Cost')] = commitment[at('EffectivePrice')] ?? '0';
      rows.push(commitment);
    }
    if (variant.extraSubscription && template) {
      const vm = [...template];
      vm[at('SubscriptionId')] = '11111111-2222-4333-8444-555555555555';
      vm[at('ResourceId')] =
        '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app-01';
      vm[at('MeterCategory')] = 'Virtual Machines';
      vm[at('MeterSubCategory')] = 'Dv5 Series';
      vm[at('MeterName')] = 'D2s v5';
      vm[at('Product')] = 'Virtual Machines Dv5 Series - D2s v5 - EU West';
      vm[at('MeterId')] = '5e6f7a8b-0001-4c2d-9e3f-000000000099';
      vm[at('UnitOfMeasure')] = '1 Hour';
      vm[at('Quantity')] = '24';
      vm[at('EffectivePrice')] = '0.1';
      vm[at('Cost')] = '2.4';
      vm[at('PricingModel')] = 'OnDemand';
      vm[at('ReservationId')] = '';
      vm[at('benefitId')] = '';
      rows.push(vm);
    }
    const csv = `\ufeff${[header, ...rows.map(joinCsv)].join('\r\n')}\r\n`;
    const manifest = JSON.parse(await readFile(join(SAMPLE_EXPORT, runId, 'manifest.json'), 'utf8')) as {
      byteCount: number;
      dataRowCount: number;
      exportConfig: Record<string, string>;
      runInfo: Record<string, string>;
      blobs: { blobName: string; byteCount: number; dataRowCount: number }[];
    };
    const newRunId = `${variant.name.length.toString(16).padStart(2, '0')}${runId.slice(2)}`;
    const folder = join(variant.name, '20261001-20261031', newRunId);
    const bytes = Buffer.byteLength(csv);
    manifest.byteCount = bytes;
    manifest.dataRowCount = rows.length;
    manifest.exportConfig.exportName = variant.name;
    manifest.exportConfig.type = variant.view;
    manifest.exportConfig.resourceId = `${variant.scope}/providers/Microsoft.CostManagement/exports/${variant.name}`;
    manifest.runInfo.runId = newRunId;
    manifest.blobs = [{ blobName: `exports/${folder}/part_0_0001.csv`, byteCount: bytes, dataRowCount: rows.length }];
    await mkdir(join(root, folder), { recursive: true });
    await writeFile(join(root, folder, 'part_0_0001.csv'), csv);
    await writeFile(join(root, folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

const ENROLLMENT = '/providers/Microsoft.Billing/billingAccounts/8611537';
const SUBSCRIPTION = '/subscriptions/7c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b';

interface Finding {
  finding_id: string;
  kind: string;
  billed_quantity: string | null;
  expected_quantity: string | null;
  delta_quantity: string | null;
  cost_impact: string | null;
  billing_resource_id: string | null;
  usage_date: string | null;
  explanation: string;
}

interface Run {
  code: number;
  stderr: string;
  summary: RunSummary | null;
  markdown: string;
  findings: Finding[];
}

async function run(variants: readonly ExportVariant[]): Promise<Run> {
  const dir = await workDir();
  const exports = join(dir, 'exports');
  for (const variant of variants) await writeExport(exports, variant);
  const result = await recon(
    [
      'run',
      'nightly',
      '--exports',
      exports,
      '--inventory',
      join(SAMPLE, 'inventory'),
      '--transactions',
      join(SAMPLE, 'transactions'),
      '--json',
    ],
    dir,
  );
  if (result.code !== 0) return { code: result.code, stderr: result.stderr, summary: null, markdown: '', findings: [] };
  // Evidence names the file a line came from: the same line of another export's file is the same evidence.
  const text = (await readFile(join(dir, 'out', 'findings.json'), 'utf8')).replace(
    /[^"\s(]*\/exports\/[^/"]+\/20261001-20261031\/[0-9a-f-]+\//g,
    '<export>/',
  );
  const findings = JSON.parse(text) as Finding[];
  const markdown = await readFile(join(dir, 'out', 'summary.md'), 'utf8');
  return { code: 0, stderr: result.stderr, summary: JSON.parse(result.stdout) as RunSummary, markdown, findings };
}

const quantities = (findings: readonly Finding[]) =>
  findings
    .map((f) => ({ finding_id: f.finding_id, kind: f.kind, delta: f.delta_quantity, billed: f.billed_quantity }))
    .sort((a, b) => a.finding_id.localeCompare(b.finding_id));

const actual: ExportVariant = { name: 'files-actual', view: 'ActualCost', scope: ENROLLMENT };
const amortized: ExportVariant = { name: 'files-amortized', view: 'AmortizedCost', scope: ENROLLMENT };

describe('cost views and overlapping exports', () => {
  let single: Run;
  beforeAll(async () => {
    single = await run([actual]);
  }, 240_000);

  it('the single ActualCost export finds the planted errors, and the covered line is no price_mismatch', () => {
    expect(single.code).toBe(0);
    expect(single.findings.length).toBeGreaterThan(10);
    const covered = single.findings.filter((f) => f.usage_date === '2026-10-05' && f.kind === 'price_mismatch');
    expect(covered).toEqual([]);
    expect(single.summary?.deliveries.used.map((d) => [d.export, d.cost_view, d.cost_view_source])).toEqual([
      ['files-actual', 'actual', 'manifest exportConfig.type ActualCost'],
    ]);
  });

  it('the same month as ActualCost and AmortizedCost gives exactly the single-view findings', async () => {
    const both = await run([actual, amortized]);
    expect(both.code).toBe(0);
    expect(both.findings).toEqual(single.findings);
    expect(both.summary?.findings).toEqual(single.summary?.findings);
    expect(both.summary?.cost_impact).toBe(single.summary?.cost_impact);
    expect(both.summary?.deliveries.used.map((d) => d.export)).toEqual(['files-actual']);
    const [aside] = both.summary?.deliveries.set_aside ?? [];
    expect(aside?.export).toBe('files-amortized');
    expect(aside?.cost_view).toBe('amortized');
    expect(aside?.reason).toContain('its usage is counted from files-actual (actual');
    expect(aside?.reason).toContain('one cost view is counted per usage, and actual ranks before amortized');
    expect(both.markdown).toContain('## Deliveries counted');
    expect(both.markdown).toMatch(
      /\| 2026-10 \| files-actual \| actual \(manifest exportConfig\.type ActualCost\) \| yes \|/,
    );
    expect(both.markdown).toMatch(
      /\| 2026-10 \| files-amortized \| amortized \(.*\) \| set aside \| its usage is counted from files-actual/,
    );
  }, 240_000);

  it('an AmortizedCost export alone reconciles the same quantities, with no price_mismatch from the reservation', async () => {
    const alone = await run([amortized]);
    expect(alone.code).toBe(0);
    expect(quantities(alone.findings)).toEqual(quantities(single.findings));
    expect(alone.summary?.deliveries.used.map((d) => d.cost_view)).toEqual(['amortized']);
  }, 240_000);

  it('money at stake on covered usage says which price it used', async () => {
    const covered = (r: Run) =>
      r.findings.filter((f) => f.usage_date === '2026-10-05' && f.kind === 'quantity_mismatch');
    const planted = { plantOnCovered: true };
    const alone = await run([{ ...actual, ...planted }]);
    const [onlyActual] = covered(alone);
    expect(onlyActual?.explanation).toContain(
      'price on this day: none: reservation/savings-plan coverage the actual cost bills at 0, and no amortized price was delivered',
    );
    const both = await run([
      { ...actual, ...planted },
      { ...amortized, ...planted },
    ]);
    const [withAmortized] = covered(both);
    expect(withAmortized?.finding_id).toBe(onlyActual?.finding_id);
    expect(withAmortized?.delta_quantity).toBe(onlyActual?.delta_quantity);
    expect(withAmortized?.explanation).toContain(`× ${AMORTIZED_PRICE} EUR`);
    expect(withAmortized?.explanation).toContain(
      '(from the amortized delivery set aside; the actual cost bills it at 0)',
    );
    expect(withAmortized?.cost_impact).toBe(
      new Decimal(withAmortized?.delta_quantity ?? '0').abs().times(AMORTIZED_PRICE).toFixed(),
    );
  }, 240_000);

  it('a billing-account export containing the subscription export is counted once, from the wider export', async () => {
    const wide: ExportVariant = { ...actual, name: 'files-enrollment', extraSubscription: true };
    const narrow: ExportVariant = { ...actual, name: 'files-subscription', scope: SUBSCRIPTION };
    const both = await run([narrow, wide]);
    expect(both.code).toBe(0);
    expect(both.findings).toEqual(single.findings);
    expect(both.summary?.deliveries.used.map((d) => d.export)).toEqual(['files-enrollment']);
    expect(both.summary?.deliveries.set_aside.map((d) => [d.export, d.reason])).toEqual([
      ['files-subscription', expect.stringContaining('its usage is counted from files-enrollment') as string],
    ]);
    expect(both.summary?.deliveries.set_aside[0]?.reason).toContain('and more (a wider scope)');
  }, 240_000);

  it('two exports whose scopes overlap without one containing the other are refused, naming both', async () => {
    const a: ExportVariant = { ...actual, name: 'files-without-snapshots', drop: '/snapshots/' };
    const b: ExportVariant = { ...actual, name: 'files-without-media', scope: SUBSCRIPTION, drop: '/fileShares/media' };
    const refused = await run([a, b]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('files-without-snapshots');
    expect(refused.stderr).toContain('files-without-media');
    expect(refused.stderr).toContain('both bill the same usage of 2026-10');
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 240_000);
});

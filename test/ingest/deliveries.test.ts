// Deliveries as they really arrive (issue 11): header-only files, shrinking or empty month-to-date runs, files that
// span two months, the same usage delivered twice, corrected re-downloads, hidden files, recon's own outputs and
// symlinks. Each case asserts what counts (current_billing_line) and rows_ingested + rows_quarantined = rows_read.
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { ingestExports, type IngestReport } from '../../src/ingest/index.ts';
import { insertDelivery } from '../helpers/builders.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ingest');
// Microsoft's header-only sample (finops-toolkit src/powershell/Tests/assets/EA_NoRows.csv; see PROVENANCE.md).
const EA_NO_ROWS = join(FIXTURES, 'ea-no-rows', 'EA_NoRows.csv');

const HEADER_TEXT = (await readFile(EA_NO_ROWS, 'utf8')).trimEnd();
const HEADER = HEADER_TEXT.split(',');
const ACCOUNT_ID =
  '/subscriptions/a1b2c3d4-0000-4000-8000-00000000f11e/resourceGroups/RG-Files/providers/Microsoft.Storage/storageAccounts/stfilesprod01';

/** One EA row (the real header's columns) billing `quantity` GB-months of Hot LRS Data Stored on `date` (YYYY-MM-DD). */
function eaRow(date: string, quantity = '1'): string {
  const [y, m, d] = date.split('-');
  const values: Record<string, string> = {
    BillingAccountId: '12345678',
    BillingAccountName: 'Contoso EA',
    SubscriptionId: 'a1b2c3d4-0000-4000-8000-00000000f11e',
    Date: `${m}/${d}/${y}`,
    Product: 'Files v2 - Hot LRS Data Stored - US East 2',
    MeterId: 'b9a4dc1e-6c7f-4e8a-9d3b-2f0c1a5e7d11',
    MeterCategory: 'Storage',
    MeterSubCategory: 'Files v2',
    MeterName: 'Hot LRS Data Stored',
    Quantity: quantity,
    EffectivePrice: '0.0208',
    Cost: (Number(quantity) * 208)
      .toString()
      .padStart(5, '0')
      .replace(/(\d{4})$/, '.$1'),
    UnitPrice: '0.0208',
    BillingCurrency: 'USD',
    ConsumedService: 'Microsoft.Storage',
    ResourceId: ACCOUNT_ID,
    ResourceName: 'stfilesprod01',
    UnitOfMeasure: '1 GB/Month',
    ResourceGroup: 'RG-Files',
    ChargeType: 'Usage',
    Frequency: 'UsageBased',
    PricingModel: 'OnDemand',
  };
  return HEADER.map((column) => values[column] ?? '').join(',');
}

const days = (month: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${month}-${String(from + i).padStart(2, '0')}`);

function eaFile(dates: readonly string[], quantity = '1'): string {
  return [HEADER_TEXT, ...dates.map((d) => eaRow(d, quantity))].join('\n') + '\n';
}

async function put(path: string, content: string | Buffer): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return path;
}

/** A manifest for one run folder of the Learn layout, listing its CSV blobs with their real counts. */
async function putRun(
  root: string,
  month: string,
  runId: string,
  submitted: string,
  parts: Record<string, string>,
): Promise<string> {
  const range = `${month.replace('-', '')}01-${month.replace('-', '')}${month === '2026-09' ? '30' : '31'}`;
  const folder = join(root, 'cost-exports', 'StorageCosts', range, runId);
  const blobs = [];
  for (const [name, content] of Object.entries(parts)) {
    await put(join(folder, name), content);
    blobs.push({
      blobName: `cost-exports/StorageCosts/${range}/${runId}/${name}`,
      byteCount: Buffer.byteLength(content),
      dataRowCount: content.trimEnd().split('\n').length - 1,
    });
  }
  const manifest = {
    manifestVersion: '2024-04-01',
    blobCount: blobs.length,
    exportConfig: {
      exportName: 'StorageCosts',
      resourceId:
        '/providers/Microsoft.Billing/billingAccounts/12345678/providers/Microsoft.CostManagement/exports/StorageCosts',
      dataVersion: '2021-10-01',
      type: 'ActualCost',
      timeFrame: 'MonthToDate',
      granularity: 'Daily',
    },
    runInfo: { executionType: 'Scheduled', submittedTime: submitted, runId, startDate: `${month}-01T00:00:00` },
    blobs,
  };
  return put(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

const RUN_A = '1f8d218f-5c3a-4b8e-9f3d-2a6b7c8d9e01';
const RUN_B = '7946d592-03d8-4ce0-bfca-af3abfa49d71';
const RUN_C = '9e8d7c6b-5a49-4838-a726-15e4d3c2b102';

// Several deliveries per case: on a loaded 2-core machine one case can pass a minute.
describe('deliveries', { timeout: 180_000 }, () => {
  let wh: Warehouse;
  let dir: string;
  let messages: string[];
  beforeEach(async () => {
    wh = await openTestWarehouse();
    dir = await mkdtemp(join(tmpdir(), 'recon-deliveries-'));
    messages = [];
  });
  afterEach(() => {
    wh.close();
  });

  const ingest = (inputs: string[], exclude: string[] = []): Promise<IngestReport> =>
    ingestExports(wh, inputs, { onProgress: (m) => messages.push(m), exclude });

  /** What counts: usage day → summed quantity over current_billing_line. */
  async function counted(): Promise<Record<string, string>> {
    const rows = await wh.rows<{ day: string; q: string }>(
      `select usage_date::varchar as day, sum(quantity)::decimal(18, 4)::varchar as q
       from current_billing_line group by 1 order by 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.day, r.q]));
  }

  const months = async (): Promise<string[]> =>
    (
      await wh.rows<{ billing_month: string }>(
        'select distinct billing_month from current_delivery order by billing_month',
      )
    ).map((r) => r.billing_month);

  function balanced(report: IngestReport): void {
    expect(report.rowsIngested + report.rowsQuarantined).toBe(report.rowsRead);
    for (const d of report.deliveries) expect(d.rowsIngested + d.rowsQuarantined).toBe(d.rowsRead);
  }

  describe('header-only files', () => {
    it("ingests Microsoft's EA_NoRows.csv as 0 rows and stores no delivery without a billing month", async () => {
      const report = await ingest([EA_NO_ROWS]);
      balanced(report);
      expect(report).toMatchObject({ files: 1, rowsRead: 0, rowsIngested: 0, rowsQuarantined: 0 });
      const broken = await wh.rows(
        "select * from delivery where not regexp_full_match(billing_month, '\\d{4}-(0[1-9]|1[0-2])')",
      );
      expect(broken).toEqual([]);
      expect(await months()).toEqual([]);
    });

    it('a header-only part inside a manifest delivery is 0 rows, not a crash', async () => {
      const manifest = await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15)),
        'part_1_0001.csv': HEADER_TEXT + '\n',
      });
      const report = await ingest([manifest]);
      balanced(report);
      expect(report).toMatchObject({ files: 2, rowsRead: 15, rowsIngested: 15 });
      expect(Object.keys(await counted())).toHaveLength(15);
    });

    it('repairs a warehouse holding the broken delivery (billing month unknown) an older recon wrote', async () => {
      // Exactly the row the old code stored for EA_NoRows.csv: no lines, billing month 'unknown'.
      await insertDelivery(wh, {
        delivery_id: '0'.repeat(64),
        export_scope: `file:${EA_NO_ROWS}`,
        billing_month: 'unknown',
        days_covered: 0,
        byte_count: 743,
        source_path: EA_NO_ROWS,
      });
      // Named columns: that recon had no modified_ns, so the row has none.
      await wh.run(
        `insert into ingest_file (delivery_id, source_file, file_format, byte_count, sha256, rows_read, rows_ingested, rows_quarantined)
          values ('${'0'.repeat(64)}', '${EA_NO_ROWS}', 'csv', 743, 'x', 0, 0, 0)`,
      );
      const good = await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15)),
      });
      const report = await ingest([good]);
      balanced(report);
      expect(await months()).toEqual(['2026-10']);
      expect(await wh.rows("select * from delivery where billing_month = 'unknown'")).toEqual([]);
      expect(await wh.rows("select * from ingest_file where sha256 = 'x'")).toEqual([]);
      expect(messages.some((m) => m.includes('no billing month') && m.includes(EA_NO_ROWS))).toBe(true);
    });
  });

  describe('month-to-date runs only grow', () => {
    it('an empty newer run keeps the fuller run’s days and warns naming both', async () => {
      const full = await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15)),
      });
      const empty = await putRun(dir, '2026-10', RUN_B, '2026-10-17T06:00:00.0000000Z', {
        'part_0_0001.csv': HEADER_TEXT + '\n',
      });
      const report = await ingest([dir]);
      balanced(report);
      expect(Object.keys(await counted())).toEqual(days('2026-10', 1, 15));
      const warning = report.warnings.find((w) => w.includes(dirname(empty)) && w.includes(dirname(full)));
      expect(warning).toMatch(/0 of the 15 usage days/);
      expect(messages.some((m) => m.startsWith('ingest: warning: ') && m.includes(dirname(empty)))).toBe(true);
    });

    it('a newer run covering fewer days keeps the older run’s days it lacks and its own for the rest', async () => {
      await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15), '1'),
      });
      await putRun(dir, '2026-10', RUN_B, '2026-10-17T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 10), '2'),
      });
      const report = await ingest([dir]);
      balanced(report);
      const q = await counted();
      expect(Object.keys(q)).toEqual(days('2026-10', 1, 15));
      expect(q['2026-10-10']).toBe('2.0000'); // the newer run's figure where it speaks
      expect(q['2026-10-11']).toBe('1.0000'); // the older run's where it does not
      expect(report.warnings.join('\n')).toMatch(/10 of the 15 usage days.*2026-10-11 to 2026-10-15/);
    });

    it('a growing series warns about nothing and counts each day once', async () => {
      await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15), '1'),
      });
      await putRun(dir, '2026-10', RUN_B, '2026-11-01T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 31), '3'),
      });
      const report = await ingest([dir]);
      expect(report.warnings).toEqual([]);
      const q = await counted();
      expect(Object.keys(q)).toHaveLength(31);
      expect(new Set(Object.values(q))).toEqual(new Set(['3.0000']));
    });
  });

  describe('a file spanning two billing months', () => {
    it('reconciles each row in its own month: 30 Sep and October in one loose file', async () => {
      const file = await put(join(dir, 'costs.csv'), eaFile(['2026-09-30', ...days('2026-10', 1, 31)]));
      const report = await ingest([file]);
      balanced(report);
      expect(report.billingMonths).toEqual(['2026-09', '2026-10']);
      expect(await months()).toEqual(['2026-09', '2026-10']);
      expect(Object.keys(await counted())).toHaveLength(32);
    });

    it('counts 30 Sep once when the September download also bills it (the newer download speaks for it)', async () => {
      await put(join(dir, 'sep.csv'), eaFile(days('2026-09', 1, 30), '5'));
      await put(join(dir, 'sep30-oct.csv'), eaFile(['2026-09-30', ...days('2026-10', 1, 31)]));
      const report = await ingest([dir]);
      balanced(report);
      expect(report.warnings).toEqual([]);
      const q = await counted();
      expect(Object.keys(q)).toHaveLength(61);
      expect(q['2026-09-29']).toBe('5.0000');
      expect(q['2026-09-30']).toBe('1.0000');
      expect(await months()).toEqual(['2026-09', '2026-10']);
    });

    it('refuses, in one line naming both files, a loose download of usage an export run already delivers', async () => {
      await putRun(dir, '2026-09', RUN_C, '2026-10-03T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-09', 1, 30), '5'),
      });
      const download = await put(join(dir, 'download', 'costs.csv'), eaFile(['2026-09-30', ...days('2026-10', 1, 31)]));
      const failure = await ingest([dir]).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(InputError);
      const message = (failure as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain(download);
      expect(message).toContain(join('20260901-20260930', RUN_C, 'part_0_0001.csv'));
      expect(message).toContain('2026-09-30');
      // Nothing of the refused download was stored: September still counts once.
      expect(Object.values(await counted())).toEqual(Array(30).fill('5.0000'));
    });
  });

  describe('the same usage delivered twice', () => {
    it('loose month-to-date downloads of one export are one series: the fuller, newer one wins', async () => {
      await put(join(dir, 'oct-1-15.csv'), eaFile(days('2026-10', 1, 15), '1'));
      await put(join(dir, 'oct-1-31.csv'), eaFile(days('2026-10', 1, 31), '2'));
      const report = await ingest([dir]);
      balanced(report);
      const q = await counted();
      expect(Object.keys(q)).toHaveLength(31);
      expect(new Set(Object.values(q))).toEqual(new Set(['2.0000']));
    });

    it('a run folder without its manifest next to runs with manifests is not counted twice, and says so', async () => {
      await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15), '1'),
      });
      const orphan = join(dir, 'cost-exports', 'StorageCosts', '20261001-20261031', RUN_B, 'part_0_0001.csv');
      await put(orphan, eaFile(days('2026-10', 1, 15), '1'));
      const report = await ingest([dir]);
      balanced(report);
      const q = await counted();
      expect(Object.keys(q)).toHaveLength(15);
      expect(new Set(Object.values(q))).toEqual(new Set(['1.0000']));
      expect(report.warnings.join('\n')).toContain(dirname(orphan));
    });

    it('the same file as .csv and .csv.gz counts once, and says so', async () => {
      const text = eaFile(days('2026-10', 1, 15));
      const csv = await put(join(dir, 'part_0_0001.csv'), text);
      await put(`${csv}.gz`, gzipSync(text));
      const report = await ingest([dir]);
      balanced(report);
      expect(Object.values(await counted())).toEqual(Array(15).fill('1.0000'));
      expect(report.warnings.join('\n')).toContain(`${csv}.gz`);
    });

    it('a hidden copy of a part file is never read', async () => {
      const manifest = await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15)),
      });
      await copyFile(join(dirname(manifest), 'part_0_0001.csv'), join(dirname(manifest), '.part_0_0001.csv'));
      const report = await ingest([dir]);
      expect(report.files).toBe(1);
      expect(Object.values(await counted())).toEqual(Array(15).fill('1.0000'));
    });
  });

  it('a corrected re-download at the same path replaces the old content, whichever hash is larger', async () => {
    const path = join(dir, 'costs.csv');
    for (const [first, second] of [
      ['1', '2'],
      ['2', '1'],
    ] as const) {
      wh.close();
      wh = await openTestWarehouse();
      await put(path, eaFile(days('2026-10', 1, 15), first));
      await ingest([path]);
      await put(path, eaFile(days('2026-10', 1, 15), second));
      await ingest([path]);
      expect(new Set(Object.values(await counted()))).toEqual(new Set([`${second}.0000`]));
    }
  });

  describe('what is not an export', () => {
    it('skips hidden files and folders, AppleDouble files and .DS_Store', async () => {
      const text = eaFile(days('2026-10', 1, 3));
      await put(join(dir, 'costs.csv'), text);
      await put(join(dir, '._costs.csv'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]));
      await put(join(dir, '.DS_Store'), Buffer.from([0, 0, 0, 1, 66, 117, 100, 49]));
      await put(join(dir, '.backup', 'costs.csv'), eaFile(days('2026-10', 1, 3), '9'));
      const report = await ingest([dir]);
      expect(report.files).toBe(1);
      expect(Object.values(await counted())).toEqual(Array(3).fill('1.0000'));
    });

    it("excludes --out inside --exports and any folder holding recon's own outputs", async () => {
      await put(join(dir, 'costs.csv'), eaFile(days('2026-10', 1, 3)));
      const out = join(dir, 'out');
      await put(join(out, 'summary.json'), '{}');
      await put(join(out, 'findings.json'), '[]');
      await put(join(out, 'findings.csv'), 'finding_id,kind\n');
      await put(join(dir, 'old-out', 'summary.json'), '{}');
      await put(join(dir, 'old-out', 'findings.json'), '[]');
      await put(join(dir, 'old-out', 'findings.csv'), 'finding_id,kind\n');
      const report = await ingest([dir], [out]);
      expect(report.files).toBe(1);
      expect(messages.join('\n')).toContain(join(dir, 'old-out'));
    });
  });

  describe('symlinks under --exports', () => {
    it('follows a linked run folder inside the export tree, counting its files once', async () => {
      const manifest = await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 15)),
      });
      const linked = join(dir, 'cost-exports', 'StorageCosts', '20261001-20261031', RUN_B);
      await symlink(dirname(manifest), linked);
      const report = await ingest([dir]);
      balanced(report);
      expect(report.files).toBe(1);
      expect(Object.values(await counted())).toEqual(Array(15).fill('1.0000'));
    });

    it('reads a linked file inside the tree; skips a link leaving it with a warning naming the link', async () => {
      const outside = await mkdtemp(join(tmpdir(), 'recon-outside-'));
      const target = await put(join(outside, 'costs.csv'), eaFile(days('2026-10', 1, 3)));
      const inside = await put(join(dir, 'real', 'costs.csv'), eaFile(days('2026-11', 1, 3)));
      await symlink(inside, join(dir, 'link-inside.csv'));
      await symlink(target, join(dir, 'link-outside.csv'));
      const report = await ingest([dir]);
      expect(report.files).toBe(1);
      expect(await months()).toEqual(['2026-11']);
      expect(report.warnings.join('\n')).toContain(join(dir, 'link-outside.csv'));
    });

    it('refuses a manifest blob whose real path is outside the export root, without printing its content', async () => {
      const outside = await mkdtemp(join(tmpdir(), 'recon-outside-'));
      const secret = await put(join(outside, 'secret.csv'), 'TOP-SECRET-CONTENT\n');
      const manifest = await putRun(dir, '2026-10', RUN_A, '2026-10-16T06:00:00.0000000Z', {
        'part_0_0001.csv': eaFile(days('2026-10', 1, 3)),
      });
      const blob = join(dirname(manifest), 'part_0_0001.csv');
      await rm(blob);
      await symlink(secret, blob);
      const failure = await ingest([join(dir, 'cost-exports')]).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as Error).message).toMatch(/outside/);
      expect((failure as Error).message).not.toContain('TOP-SECRET');
      expect((failure as Error).message.split('\n')).toHaveLength(1);
    });
  });
});

// Scoped runs don't lie (issue 15): a run scoped by --month, --from/--to or --resource writes every output of exactly
// that scope into out/scoped/<scope>/, leaves the full run's reports in out/ untouched, and a scope that matches no
// data is an exit 2 with one line, not "succeeded, 0 findings". A --resource that is a name, not an ARM id prefix,
// is matched against the resources' names.
import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicFinding } from '../../src/report/finding.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, SAMPLE_INPUTS, workDir } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const V2_ACCOUNT =
  '/subscriptions/7c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b/resourceGroups/rg-files-prod/providers/Microsoft.Storage/storageAccounts/stv2ssdprod';
const REPORT_FILES = [
  'cases.csv',
  'cases.json',
  'findings.csv',
  'findings.json',
  'report.html',
  'summary.json',
  'summary.md',
];

const dirs: string[] = [];
let baseDir: string;
let fullOut: Record<string, string>;
let fullFindings: PublicFinding[];

async function newDir(): Promise<string> {
  const dir = await workDir();
  dirs.push(dir);
  await cp(join(baseDir, 'recon.duckdb'), join(dir, 'recon.duckdb'));
  await cp(join(baseDir, 'out'), join(dir, 'out'), { recursive: true });
  return dir;
}

async function reportFiles(out: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of REPORT_FILES) files[name] = await readFile(join(out, name), 'utf8');
  return files;
}

async function parquetFindings(out: string, month: string): Promise<{ billing_resource_id: string }[]> {
  const wh = await openTestWarehouse({ migrate: false });
  try {
    return await wh.rows<{ billing_resource_id: string }>(
      'select billing_resource_id from read_parquet($path) order by finding_id',
      { path: join(out, 'parquet', 'finding', `billing_month=${month}`, 'data.parquet') },
    );
  } finally {
    wh.close();
  }
}

beforeAll(async () => {
  baseDir = await workDir();
  dirs.push(baseDir);
  const full = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet'], baseDir);
  expect(full.code, full.stderr).toBe(0);
  fullOut = await reportFiles(join(baseDir, 'out'));
  fullFindings = JSON.parse(fullOut['findings.json'] ?? '[]') as PublicFinding[];
}, 240_000);

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a scoped run', () => {
  it('--resource writes every output of exactly that resource to out/scoped/, leaving out/ as the full run left it', async () => {
    const dir = await newDir();
    const result = await recon(['run', 'nightly', '--resource', V2_ACCOUNT.toUpperCase(), '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    const scoped = join(dir, 'out', 'scoped', 'all_stv2ssdprod');
    expect((await readdir(scoped)).sort()).toEqual(['parquet', ...REPORT_FILES].sort());
    const inScope = fullFindings.filter((f) => f.billing_resource_id?.startsWith(V2_ACCOUNT.toLowerCase()));
    expect(inScope.length).toBeGreaterThan(0);
    expect(inScope.length).toBeLessThan(fullFindings.length);
    // summary.json, findings.json, findings.csv, report.html and the Parquet findings all hold that scope.
    const files = await reportFiles(scoped);
    const written = JSON.parse(files['summary.json'] ?? '{}') as RunSummary;
    expect(written.findings.total).toBe(inScope.length);
    expect(summary.findings.total).toBe(inScope.length);
    const findings = JSON.parse(files['findings.json'] ?? '[]') as PublicFinding[];
    expect(findings.map((f) => f.finding_id).sort()).toEqual(inScope.map((f) => f.finding_id).sort());
    expect((files['findings.csv'] ?? '').trimEnd().split(/\r?\n/)).toHaveLength(inScope.length + 1);
    expect(files['summary.md']).toContain(`${inScope.length}`);
    // cases.json groups exactly those findings.
    const cases = JSON.parse(files['cases.json'] ?? '[]') as { finding_ids: string[]; billing_resource_id: string }[];
    expect(cases.flatMap((c) => c.finding_ids).sort()).toEqual(inScope.map((f) => f.finding_id).sort());
    for (const other of fullFindings.filter((f) => !inScope.includes(f))) {
      expect(files['report.html']).not.toContain(other.finding_id);
    }
    const parquet = await parquetFindings(scoped, '2026-10');
    expect(parquet).toHaveLength(inScope.length);
    for (const row of parquet) expect(row.billing_resource_id.startsWith(V2_ACCOUNT.toLowerCase())).toBe(true);
    // The full run's reports are untouched.
    expect(await reportFiles(join(dir, 'out'))).toEqual(fullOut);
  });

  it('--month writes to out/scoped/<month>/ and --from/--to to out/scoped/<from>_<to>/', async () => {
    const dir = await newDir();
    const month = await recon(['run', 'nightly', '--month', '2026-10', '--quiet'], dir);
    expect(month.code, month.stderr).toBe(0);
    const byMonth = await reportFiles(join(dir, 'out', 'scoped', '2026-10'));
    expect(JSON.parse(byMonth['findings.json'] ?? '[]')).toEqual(fullFindings);
    const span = await recon(['run', 'nightly', '--from', '2026-10-01', '--to', '2026-10-10', '--quiet'], dir);
    expect(span.code, span.stderr).toBe(0);
    const byDays = await reportFiles(join(dir, 'out', 'scoped', '2026-10-01_2026-10-10'));
    const findings = JSON.parse(byDays['findings.json'] ?? '[]') as PublicFinding[];
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      if (f.usage_date !== null) expect(f.usage_date <= '2026-10-10').toBe(true);
    }
    expect((JSON.parse(byDays['summary.json'] ?? '{}') as RunSummary).findings.total).toBe(findings.length);
    expect(await reportFiles(join(dir, 'out'))).toEqual(fullOut);
  });

  it('a --resource given as a name matches that resource, like its ARM id', async () => {
    const dir = await newDir();
    const byName = await recon(['run', 'nightly', '--resource', 'STV2SSDPROD', '--json'], dir);
    expect(byName.code, byName.stderr).toBe(0);
    const summary = JSON.parse(byName.stdout) as RunSummary;
    const inScope = fullFindings.filter((f) => f.billing_resource_id?.startsWith(V2_ACCOUNT.toLowerCase()));
    expect(summary.findings.total).toBe(inScope.length);
    const findings = JSON.parse(
      await readFile(join(dir, 'out', 'scoped', 'all_stv2ssdprod', 'findings.json'), 'utf8'),
    ) as PublicFinding[];
    expect(findings.map((f) => f.finding_id).sort()).toEqual(inScope.map((f) => f.finding_id).sort());
  });
});

describe('a scope that matches no data', () => {
  it.each([
    [['--month', '2026-09'], /^recon: error: nothing was billed or expected in 2026-09/],
    [
      ['--from', '2025-01-01', '--to', '2025-01-31'],
      /^recon: error: no billing month has deliveries in 2025-01-01 to 2025-01-31/,
    ],
    [
      ['--month', '2026-10', '--resource', '/subscriptions/00000000'],
      /^recon: error: nothing was billed or expected in 2026-10 for --resource '\/subscriptions\/00000000'/,
    ],
  ])('%j exits 2 with one line and writes nothing', async (args, message) => {
    const dir = await newDir();
    const result = await recon(['run', 'nightly', ...args], dir);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(message);
    expect(await readdir(join(dir, 'out'))).not.toContain('scoped');
    expect(await reportFiles(join(dir, 'out'))).toEqual(fullOut);
  });

  it('a name that names no resource is refused with a hint naming the ARM ids it could mean', async () => {
    const dir = await newDir();
    const result = await recon(['run', 'nightly', '--resource', 'stv2ssd', '--quiet'], dir);
    expect(result.code).toBe(2);
    const line = result.stderr.trim().split('\n').at(-1) ?? '';
    expect(line).toMatch(/^recon: error: .*'stv2ssd' is not an ARM id prefix/);
    expect(line).toContain(V2_ACCOUNT.toLowerCase());
  });
});

// Deliveries through the real `recon` executable (issue 11): Microsoft's header-only EA_NoRows.csv, a warehouse an
// older recon poisoned with a month-less delivery, an empty newer month-to-date run, and --out inside --exports.
// Every case ends with exit 0 and the right answer; none prints a stack trace.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import { insertDelivery } from '../helpers/builders.ts';
import { recon, ROOT, SAMPLE, SAMPLE_INPUTS, workDir } from './helpers.ts';

const EA_NO_ROWS = join(ROOT, 'test', 'fixtures', 'ingest', 'ea-no-rows', 'EA_NoRows.csv');
const INVENTORY = ['--inventory', join(SAMPLE, 'inventory'), '--transactions', join(SAMPLE, 'transactions')];
const RUN = '9e8d7c6b-5a49-4838-a726-15e4d3c2b102';

function noStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

async function summaryOf(dir: string, out = 'out'): Promise<RunSummary> {
  return JSON.parse(await readFile(join(dir, out, 'summary.json'), 'utf8')) as RunSummary;
}

describe('deliveries end to end', () => {
  it("runs on Microsoft's header-only EA_NoRows.csv, and every later run on that warehouse works", async () => {
    const dir = await workDir();
    const empty = await recon(['run', 'nightly', '--exports', EA_NO_ROWS, ...INVENTORY, '--quiet'], dir);
    noStackTrace(empty.stderr);
    expect(empty.code, empty.stderr).toBe(0);
    const good = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--full', '--quiet'], dir);
    noStackTrace(good.stderr);
    expect(good.code, good.stderr).toBe(0);
    expect((await summaryOf(dir)).months.in_scope).toEqual(['2026-10']);
  }, 180_000);

  it('repairs a warehouse holding the month-less delivery an older recon stored for EA_NoRows.csv', async () => {
    const dir = await workDir();
    const first = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet'], dir);
    expect(first.code, first.stderr).toBe(0);
    const wh = await Warehouse.open({ path: join(dir, 'recon.duckdb') });
    await insertDelivery(wh, {
      delivery_id: 'e'.repeat(64),
      export_scope: `file:${EA_NO_ROWS}`,
      billing_month: 'unknown',
      days_covered: 0,
      byte_count: 743,
      source_path: EA_NO_ROWS,
    });
    wh.close();
    const next = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--full'], dir);
    noStackTrace(next.stderr);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain('no billing month');
    expect((await summaryOf(dir)).months.in_scope).toEqual(['2026-10']);
  }, 180_000);

  it('an empty newer month-to-date run keeps the month: same findings, and a warning naming both runs', async () => {
    const dir = await workDir();
    const baseline = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet', '--out', 'base'], dir);
    expect(baseline.code, baseline.stderr).toBe(0);

    const exports = join(dir, 'exports');
    await cp(join(SAMPLE, 'exports'), exports, { recursive: true });
    const month = join(exports, 'recon-files-daily', '20261001-20261031');
    const emptyRun = join(month, 'c0ffee00-1111-4222-8333-444455556666');
    await mkdir(emptyRun);
    const header = (await readFile(join(month, RUN, 'part_0_0001.csv'), 'utf8')).split('\n')[0] ?? '';
    await writeFile(join(emptyRun, 'part_0_0001.csv'), `${header}\n`);
    const manifest = JSON.parse(await readFile(join(month, RUN, 'manifest.json'), 'utf8')) as {
      byteCount: number;
      dataRowCount: number;
      runInfo: { submittedTime: string; runId: string };
      blobs: { blobName: string; byteCount: number; dataRowCount: number }[];
    };
    const bytes = Buffer.byteLength(`${header}\n`);
    manifest.byteCount = bytes;
    manifest.dataRowCount = 0;
    manifest.runInfo.submittedTime = '2026-11-04T05:00:00.0000000Z';
    manifest.runInfo.runId = 'c0ffee00-1111-4222-8333-444455556666';
    manifest.blobs = [
      {
        blobName: `exports/recon-files-daily/20261001-20261031/${manifest.runInfo.runId}/part_0_0001.csv`,
        byteCount: bytes,
        dataRowCount: 0,
      },
    ];
    await writeFile(join(emptyRun, 'manifest.json'), JSON.stringify(manifest, null, 2));

    // --out inside --exports: its reports (findings.csv, parquet/) are never read back as exports.
    const args = ['run', 'nightly', '--exports', exports, ...INVENTORY, '--out', join(exports, 'out')];
    const run = await recon(args, dir);
    noStackTrace(run.stderr);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ingest: warning: .*c0ffee00-1111-4222-8333-444455556666.*9e8d7c6b/);
    const summary = JSON.parse(await readFile(join(exports, 'out', 'summary.json'), 'utf8')) as RunSummary;
    const before = await summaryOf(dir, 'base');
    expect(summary.findings).toEqual(before.findings);
    expect(summary.warnings.some((w) => w.includes(join(emptyRun, 'manifest.json')) && w.includes(RUN))).toBe(true);

    const again = await recon([...args, '--full'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("the run's --out folder, not read as exports");
    const rerun = JSON.parse(await readFile(join(exports, 'out', 'summary.json'), 'utf8')) as RunSummary;
    expect(rerun.findings).toEqual(before.findings);
  }, 240_000);
});

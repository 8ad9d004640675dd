import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, ROOT, SAMPLE_INPUTS, workDir } from './helpers.ts';

const OTHER_SUBSCRIPTION = '00000000-1111-4222-8333-444444444444';
// the resources the sample month bills Files or snapshot meters for: four storage accounts, one
// Microsoft.FileShares share and one disk snapshot
const SAMPLE_BILLED_RESOURCES = 6;

describe('recon command line', () => {
  it('prints help and exits 0; no command is a bad invocation (2)', async () => {
    const dir = await workDir();
    const help = await recon(['run', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--tolerance-pct');
    expect((await recon(['explain', '--help'], dir)).code).toBe(0);
    expect((await recon([], dir)).code).toBe(2);
    const unknown = await recon(['frobnicate'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('exits 2 naming the path when an input does not exist', async () => {
    const dir = await workDir();
    const result = await recon(['run', 'nightly', '--exports', 'no/such/folder', '--quiet'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no\/such\/folder.*cannot read export input/);
  });

  it('says so when a folder holds no export files, and still writes empty reports', async () => {
    const dir = await workDir();
    await mkdir(join(dir, 'empty-exports'));
    const result = await recon(['run', 'nightly', '--exports', 'empty-exports', '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.warnings).toEqual(['no export files found under empty-exports']);
    expect(summary.findings.total).toBe(0);
    expect(await readFile(join(dir, 'out', 'findings.json'), 'utf8')).toBe('[]\n');
  });

  it('exits 2 for a dispute without --month, naming the option', async () => {
    const dir = await workDir();
    const result = await recon(['run', 'dispute', '--resource', '/subscriptions/x'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pipeline dispute needs --month YYYY-MM');
  });

  it('exits 3 at once when another live run holds the warehouse, naming it', async () => {
    const dir = await workDir();
    // This test process is alive: its lock is not stale.
    await writeFile(
      join(dir, 'recon.duckdb.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), runId: 'night-run-42', startedAt: '2026-11-01T02:00:00Z' }),
    );
    const result = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet'], dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('in use by run night-run-42');
  });

  it('a second, real concurrent run exits 3 while the first completes', async () => {
    const dir = await workDir();
    const first = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'recon.js'), 'run', 'nightly', ...SAMPLE_INPUTS, '--quiet'],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', resolve));
    // Wait until the first run holds the warehouse.
    for (let waited = 0; !existsSync(join(dir, 'recon.duckdb.lock')) && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const second = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet'], dir);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/is in use by run \S+ \(pid \d+/);
    expect(await firstExit).toBe(0);
  });

  it('warns when the inventory covers none of the billed resources, and not when it covers some', async () => {
    const dir = await workDir();
    // the sample inventory of another subscription: the wrong --inventory folder
    const other = join(dir, 'other-inventory');
    await mkdir(other);
    for (const file of ['share_state.csv', 'disk_snapshot.csv']) {
      const text = await readFile(join(ROOT, 'sample-data', 'inventory', file), 'utf8');
      await writeFile(join(other, file), text.replaceAll('7c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b', OTHER_SUBSCRIPTION));
    }
    const exports = ['--exports', join(ROOT, 'sample-data', 'exports')];
    const wrong = await recon(['run', 'nightly', ...exports, '--inventory', other, '--db', 'a.duckdb', '--json'], dir);
    expect(wrong.code, wrong.stderr).toBe(0);
    const warnings = (JSON.parse(wrong.stdout) as RunSummary).warnings.filter((w) => w.includes('inventory covers'));
    expect(warnings).toEqual([
      `the inventory covers none of the ${SAMPLE_BILLED_RESOURCES} billed resources: every charge will be unverifiable (check --inventory)`,
    ]);
    const right = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--db', 'b.duckdb', '--json'], dir);
    expect(right.code, right.stderr).toBe(0);
    expect((JSON.parse(right.stdout) as RunSummary).warnings).toEqual([]);
  });

  it('runs the nightly pipeline on the sample month and prints the true run summary', async () => {
    const dir = await workDir();
    const result = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], dir);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.status).toBe('succeeded');
    // Two month-to-date deliveries of October: 243 + 508 data rows; the later one replaces the earlier.
    expect(summary.inputs).toMatchObject({
      files: 2,
      rows_read: 751,
      rows_ingested: 751,
      rows_quarantined: 0,
      deliveries_replaced: 1,
    });
    expect(summary.inputs.rows_ingested + summary.inputs.rows_quarantined).toBe(summary.inputs.rows_read);
    expect(summary.currency).toBe('EUR');
    // Every error planted in the sample month (sample-data/README: the README's table), and nothing else.
    expect(summary.findings.by_kind).toEqual({
      duplicate_charge: 1,
      metadata_violation: 1,
      missing_charge: 1,
      price_mismatch: 1,
      quantity_mismatch: 2,
      unexpected_charge: 1,
      unit_mismatch: 4,
      unmapped_meter: 1,
      unverifiable: 31,
      wrong_meter: 1,
    });
    expect(summary.findings.total).toBe(44);
    expect(summary.stages.map((stage) => stage.name)).toEqual([
      'ingest',
      'inventory',
      'transactions',
      'provisioning',
      'recompute',
      'billed',
      'diff',
      'export',
      'report',
    ]);
    const written = JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8')) as RunSummary;
    expect(written).toEqual(summary);
    const findings = await readFile(join(dir, 'out', 'findings.json'), 'utf8');

    // The same inputs again: nothing is appended, the fingerprint and the findings are the same.
    const again = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], dir);
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout) as RunSummary;
    expect(second.fingerprint).toEqual(summary.fingerprint);
    expect(second.run_id).not.toBe(summary.run_id);
    expect(await readFile(join(dir, 'out', 'findings.json'), 'utf8')).toBe(findings);

    // explain: the resize of 'engineering' at 12:00 on 10 Oct, billed from midnight.
    const resize = (JSON.parse(findings) as { finding_id: string; kind: string; usage_date: string }[]).find(
      (finding) => finding.kind === 'quantity_mismatch' && finding.usage_date === '2026-10-10',
    );
    expect(resize).toBeDefined();
    const explained = await recon(['explain', resize?.finding_id ?? ''], dir);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('engineering');
    expect(explained.stdout).toContain('2026-10-10 12:00:00');
    expect((await recon(['explain', '0000000000000000'], dir)).code).toBe(2);
  });
});

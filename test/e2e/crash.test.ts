import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, ROOT, SAMPLE_INPUTS, workDir } from './helpers.ts';

/** Start a nightly run and SIGKILL it after `afterMs` (a scheduler run is quiet, so the kill is timed). */
function killedRun(dir: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'recon.js'), 'run', 'nightly', ...SAMPLE_INPUTS, '--quiet'],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function stagingExists(parquetDir: string): boolean {
  return existsSync(parquetDir) && readdirSync(parquetDir).some((name) => name.startsWith('.staging'));
}

/** Start a nightly run and SIGKILL it as soon as `condition` holds (polled every 2 ms); true if it was killed so. */
function killedWhen(dir: string, condition: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'recon.js'), 'run', 'nightly', ...SAMPLE_INPUTS, '--quiet'],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && condition()) {
        killed = child.kill('SIGKILL');
      }
    }, 2);
    child.on('exit', () => {
      clearInterval(poll);
      resolve(killed);
    });
  });
}

describe('a run killed by a real signal', () => {
  it('leaves a warehouse the next run completes, with the outputs of an uninterrupted run', async () => {
    const reference = await workDir();
    const clean = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], reference);
    expect(clean.code).toBe(0);
    const expectedFindings = await readFile(join(reference, 'out', 'findings.json'), 'utf8');
    const expectedSummary = JSON.parse(clean.stdout) as RunSummary;

    // Kill points spread over start-up, ingest, the middle stages and the export/report tail of a ~2 s run.
    let killedMidRun = 0;
    for (const afterMs of [700, 1100, 1500, 1900]) {
      const dir = await workDir();
      await killedRun(dir, afterMs);
      // A run killed mid-way leaves its lock behind; the next run must find it stale and clear it.
      if (existsSync(join(dir, 'recon.duckdb.lock'))) killedMidRun++;
      const rerun = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], dir);
      expect(rerun.code, `killed after ${afterMs} ms: ${rerun.stderr}`).toBe(0);
      const summary = JSON.parse(rerun.stdout) as RunSummary;
      expect(summary.findings, `killed after ${afterMs} ms`).toEqual(expectedSummary.findings);
      expect(summary.cost_impact).toBe(expectedSummary.cost_impact);
      expect(await readFile(join(dir, 'out', 'findings.json'), 'utf8')).toBe(expectedFindings);
    }
    expect(killedMidRun).toBeGreaterThan(0);

    // Mid-export, aimed: kill the moment the Parquet export's staging folder appears.
    const dir = await workDir();
    const killedInExport = await killedWhen(dir, () => stagingExists(join(dir, 'out', 'parquet')));
    expect(killedInExport).toBe(true);
    const rerun = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((JSON.parse(rerun.stdout) as RunSummary).findings).toEqual(expectedSummary.findings);
    expect(await readFile(join(dir, 'out', 'findings.json'), 'utf8')).toBe(expectedFindings);
    expect(stagingExists(join(dir, 'out', 'parquet'))).toBe(false);
  });
});

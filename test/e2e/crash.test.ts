import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.ts';
import { comparableOutputs, recon, SAMPLE_INPUTS, startRecon, workDir } from './helpers.ts';

const NIGHTLY = ['run', 'nightly', ...SAMPLE_INPUTS];

/**
 * Start a first-ever nightly run and SIGKILL it `afterMs` after its first stage started (it holds the warehouse by
 * then): timed from the run's own progress line, not from the spawn, so a slow start-up does not move the kill.
 */
async function killedRun(dir: string, afterMs: number): Promise<void> {
  const run = startRecon(NIGHTLY, dir);
  run.onLine(/^ingest: started$/, () => {
    setTimeout(() => run.child.kill('SIGKILL'), afterMs);
  });
  await run.exited;
}

function stagingExists(parquetDir: string): boolean {
  return existsSync(parquetDir) && readdirSync(parquetDir).some((name) => name.startsWith('.staging'));
}

/**
 * Start a nightly run and SIGKILL it as soon as `condition` holds (polled every 2 ms from the export stage's start);
 * true if it was killed so.
 */
async function killedWhen(dir: string, condition: () => boolean): Promise<boolean> {
  const run = startRecon(NIGHTLY, dir);
  let killed = false;
  let poll: NodeJS.Timeout | undefined;
  run.onLine(/^export: started$/, () => {
    poll = setInterval(() => {
      if (!killed && condition()) killed = run.child.kill('SIGKILL');
    }, 2);
  });
  await run.exited;
  clearInterval(poll);
  return killed;
}

describe('a run killed by a real signal', () => {
  it('leaves a warehouse the next run completes, with the outputs of an uninterrupted run', async () => {
    const reference = await workDir();
    const clean = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], reference);
    expect(clean.code).toBe(0);
    const expectedFindings = await readFile(join(reference, 'out', 'findings.json'), 'utf8');
    const expectedSummary = JSON.parse(clean.stdout) as RunSummary;
    // Every output file, with only run-specific values masked (run id, stage durations; see comparableOutputs).
    const expectedOutputs = await comparableOutputs(join(reference, 'out'));

    // Kill points spread over ingest, the middle stages and the export/report tail of a run's ~1.4 s of stages.
    let killedMidRun = 0;
    for (const afterMs of [0, 400, 800, 1200]) {
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
      expect(await comparableOutputs(join(dir, 'out')), `killed after ${afterMs} ms`).toEqual(expectedOutputs);
    }
    expect(killedMidRun).toBeGreaterThan(0);

    // Mid-export, aimed: kill the moment the Parquet export's staging folder appears (on a loaded machine the poll
    // may miss the export's few tens of milliseconds: then try again in a fresh folder).
    let dir = '';
    let killedInExport = false;
    for (let tries = 0; tries < 3 && !killedInExport; tries++) {
      const folder = (dir = await workDir());
      killedInExport = await killedWhen(folder, () => stagingExists(join(folder, 'out', 'parquet')));
    }
    expect(killedInExport).toBe(true);
    const rerun = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--json'], dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((JSON.parse(rerun.stdout) as RunSummary).findings).toEqual(expectedSummary.findings);
    expect(await readFile(join(dir, 'out', 'findings.json'), 'utf8')).toBe(expectedFindings);
    expect(stagingExists(join(dir, 'out', 'parquet'))).toBe(false);
    expect(await comparableOutputs(join(dir, 'out'))).toEqual(expectedOutputs);
  }, 240_000); // four kills and five full runs of the sample month: minutes on 2 busy cores, not a speed check
});

// Recompute scaling: the same month at 10k, 20k and 40k shares with one state change per share per day, and 10k
// shares changing every hour. Recompute should grow linearly with state changes: 2× shares ≤ 2.2× time; hourly
// changes ≤ 1.5× the daily case for the same shares. Files rows only (no noise): only the inventory matters here.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDataset } from './datasets.ts';
import { expectExit, measureNode, ROOT } from './measure.ts';

export interface ScalingRun {
  shares: number;
  changes: 'daily' | 'hourly';
  intervals: number;
  recomputeSeconds: number;
  inventorySeconds: number;
  /** recompute time ÷ the run it is compared with (previous share count, or the daily run of the same shares) */
  ratio: string | null;
}

export interface ScalingResult {
  days: number;
  runs: ScalingRun[];
}

const DAYS = 7;
const PLAN: { shares: number; changes: 'daily' | 'hourly'; against: number | null }[] = [
  { shares: 10_000, changes: 'daily', against: null },
  { shares: 20_000, changes: 'daily', against: 0 },
  { shares: 40_000, changes: 'daily', against: 1 },
  { shares: 10_000, changes: 'hourly', against: 0 },
];

export async function runScaling(dataRoot: string, work: string, log: (line: string) => void): Promise<ScalingResult> {
  const runs: ScalingRun[] = [];
  for (const step of PLAN) {
    const data = await ensureDataset(
      dataRoot,
      { shares: step.shares, rows: 0, dialect: 'mca', month: '2026-10', days: DAYS, changes: step.changes },
      log,
    );
    const db = join(work, `scaling-${step.shares}-${step.changes}.duckdb`);
    const out = join(work, `scaling-${step.shares}-${step.changes}`);
    log(`scaling: ${step.shares} shares, ${step.changes} changes`);
    const m = await measureNode([
      join(ROOT, 'bin', 'recon.js'),
      'run',
      join(ROOT, 'bench', 'pipelines', 'recompute-only.ts'),
      ...['--exports', data.exportsDir, '--inventory', data.inventoryDir, '--transactions', data.transactionsDir],
      ...['--db', db, '--out', out, '--quiet'],
    ]);
    expectExit(`scaling ${step.shares} ${step.changes}`, m, [0, 1]);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as {
      stages: { name: string; seconds: number; rows: number }[];
    };
    const seconds = (name: string) => summary.stages.find((s) => s.name === name)?.seconds ?? Number.NaN;
    const recomputeSeconds = seconds('recompute');
    const base = step.against === null ? null : runs[step.against];
    runs.push({
      shares: step.shares,
      changes: step.changes,
      intervals: data.inventoryRows,
      recomputeSeconds,
      inventorySeconds: seconds('inventory'),
      ratio: base
        ? `${(recomputeSeconds / base.recomputeSeconds).toFixed(2)} (vs ${base.shares} ${base.changes})`
        : null,
    });
    await rm(db, { force: true });
  }
  return { days: DAYS, runs };
}

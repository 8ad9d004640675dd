// Recompute scaling: 7 days at 10k, 20k and 40k shares with one state change per share per day, and shares changing
// every hour against the daily case of the same shares. Recompute should grow linearly with state changes: 2× shares ≤ 2.2× time; hourly
// changes ≤ 1.5× the daily case for the same shares. Files rows only (no noise): only the inventory matters here.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDataset } from './datasets.ts';
import { measureNode, ROOT } from './measure.ts';

export interface ScalingRun {
  shares: number;
  changes: 'daily' | 'hourly';
  intervals: number;
  recomputeSeconds: number;
  inventorySeconds: number;
  /** recompute time ÷ the run it is compared with (previous share count, or the daily run of the same shares) */
  ratio: string | null;
  /** why the run failed, when it did */
  error?: string;
}

function failed(shares: number, changes: 'daily' | 'hourly', intervals: number): ScalingRun {
  return { shares, changes, intervals, recomputeSeconds: Number.NaN, inventorySeconds: Number.NaN, ratio: null };
}

export interface ScalingResult {
  days: number;
  runs: ScalingRun[];
}

const DAYS = 7;
// `against` is the index of the run a ratio is taken to. Hourly changes at 2,500 shares (420k intervals) fit the
// default 4 GB; at 10,000 shares (1.68M intervals) the recompute ran out of memory — the run is kept to say so.
const PLAN: { shares: number; changes: 'daily' | 'hourly'; against: number | null }[] = [
  { shares: 2_500, changes: 'daily', against: null },
  { shares: 2_500, changes: 'hourly', against: 0 },
  { shares: 10_000, changes: 'daily', against: null },
  { shares: 20_000, changes: 'daily', against: 2 },
  { shares: 40_000, changes: 'daily', against: 3 },
  { shares: 10_000, changes: 'hourly', against: 2 },
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
    if (m.exitCode !== 0 && m.exitCode !== 1) {
      const error = m.stderr.split('\n').find((line) => line.includes('error')) ?? `exit ${m.exitCode}`;
      log(`scaling: ${step.shares} ${step.changes} failed: ${error}`);
      runs.push({ ...failed(step.shares, step.changes, data.inventoryRows), error: error.slice(0, 200) });
      await rm(db, { force: true });
      continue;
    }
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as {
      stages: { name: string; seconds: number; rows: number }[];
    };
    const seconds = (name: string) => summary.stages.find((s) => s.name === name)?.seconds ?? Number.NaN;
    const recomputeSeconds = seconds('recompute');
    const base = step.against === null ? null : runs[step.against];
    const baseSeconds = base?.error === undefined ? base?.recomputeSeconds : undefined;
    runs.push({
      shares: step.shares,
      changes: step.changes,
      intervals: data.inventoryRows,
      recomputeSeconds,
      inventorySeconds: seconds('inventory'),
      ratio:
        base && baseSeconds !== undefined
          ? `${(recomputeSeconds / baseSeconds).toFixed(2)} (vs ${base.shares} ${base.changes})`
          : null,
    });
    await rm(db, { force: true });
  }
  return { days: DAYS, runs };
}

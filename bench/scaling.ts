// Recompute scaling: 7 days at 10k, 20k and 40k shares with one state change per share per day, and shares changing
// every hour against the daily case of the same shares; then 10,000 shares over a whole 31-day month, daily and
// hourly (7.4M intervals), at the default memory limit. Recompute should grow linearly with state changes: 2× shares
// ≤ 2.2× time; 24× the intervals (hourly against daily, same shares and days) ≤ 26× the time, and never out of
// memory. Files rows only (no noise): only the inventory matters here.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDataset } from './datasets.ts';
import { measureNode, ROOT } from './measure.ts';

export interface ScalingRun {
  shares: number;
  changes: 'daily' | 'hourly';
  days: number;
  intervals: number;
  recomputeSeconds: number;
  inventorySeconds: number;
  /** recompute time ÷ the run it is compared with (previous share count, or the daily run of the same shares) */
  ratio: string | null;
  /** why the run failed, when it did */
  error?: string;
}

function failed(shares: number, changes: 'daily' | 'hourly', days: number, intervals: number): ScalingRun {
  return { shares, changes, days, intervals, recomputeSeconds: Number.NaN, inventorySeconds: Number.NaN, ratio: null };
}

export interface ScalingResult {
  runs: ScalingRun[];
  /** recompute time ÷ intervals of the month-long hourly run against the month-long daily run (target ≤ 26 / 24) */
  perIntervalRatio: number | null;
}

// `against` is the index of the run a ratio is taken to. Before issue 14, hourly changes at 10,000 shares (1.68M
// intervals) ran the recompute out of memory at the default 4 GB (ordered lists of interval ids per share and day).
const PLAN: { shares: number; changes: 'daily' | 'hourly'; days: number; against: number | null }[] = [
  { shares: 2_500, changes: 'daily', days: 7, against: null },
  { shares: 2_500, changes: 'hourly', days: 7, against: 0 },
  { shares: 10_000, changes: 'daily', days: 7, against: null },
  { shares: 20_000, changes: 'daily', days: 7, against: 2 },
  { shares: 40_000, changes: 'daily', days: 7, against: 3 },
  { shares: 10_000, changes: 'hourly', days: 7, against: 2 },
  { shares: 10_000, changes: 'daily', days: 31, against: null },
  { shares: 10_000, changes: 'hourly', days: 31, against: 6 },
];
const MONTH_DAILY = 6;
const MONTH_HOURLY = 7;

export async function runScaling(dataRoot: string, work: string, log: (line: string) => void): Promise<ScalingResult> {
  const runs: ScalingRun[] = [];
  for (const step of PLAN) {
    const data = await ensureDataset(
      dataRoot,
      { shares: step.shares, rows: 0, dialect: 'mca', month: '2026-10', days: step.days, changes: step.changes },
      log,
    );
    const name = `scaling-${step.shares}-${step.changes}-${step.days}d`;
    const db = join(work, `${name}.duckdb`);
    const out = join(work, name);
    log(`scaling: ${step.shares} shares, ${step.changes} changes, ${step.days} days`);
    const m = await measureNode([
      join(ROOT, 'bin', 'recon.js'),
      'run',
      join(ROOT, 'bench', 'pipelines', 'recompute-only.yaml'),
      ...['--exports', data.exportsDir, '--inventory', data.inventoryDir, '--transactions', data.transactionsDir],
      ...['--db', db, '--out', out, '--quiet'],
    ]);
    if (m.exitCode !== 0 && m.exitCode !== 1) {
      const error = m.stderr.split('\n').find((line) => line.includes('error')) ?? `exit ${m.exitCode}`;
      log(`scaling: ${step.shares} ${step.changes} failed: ${error}`);
      runs.push({ ...failed(step.shares, step.changes, step.days, data.inventoryRows), error: error.slice(0, 200) });
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
      days: step.days,
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
  return { runs, perIntervalRatio: perIntervalRatio(runs[MONTH_DAILY], runs[MONTH_HOURLY]) };
}

/** (hourly seconds ÷ hourly intervals) ÷ (daily seconds ÷ daily intervals): 1 when time per interval is flat. */
function perIntervalRatio(daily: ScalingRun | undefined, hourly: ScalingRun | undefined): number | null {
  if (!daily || !hourly || daily.error !== undefined || hourly.error !== undefined) return null;
  return hourly.recomputeSeconds / hourly.intervals / (daily.recomputeSeconds / daily.intervals);
}

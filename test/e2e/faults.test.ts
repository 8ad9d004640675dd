// Faults, with real child processes: a run SIGKILLed while a named stage runs, a disk that fills up, an output folder
// that cannot be written, two runs started together. recon must never lose or half-write data: the warehouse keeps
// what the last successful run stored, the output folder holds whole files, and the next run gives exactly the
// outputs of an uninterrupted one.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseBusyError } from '../../src/errors.ts';
import { acquireWarehouseLock, lockPathFor, type WarehouseLock } from '../../src/pipeline/lock.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import {
  comparableOutputs,
  copyRunState,
  recon,
  SAMPLE,
  SAMPLE_INPUTS,
  snapshotFiles,
  startRecon,
  withWarehouseCopy,
  workDir,
  type LiveRunResult,
} from './helpers.ts';

const FIRST_DELIVERY = join(
  SAMPLE,
  'exports',
  'recon-files-daily',
  '20261001-20261031',
  '5b0c6f1e-2a44-4c1f-9d0e-7f3a1b2c4d01',
);
const INVENTORY = ['--inventory', join(SAMPLE, 'inventory'), '--transactions', join(SAMPLE, 'transactions')];
/** The first night: only the 16 Oct month-to-date delivery of October has arrived. */
const NIGHT_ONE = ['run', 'nightly', '--exports', FIRST_DELIVERY, ...INVENTORY];
/** The next night: the final October delivery has arrived and restates the first, so October is rebuilt. */
const NIGHT_TWO = ['run', 'nightly', ...SAMPLE_INPUTS];
/** A line of a stack trace: a run that fails prints one line, `recon: error: …`, and none of these. */
const STACK_LINE = /^\s+at /m;

interface FindingRow {
  finding_id: string;
  run_id: string;
  [column: string]: unknown;
}

interface NightOne {
  /** A folder holding the warehouse and output folder as the first night left them; copy it, never change it. */
  dir: string;
  runId: string;
  findings: FindingRow[];
  files: Map<string, Buffer>;
  outputs: Record<string, string>;
}

interface Reference {
  runId: string;
  /** Stage durations of the uninterrupted second night, to aim kills at the middle of a stage. */
  seconds: Record<string, number>;
  findings: FindingRow[];
  outputs: Record<string, string>;
}

let nightOne: NightOne;
let reference: Reference;

const findingRows = (wh: Warehouse): Promise<FindingRow[]> =>
  wh.rows<FindingRow>('select * from finding order by finding_id');
const withoutRunId = (rows: readonly FindingRow[]): Omit<FindingRow, 'run_id'>[] =>
  rows.map(({ run_id: _runId, ...rest }) => rest);

// Every run folder holds a 13 MB warehouse: remove them all when the file is done.
const scratch: string[] = [];
async function scratchDir(): Promise<string> {
  const dir = await workDir();
  scratch.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A folder in the state the first night left: the starting point of every fault below. */
async function afterNightOne(): Promise<string> {
  const dir = await scratchDir();
  await copyRunState(nightOne.dir, dir);
  return dir;
}

beforeAll(async () => {
  // One uninterrupted history: night one, then night two. Its outputs are what every faulted history must reach.
  const history = await scratchDir();
  const first = await recon([...NIGHT_ONE, '--json'], history);
  expect(first.code, first.stderr).toBe(0);
  const dir = await scratchDir();
  await copyRunState(history, dir);
  nightOne = {
    dir,
    runId: (JSON.parse(first.stdout) as RunSummary).run_id,
    findings: await withWarehouseCopy(dir, findingRows),
    files: await snapshotFiles(join(dir, 'out')),
    outputs: await comparableOutputs(join(dir, 'out')),
  };
  const second = await recon([...NIGHT_TWO, '--json'], history);
  expect(second.code, second.stderr).toBe(0);
  const summary = JSON.parse(second.stdout) as RunSummary;
  reference = {
    runId: summary.run_id,
    seconds: Object.fromEntries(summary.stages.map((stage) => [stage.name, stage.seconds])),
    findings: await withWarehouseCopy(history, findingRows),
    outputs: await comparableOutputs(join(history, 'out')),
  };
  // The nights differ (the restatement changes October's findings): "the earlier results are intact" can fail.
  expect(nightOne.findings.length).toBe(25);
  expect(reference.findings.length).toBe(44);
});

interface KilledRun {
  dir: string;
  result: LiveRunResult;
  delayMs: number;
}

/**
 * Start night two from night one's state and SIGKILL it while `stage` runs: `fraction` of the stage's uninterrupted
 * duration after its `<stage>: started` line. If the stage finished first (its `done` line was printed) the kill
 * missed; try again sooner. Returns the first run killed after its stage started and before it finished.
 */
async function killedWhile(stage: string): Promise<KilledRun> {
  const seconds = reference.seconds[stage] ?? 0;
  for (const fraction of [0.5, 0.15, 0]) {
    const dir = await afterNightOne();
    const run = startRecon(NIGHT_TWO, dir);
    const delayMs = Math.round(seconds * 1000 * fraction);
    run.onLine(new RegExp(`^${stage}: started$`), () => {
      if (delayMs === 0) run.child.kill('SIGKILL');
      else setTimeout(() => run.child.kill('SIGKILL'), delayMs);
    });
    const result = await run.exited;
    const started = run.lines.includes(`${stage}: started`);
    const finished = run.lines.some((line) => line.startsWith(`${stage}: done`));
    if (result.signal === 'SIGKILL' && started && !finished) return { dir, result, delayMs };
  }
  throw new Error(`could not kill a run while ${stage} ran`);
}

/** Every delivery in the warehouse is whole: its billing lines are exactly the rows it says it ingested. */
async function deliveriesAreWhole(wh: Warehouse): Promise<{ delivery_id: string; ingested: string; lines: string }[]> {
  return wh.rows(
    `select d.delivery_id, d.rows_ingested::varchar as ingested, count(b.delivery_id)::varchar as lines
     from delivery d left join billing_line b using (delivery_id)
     group by all having d.rows_ingested <> count(b.delivery_id)`,
  );
}

describe('a run SIGKILLed while a named stage runs', () => {
  it.each(['ingest', 'recompute', 'diff', 'export', 'report'])(
    'mid-%s: the warehouse opens with the earlier results whole, and the next run gives the uninterrupted outputs',
    async (stage) => {
      const { dir, result } = await killedWhile(stage);
      expect(result.stderr).not.toMatch(/error/i);

      // The warehouse the killed run left opens; what it holds is whole.
      const killedRunId = await withWarehouseCopy(dir, async (wh) => {
        expect(await deliveriesAreWhole(wh)).toEqual([]);
        const runs = await wh.rows<{ run_id: string; status: string }>(
          'select run_id, status from recon_run order by started_at',
        );
        expect(runs[0]).toEqual({ run_id: nightOne.runId, status: 'succeeded' });
        expect(runs.slice(1).map((run) => run.status)).toEqual(['running']);
        const killed = runs[1]?.run_id ?? '';
        const findings = await findingRows(wh);
        if (stage === 'ingest' || stage === 'recompute') {
          // Before the diff: night one's findings, untouched.
          expect(findings).toEqual(nightOne.findings);
        } else if (stage === 'diff') {
          // The diff replaces a month's findings in one transaction: all of night one's, or all of night two's.
          const ours = findings.every((row) => row.run_id === killed);
          expect(ours ? withoutRunId(findings) : findings).toEqual(
            ours ? withoutRunId(reference.findings) : nightOne.findings,
          );
        } else {
          expect(withoutRunId(findings)).toEqual(withoutRunId(reference.findings));
        }
        return killed;
      });

      // Every output file present is whole: the previous run's or, from the export on, this run's.
      const left = await comparableOutputs(join(dir, 'out'));
      for (const [path, content] of Object.entries(left)) {
        if (path.includes('.staging-') || path.includes('.tmp-')) continue; // a killed run's scratch: see the rerun
        // Parquet is replaced by the export (partition by partition), the reports by the report stage.
        const replacedBy = path.startsWith('parquet/') ? ['export', 'report'] : ['report'];
        const candidates = [
          ...(stage === 'report' && path.startsWith('parquet/') ? [] : [nightOne.outputs[path]]),
          ...(replacedBy.includes(stage) ? [reference.outputs[path]] : []),
        ];
        expect(candidates, `${path} after a kill mid-${stage}`).toContain(content);
      }
      if (stage !== 'report') {
        for (const [path, bytes] of nightOne.files) {
          if (!path.startsWith('parquet/')) expect(await readFile(join(dir, 'out', path)), path).toEqual(bytes);
        }
      }

      // A leftover like a run killed half-way through writing a report would leave (its process is gone).
      await writeFile(join(dir, 'out', `findings.json.tmp-${2 ** 22 + 7}-0badc0de`), '[\n  {\n    "finding_id": "');

      const rerun = await recon(NIGHT_TWO, dir);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await comparableOutputs(join(dir, 'out'))).toEqual(reference.outputs);
      await withWarehouseCopy(dir, async (wh) => {
        const killed = await wh.row<{ status: string; error_message: string | null }>(
          'select status, error_message from recon_run where run_id = $1',
          [killedRunId],
        );
        expect(killed?.status).toBe('failed');
        expect(killed?.error_message).toMatch(/^interrupted/);
        expect(await wh.rows("select run_id from recon_run where status = 'running'")).toEqual([]);
      });
    },
  );
});

/** The status of every run the warehouse recorded, oldest first. */
const runStatuses = (dir: string): Promise<string[]> =>
  withWarehouseCopy(dir, async (wh) =>
    (await wh.rows<{ status: string }>('select status from recon_run order by started_at')).map((run) => run.status),
  );

describe('a full disk', () => {
  // A file-size limit set on the running process as the stage starts (stopped meanwhile, so the limit is in place
  // before it writes): the warehouse is written by then and needs no more until the stage ends, but the stage's
  // files cannot be. Writing past the limit fails with EFBIG (Node ignores SIGXFSZ), as a full disk fails (ENOSPC).
  it.each([
    {
      stage: 'export',
      limitBytes: 4 * 1024, // billing_line's partition is ≈24 KB
      error:
        /^recon: error: cannot write out\/parquet\/\.staging-\w+\/[a-z_]+\/billing_month=2026-10\/data\.parquet: file too large \(the previous Parquet files are kept\)$/,
    },
    {
      stage: 'report',
      limitBytes: 100 * 1024, // report.html is ≈145 KB, the other reports and the Parquet files are smaller
      error: /^recon: error: cannot write out\/report\.html: file too large \(EFBIG\)$/,
    },
  ])(
    'while the $stage stage writes: one clear line, exit 2, nothing half-replaced, the warehouse intact',
    async ({ stage, limitBytes, error }) => {
      const lastLine = (result: LiveRunResult): string => result.stderr.trimEnd().split('\n').at(-1) ?? '';
      let attempt: { dir: string; result: LiveRunResult } | undefined;
      // On a loaded machine the stage may have written its files before the limit lands: then try again.
      for (let tries = 0; tries < 4 && (attempt === undefined || !error.test(lastLine(attempt.result))); tries++) {
        const dir = await afterNightOne();
        const run = startRecon(NIGHT_TWO, dir);
        run.onLine(new RegExp(`^${stage}: started$`), () => {
          run.child.kill('SIGSTOP');
          execFileSync('prlimit', ['--pid', String(run.child.pid), `--fsize=${limitBytes}`]);
          run.child.kill('SIGCONT');
        });
        attempt = { dir, result: await run.exited };
      }
      if (attempt === undefined) throw new Error('no attempt');
      const { dir, result } = attempt;
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stderr.split('\n').filter((line) => line.startsWith('recon: '))).toHaveLength(1);
      expect(lastLine(result)).toMatch(error);
      // Nothing was replaced that the failed stage writes (Parquet and reports are all-or-nothing), nothing of it
      // is left behind; what an earlier stage replaced is whole.
      const left = await comparableOutputs(join(dir, 'out'));
      const isParquet = ([path]: [string, unknown]): boolean => path.startsWith('parquet/');
      const expected = Object.entries(nightOne.outputs)
        .filter((entry) => (stage === 'export' ? true : !isParquet(entry)))
        .concat(stage === 'export' ? [] : Object.entries(reference.outputs).filter(isParquet));
      expect(Object.entries(left).sort()).toEqual(expected.sort());
      if (stage === 'export') expect(await snapshotFiles(join(dir, 'out'))).toEqual(nightOne.files);
      await withWarehouseCopy(dir, async (wh) => {
        expect(withoutRunId(await findingRows(wh))).toEqual(withoutRunId(reference.findings));
      });
      const rerun = await recon(NIGHT_TWO, dir);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await comparableOutputs(join(dir, 'out'))).toEqual(reference.outputs);
      expect(await runStatuses(dir)).toEqual(['succeeded', 'failed', 'succeeded']);
    },
  );

  it('while the warehouse is written: one clear line naming it, exit 2, the earlier results intact', async () => {
    // 1 MiB: the write-ahead log of night two outgrows it before the diff commits.
    const dir = await afterNightOne();
    const result = await startRecon([...NIGHT_TWO, '--quiet'], dir, { fileSizeLimitKiB: 1024 }).exited;
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^recon: error: cannot write the warehouse ${dir}/recon\\.duckdb(\\.wal)?: file too large \\(in [a-z ]+\\)\\n$`,
      ),
    );
    expect(await snapshotFiles(join(dir, 'out'))).toEqual(nightOne.files);
    await withWarehouseCopy(dir, async (wh) => {
      expect(await findingRows(wh)).toEqual(nightOne.findings);
      expect(await deliveriesAreWhole(wh)).toEqual([]);
    });
    const rerun = await recon(NIGHT_TWO, dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await comparableOutputs(join(dir, 'out'))).toEqual(reference.outputs);
    expect(await runStatuses(dir)).toEqual(['succeeded', 'failed', 'succeeded']);
  });
});

describe('an output folder that cannot be written', () => {
  const isRoot = process.getuid?.() === 0;

  /** Start night two with `--out` and expect it to stop at once, naming the folder, with nothing touched. */
  async function expectRefused(dir: string, out: string, problem: RegExp): Promise<void> {
    const result = await recon([...NIGHT_TWO, '--out', out], dir);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^recon: error: cannot write to the output folder ${out}: `));
    expect(result.stderr).toMatch(problem);
    // Refused before the warehouse was touched: night one's run is the only one, its results whole.
    await withWarehouseCopy(dir, async (wh) => {
      expect(await wh.rows('select run_id, status from recon_run')).toEqual([
        { run_id: nightOne.runId, status: 'succeeded' },
      ]);
      expect(await findingRows(wh)).toEqual(nightOne.findings);
    });
  }

  it('beneath a regular file (unwritable even for root): one clear line, exit 2, the warehouse untouched', async () => {
    const dir = await afterNightOne();
    await writeFile(join(dir, 'not-a-folder'), 'a file\n');
    await expectRefused(dir, join(dir, 'not-a-folder', 'out'), /not a folder/);
    expect(await snapshotFiles(join(dir, 'out'))).toEqual(nightOne.files);
  });

  it.skipIf(isRoot)('read-only (chmod 0555): one clear line, exit 2, the previous reports untouched', async () => {
    const dir = await afterNightOne();
    const out = join(dir, 'out');
    await chmod(out, 0o555);
    try {
      await expectRefused(dir, out, /permission denied/);
    } finally {
      await chmod(out, 0o755);
    }
    expect(await snapshotFiles(out)).toEqual(nightOne.files);
  });
});

describe('two runs started together on one warehouse', () => {
  it('exactly one proceeds; the other exits 3 at once naming it, and leaves its lock alone', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = await scratchDir();
      const lock = lockPathFor(join(dir, 'recon.duckdb'));
      // Spawned in the same tick: both start up in parallel and reach the lock at about the same moment.
      const runs = [startRecon([...NIGHT_TWO, '--quiet'], dir), startRecon([...NIGHT_TWO, '--quiet'], dir)];
      const first = await Promise.race(runs.map((run, index) => run.exited.then((result) => ({ index, result }))));
      const lockLeft = existsSync(lock) ? (JSON.parse(await readFile(lock, 'utf8')) as { pid: number }) : undefined;
      const winner = runs[1 - first.index];
      if (winner === undefined) throw new Error('two runs were started');
      // The first to end is the loser, long before the winner could have finished; its lock is still in place.
      expect(first.result.code, first.result.stderr).toBe(3);
      expect(first.result.stderr).toMatch(
        new RegExp(`^recon: error: warehouse recon\\.duckdb is in use by run \\S+ \\(pid ${winner.child.pid} .*\\n$`),
      );
      expect(lockLeft?.pid).toBe(winner.child.pid);
      // Exclusivity is shown; one winner run to the end is enough to show it proceeds undisturbed.
      if (round > 0) winner.child.kill('SIGKILL');
      const result = await winner.exited;
      if (round > 0) continue;
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(lock)).toBe(false);
      expect(await comparableOutputs(join(dir, 'out'))).toEqual(reference.outputs);
    }
  });
});

describe('the warehouse lock under contention (one process, interleaved takers)', () => {
  const dead = { pid: 2 ** 22 + 7, host: hostname(), runId: 'killed', startedAt: '2026-11-01T02:00:00.000Z' };

  it('lets exactly one of several simultaneous takers hold it, also when all race to clear a stale lock', async () => {
    for (let round = 0; round < 40; round++) {
      const db = join(await scratchDir(), 'recon.duckdb');
      if (round % 2 === 1) await writeFile(lockPathFor(db), JSON.stringify(dead));
      const takers = ['a', 'b', 'c', 'd'].map((name) => acquireWarehouseLock(db, `run-${name}`));
      const settled = await Promise.allSettled(takers);
      const held = settled.flatMap((outcome, index) =>
        outcome.status === 'fulfilled' ? [{ lock: outcome.value, runId: `run-${'abcd'[index]}` }] : [],
      );
      for (const outcome of settled) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WarehouseBusyError);
      }
      expect(
        held.map((taker) => taker.runId),
        `round ${round}`,
      ).toHaveLength(1);
      const holder = JSON.parse(await readFile(lockPathFor(db), 'utf8')) as { runId: string };
      expect(holder.runId).toBe(held[0]?.runId);
      await Promise.all(held.map((taker) => taker.lock.release()));
      expect(existsSync(lockPathFor(db))).toBe(false);
      expect((await readdir(join(db, '..'))).filter((name) => name.includes('.lock'))).toEqual([]);
    }
  });

  it('judges what a crash may leave by its age: an unreadable lock, a stale-lock breaker', async () => {
    const db = join(await scratchDir(), 'recon.duckdb');
    const lockPath = lockPathFor(db);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    // Unreadable and young: another run is writing it (file systems without hard links). Old: a crash; cleared.
    await writeFile(lockPath, '');
    await expect(acquireWarehouseLock(db, 'run-one')).rejects.toThrow(/is being locked by another run/);
    await utimes(lockPath, longAgo, longAgo);
    await (await acquireWarehouseLock(db, 'run-one')).release();
    // A stale lock whose breaker is busy: another run is clearing it, so this one gives up (exit 3)...
    await writeFile(lockPath, JSON.stringify(dead));
    await writeFile(`${lockPath}.break`, '{}');
    await expect(acquireWarehouseLock(db, 'run-two')).rejects.toThrow(/could not take the lock/);
    // ...unless that breaker is old: it was killed while clearing, and the lock is taken after all.
    await utimes(`${lockPath}.break`, longAgo, longAgo);
    const lock = await acquireWarehouseLock(db, 'run-two');
    expect((JSON.parse(await readFile(lockPath, 'utf8')) as { runId: string }).runId).toBe('run-two');
    await lock.release();
    expect(await readdir(join(db, '..'))).toEqual([]);
  });

  it('release removes only the holder’s own lock file', async () => {
    const db = join(await scratchDir(), 'recon.duckdb');
    const lock: WarehouseLock = await acquireWarehouseLock(db, 'run-one');
    // Someone else's lock now sits there (e.g. an operator cleared ours and another run took it).
    const other = JSON.stringify({ ...dead, pid: process.pid, runId: 'run-two' });
    await writeFile(lockPathFor(db), other);
    await lock.release();
    expect(await readFile(lockPathFor(db), 'utf8')).toBe(other);
  });
});

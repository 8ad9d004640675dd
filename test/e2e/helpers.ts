// Runs the real `recon` executable (bin/recon.js) in a child process, as a scheduler would.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SAMPLE = join(ROOT, 'sample-data');
export const RECON_JS = join(ROOT, 'bin', 'recon.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function recon(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RECON_JS, ...args],
      { cwd, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export async function workDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'recon-e2e-'));
}

export const SAMPLE_INPUTS = [
  '--exports',
  join(SAMPLE, 'exports'),
  '--inventory',
  join(SAMPLE, 'inventory'),
  '--transactions',
  join(SAMPLE, 'transactions'),
];

export interface LiveRunResult extends CliResult {
  /** The signal that ended the process (SIGKILL when a test killed it), else null. */
  signal: NodeJS.Signals | null;
}

/** A recon child process whose stderr is watched line by line while it runs. */
export interface LiveRun {
  child: ChildProcess;
  /** stderr lines printed so far (complete lines only). */
  lines: string[];
  /** Call `action` once, synchronously, on the first stderr line matching `pattern` (also one already printed). */
  onLine(pattern: RegExp, action: (line: string) => void): void;
  exited: Promise<LiveRunResult>;
}

export interface StartOptions {
  /** Run under `ulimit -f` (in KiB): writes past this offset fail with EFBIG (Node ignores SIGXFSZ). */
  fileSizeLimitKiB?: number;
}

export function startRecon(args: readonly string[], cwd: string, options: StartOptions = {}): LiveRun {
  const command =
    options.fileSizeLimitKiB === undefined
      ? { file: process.execPath, args: [RECON_JS, ...args] }
      : {
          file: 'bash',
          args: [
            '-c',
            'ulimit -f "$0" && exec "$@"',
            String(options.fileSizeLimitKiB),
            process.execPath,
            RECON_JS,
            ...args,
          ],
        };
  const child = spawn(command.file, command.args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const watchers: { pattern: RegExp; action: (line: string) => void }[] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const watcher of watchers.splice(0)) {
        if (watcher.pattern.test(line)) watcher.action(line);
        else watchers.push(watcher);
      }
    }
  });
  const exited = new Promise<LiveRunResult>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
  return {
    child,
    lines,
    onLine(pattern, action) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen === undefined) watchers.push({ pattern, action });
      else action(seen);
    },
    exited,
  };
}

/** Copy a run folder's warehouse (file and write-ahead log) as the process left them. */
async function copyWarehouse(from: string, to: string): Promise<void> {
  for (const name of ['recon.duckdb', 'recon.duckdb.wal']) {
    if (existsSync(join(from, name))) await copyFile(join(from, name), join(to, name));
  }
}

/** Copy a run folder's warehouse and output folder, as another night would find them. */
export async function copyRunState(from: string, to: string): Promise<void> {
  await copyWarehouse(from, to);
  if (existsSync(join(from, 'out'))) await cp(join(from, 'out'), join(to, 'out'), { recursive: true });
}

/**
 * Open the warehouse a (dead) run left behind without touching it: a copy of its file and write-ahead log, opened
 * as the next run would open it (replaying the log).
 */
export async function withWarehouseCopy<T>(dir: string, read: (wh: Warehouse) => Promise<T>): Promise<T> {
  const copy = await mkdtemp(join(tmpdir(), 'recon-wh-copy-'));
  try {
    await copyWarehouse(dir, copy);
    const wh = await Warehouse.open({ path: join(copy, 'recon.duckdb') });
    try {
      return await read(wh);
    } finally {
      wh.close();
    }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** Every file under `dir`, as sorted paths relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The bytes of every file under `dir`, keyed by relative path. */
export async function snapshotFiles(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const path of await filesUnder(dir)) files.set(path, await readFile(join(dir, path)));
  return files;
}

/** Columns that hold the run that wrote a row, or when: they differ between any two runs by design. */
export const RUN_SPECIFIC_PARQUET_COLUMNS: Record<string, readonly string[]> = {
  delivery: ['ingested_at'],
  finding: ['run_id'],
};

/** A run id (`newRunId`): UTC start time and a random suffix. */
export const RUN_ID = /\b\d{8}T\d{6}Z-[0-9a-f]{6}\b/g;

/** summary.md with the seconds column of its stage table masked: durations differ between any two runs. */
export function maskStageTimings(summaryMd: string): string {
  return summaryMd.replace(/## Stage timings\n[\s\S]*?\n\n/, (section) =>
    section.replace(/^\| ([a-z]+) \| [0-9.]+ \|/gm, '| $1 | <seconds> |'),
  );
}

/**
 * The output folder as comparable text, keyed by relative path: findings.json and findings.csv verbatim; every
 * other file with only its run-specific values masked — run ids (summary.json/.md, report.html), stage durations
 * (summary.json, summary.md's stage table) and the provenance columns of RUN_SPECIFIC_PARQUET_COLUMNS. A Parquet
 * file becomes its schema and rows in file order, plus its SHA-256 when nothing in it is run-specific (so those
 * files must be byte-identical). Leftover temporary files show up as extra keys.
 */
export async function comparableOutputs(outDir: string): Promise<Record<string, string>> {
  const maskRun = (text: string): string => text.replace(RUN_ID, '<run_id>');
  const outputs: Record<string, string> = {};
  const wh = await openTestWarehouse({ migrate: false });
  try {
    for (const path of await filesUnder(outDir)) {
      const full = join(outDir, path);
      if (/(^|\/)\.|\.tmp-/.test(path)) {
        outputs[path] = '<scratch: a staging folder or temporary file>'; // may be half-written: not read
      } else if (path.endsWith('.parquet')) {
        outputs[path] = await comparableParquet(wh, full, RUN_SPECIFIC_PARQUET_COLUMNS[path.split('/')[1] ?? ''] ?? []);
      } else if (path === 'summary.json') {
        const summary = JSON.parse(await readFile(full, 'utf8')) as { stages: { seconds: number }[] };
        summary.stages.forEach((stage) => (stage.seconds = 0));
        outputs[path] = maskRun(JSON.stringify(summary, null, 2));
      } else if (path === 'summary.md') {
        outputs[path] = maskStageTimings(maskRun(await readFile(full, 'utf8')));
      } else if (path === 'report.html') {
        outputs[path] = maskRun(await readFile(full, 'utf8'));
      } else {
        outputs[path] = await readFile(full, 'utf8');
      }
    }
  } finally {
    wh.close();
  }
  return outputs;
}

async function comparableParquet(wh: Warehouse, path: string, masked: readonly string[]): Promise<string> {
  const schema = await wh.rows('select name, type, converted_type, logical_type from parquet_schema($1)', [path]);
  const rows = await wh.rows(`select * from read_parquet($1)`, [path]);
  for (const row of rows) for (const column of masked) if (column in row) row[column] = '<masked>';
  const sha256 =
    masked.length === 0
      ? createHash('sha256')
          .update(await readFile(path))
          .digest('hex')
      : '<masked>';
  return JSON.stringify({ sha256, schema, rows }, null, 1);
}

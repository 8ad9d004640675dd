// Golden end-to-end fixtures: test/fixtures/golden/<case>/ holds case.json (the `recon` arguments, paths relative
// to the repository), input/ when the case brings its own files, and expected/ — the output folder as
// `goldenOutputs` renders it. test/e2e/golden.test.ts compares a fresh run with expected/ file by file;
// `npm run bless [case…]` (scripts/bless-golden.ts) rewrites expected/ from the current code.
import { readFile, readdir, rm, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openTestWarehouse } from './warehouse.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import {
  filesUnder,
  maskStageTimings,
  recon,
  ROOT,
  RUN_ID,
  RUN_SPECIFIC_PARQUET_COLUMNS,
  workDir,
  type CliResult,
} from '../e2e/helpers.ts';

export const GOLDEN = join(ROOT, 'test', 'fixtures', 'golden');
export const BLESS_COMMAND = 'npm run bless';

export interface GoldenCase {
  name: string;
  /** test/fixtures/golden/<name> */
  dir: string;
  description: string;
  /** `recon` arguments after which the runner adds --db and --out; run from the repository root */
  args: string[];
  /** the exit code the run must end with (default 0) */
  exitCode: number;
}

interface CaseJson {
  description: string;
  args: string[];
  exitCode?: number;
}

/** Every case folder, by name; `only` keeps the named ones (unknown names are an error). */
export async function goldenCases(only: readonly string[] = []): Promise<GoldenCase[]> {
  const names = (await readdir(GOLDEN, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`no golden case ${unknown.join(', ')} (cases: ${names.join(', ')})`);
  const cases: GoldenCase[] = [];
  for (const name of only.length > 0 ? names.filter((n) => only.includes(n)) : names) {
    const dir = join(GOLDEN, name);
    const json = JSON.parse(await readFile(join(dir, 'case.json'), 'utf8')) as CaseJson;
    if (json.args.some((arg) => arg === '--db' || arg === '--out'))
      throw new Error(`${name}/case.json: --db and --out are the runner's (a temporary folder)`);
    cases.push({ name, dir, description: json.description, args: json.args, exitCode: json.exitCode ?? 0 });
  }
  return cases;
}

export interface GoldenRun {
  result: CliResult;
  /** the run's own folder (warehouse recon.duckdb, output folder out/) */
  work: string;
  /** the output folder rendered by goldenOutputs */
  outputs: Map<string, string>;
}

/** Run a case's `recon` command into a new temporary folder, from the repository root, and render its outputs. */
export async function runGoldenCase(goldenCase: GoldenCase, env: NodeJS.ProcessEnv = {}): Promise<GoldenRun> {
  const work = await workDir();
  const out = join(work, 'out');
  const args = [...goldenCase.args, '--db', join(work, 'recon.duckdb'), '--out', out, '--quiet'];
  const result = await recon(args, ROOT, env);
  if (result.code !== goldenCase.exitCode)
    throw new Error(
      `${goldenCase.name}: recon exited ${result.code}, the case expects ${goldenCase.exitCode}\n${result.stderr}`,
    );
  return { result, work, outputs: await goldenOutputs(out, { [ROOT]: '<repo>', [work]: '<work>' }) };
}

/**
 * The output folder as golden text, keyed by the path its expected/ file has: every file byte for byte except what
 * differs between two runs of the same inputs by design —
 * - run ids (`20261203T081315Z-03fb55`: start time and a random suffix) → `<run_id>`, wherever they appear;
 * - stage durations: `"seconds": …` in summary.json, the seconds column of summary.md's stage table → `<seconds>`
 *   (the top-level summaries and a scoped run's, scoped/<scope>/);
 * - the provenance columns of RUN_SPECIFIC_PARQUET_COLUMNS (delivery.ingested_at, finding.run_id) → `<masked>`;
 * - absolute paths of this checkout and of the run's temporary folder (`paths`: path → placeholder): recon
 *   records input files by absolute path (source_file, evidence `file:line`);
 * - the run fingerprint's digests (fingerprintDigests) → `<digest>`: the inventory's hash those paths, and the rules
 *   digest hashes recon's own SQL and data, so it says which code ran, not what it found (a comment-only edit of a
 *   SQL file changes it; the findings it leads to are compared in full).
 * A Parquet file becomes `<path>.jsonl`: line 1 its schema and compression, then one row per line in file order
 * (read back by DuckDB: decimals as exact strings). Its bytes are not compared: they embed the paths above, and
 * their length moves every offset. The masks are the same as the crash and fault tests' (test/e2e/helpers.ts).
 */
export async function goldenOutputs(
  outDir: string,
  paths: Readonly<Record<string, string>>,
): Promise<Map<string, string>> {
  // longest first, so a folder inside another is replaced before its parent
  const replacements = Object.entries(paths).sort(([a], [b]) => b.length - a.length);
  const files = await filesUnder(outDir);
  const digests = await fingerprintDigests(outDir, files);
  const mask = (text: string): string =>
    [...replacements, ...digests.map((digest): [string, string] => [digest, '<digest>'])]
      .reduce((acc, [from, to]) => acc.replaceAll(from, to), text)
      .replace(RUN_ID, '<run_id>');
  const outputs = new Map<string, string>();
  const wh = await openTestWarehouse({ migrate: false });
  try {
    for (const path of files) {
      const full = join(outDir, path);
      if (path.endsWith('.parquet')) {
        // parquet/<table>/… at the top, or under scoped/<scope>/
        const table = /(?:^|\/)parquet\/([^/]+)\//.exec(path)?.[1] ?? '';
        const masked = RUN_SPECIFIC_PARQUET_COLUMNS[table] ?? [];
        outputs.set(`${path}.jsonl`, mask(await parquetLines(wh, full, masked)));
      } else if (basename(path) === 'summary.json') {
        outputs.set(path, mask(await readFile(full, 'utf8')).replace(/^( +"seconds": )[0-9.e+-]+/gm, '$1"<seconds>"'));
      } else if (basename(path) === 'summary.md') {
        outputs.set(path, maskStageTimings(mask(await readFile(full, 'utf8'))));
      } else {
        outputs.set(path, mask(await readFile(full, 'utf8')));
      }
    }
  } finally {
    wh.close();
  }
  return outputs;
}

/**
 * The run fingerprint's digests that vary with where the inputs are or which code ran: the inventory digest (it
 * hashes inventory rows, which carry the absolute path of their file), the rules digest (recon's SQL and data), and
 * each month's digest and the overall value, built from both. The deliveries digest and the tolerances stay compared.
 */
async function fingerprintDigests(outDir: string, files: readonly string[]): Promise<string[]> {
  const digests: string[] = [];
  for (const path of files.filter((file) => basename(file) === 'summary.json')) {
    const { fingerprint } = JSON.parse(await readFile(join(outDir, path), 'utf8')) as {
      fingerprint: { value: string; inventory: string; rules: string; months: Record<string, string> };
    };
    digests.push(fingerprint.value, fingerprint.inventory, fingerprint.rules, ...Object.values(fingerprint.months));
  }
  return digests;
}

async function parquetLines(wh: Warehouse, path: string, masked: readonly string[]): Promise<string> {
  const schema = await wh.rows('select name, type, converted_type, logical_type from parquet_schema($1)', [path]);
  const compression = await wh.rows('select distinct compression from parquet_metadata($1) order by 1', [path]);
  const rows = await wh.rows('select * from read_parquet($1)', [path]);
  for (const row of rows) for (const column of masked) if (column in row) row[column] = '<masked>';
  const head = JSON.stringify({ schema, compression: compression.map((row) => row.compression) });
  return [head, ...rows.map((row) => JSON.stringify(row))].join('\n') + '\n';
}

/** A case's expected/ folder, keyed like goldenOutputs. */
export async function expectedOutputs(goldenCase: GoldenCase): Promise<Map<string, string>> {
  const dir = join(goldenCase.dir, 'expected');
  const outputs = new Map<string, string>();
  for (const path of await filesUnder(dir)) outputs.set(path, await readFile(join(dir, path), 'utf8'));
  return outputs;
}

/** Replace a case's expected/ folder with `outputs`. */
export async function writeExpected(goldenCase: GoldenCase, outputs: ReadonlyMap<string, string>): Promise<void> {
  const dir = join(goldenCase.dir, 'expected');
  await rm(dir, { recursive: true, force: true });
  for (const [path, text] of outputs) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/**
 * Where `actual` first departs from `expected`, for a failure message: the line number, then up to two lines of
 * context and the differing line from each side, long lines cut to a window around the first differing column.
 */
export function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  let line = 0;
  while (line < want.length && line < got.length && want[line] === got[line]) line++;
  const w = want[line] ?? '<end of file>';
  const g = got[line] ?? '<end of file>';
  let column = 0;
  while (column < w.length && column < g.length && w[column] === g[column]) column++;
  const cut = (text: string): string => {
    const from = Math.max(0, column - 80);
    const to = Math.min(text.length, column + 80);
    return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
  };
  const context = want.slice(Math.max(0, line - 2), line).map((text) => `  ${cut(text)}`);
  return [
    `first difference at line ${line + 1}, column ${column + 1} (- expected/, + this run):`,
    ...context,
    `- ${cut(w)}`,
    `+ ${cut(g)}`,
  ].join('\n');
}

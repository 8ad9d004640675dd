// `npm run bench`: recon side by side with the raw DuckDB scan, in one run on the same machine.
//   1. baseline  — DuckDB alone reads the export CSVs and aggregates the columns the pipeline needs;
//   2. ingest    — recon's ingest stage alone (line scan, hashing, typed staging, quarantine);
//   3. nightly   — the whole nightly run (ingest, inventory, recompute, billed, diff, Parquet, reports);
//   4. 2nd night — one new delivery (the first days of the next month) added; only its month is processed;
//   5. --full    — every month again on the loaded warehouse (a loaded month's rows replaced, not added).
// Each step runs in its own process (wall time and peak RSS are that step's). The planted discrepancies the
// generator wrote must all be found, with no other finding. Results: printed, and written to bench/RESULTS.md.
// Options: --shares N --rows R --dialect ea|mca|focus --data DIR --scaling (adds the recompute scaling runs).
// The ingest and the first night also run with DuckDB at 4 GB instead of the 1 GB default: what the default saves in
// memory and costs in time (memory follows DuckDB's limit, not the file).
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFindings } from './answers.ts';
import { ensureDataset, type Dataset } from './datasets.ts';
import { describeMachine } from './machine.ts';
import { expectExit, measureNode, ROOT } from './measure.ts';
import { renderResults, type StepResult } from './results.ts';
import { runScaling } from './scaling.ts';

const { values } = parseArgs({
  options: {
    shares: { type: 'string', default: '20000' },
    rows: { type: 'string', default: '2000000' },
    dialect: { type: 'string', default: 'mca' },
    data: { type: 'string', default: join(ROOT, 'bench', 'data') },
    scaling: { type: 'boolean', default: false },
  },
});
const shares = positiveInteger('--shares', values.shares);
const rows = positiveInteger('--rows', values.rows);
const dialect = values.dialect;
if (dialect !== 'ea' && dialect !== 'mca' && dialect !== 'focus') throw new Error('--dialect must be ea, mca or focus');

const RECON = join(ROOT, 'bin', 'recon.js');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const machine = await describeMachine();
log(`${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, load ${machine.loadAtStart}`);

const month = await ensureDataset(values.data, { shares, rows, dialect, month: '2026-10' }, log);
// The second night's delivery: the first two days of November for the same shares (the fleet depends on the share
// count only), in its own folder, with no planted errors.
const next = await ensureDataset(
  values.data,
  { shares, rows: 0, dialect, month: '2026-11', days: 2, seed: 2, noPlant: true },
  log,
);

const work = join(values.data, 'work');
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const csvFiles = await dataFiles(month.exportsDir);
const csvBytes = (await Promise.all(csvFiles.map(async (f) => (await stat(f)).size))).reduce((a, b) => a + b, 0);

log(`baseline: DuckDB scans ${csvFiles.length} file(s), ${(csvBytes / 1e6).toFixed(0)} MB`);
const baseline = await measureNode(['--import', 'tsx', join(ROOT, 'bench', 'baseline.ts'), dialect, ...csvFiles]);
expectExit('baseline', baseline, [0]);

log('recon ingest');
const ingest = await measureNode([
  RECON,
  'run',
  join(ROOT, 'bench', 'pipelines', 'ingest-only.yaml'),
  ...['--exports', month.exportsDir, '--db', join(work, 'ingest.duckdb'), '--out', join(work, 'ingest-out'), '--quiet'],
]);
expectExit('recon ingest', ingest, [0, 1]);

// The same ingest with DuckDB at 4 GB: at the 1 GB default it spills to <db>.tmp instead of growing.
log('recon ingest, --memory-limit 4GB');
const ingestAt4GB = await measureNode([
  RECON,
  'run',
  join(ROOT, 'bench', 'pipelines', 'ingest-only.yaml'),
  ...['--exports', month.exportsDir, '--db', join(work, 'ingest-4gb.duckdb'), '--out', join(work, 'ingest-4gb')],
  ...['--memory-limit', '4GB', '--quiet'],
]);
expectExit('recon ingest (4 GB)', ingestAt4GB, [0, 1]);

const nightlyDb = join(work, 'nightly.duckdb');
const nightlyOut = join(work, 'out');
// Inventory is collected daily while a month's cost export lags behind: the first night already has November's
// inventory and only October's export; the second night adds November's first delivery and nothing else, so only
// November is processed.
const nightlyArgs = (exports: readonly Dataset[]) => [
  RECON,
  'run',
  'nightly',
  ...exports.flatMap((d) => ['--exports', d.exportsDir]),
  ...[month, next].flatMap((d) => ['--inventory', d.inventoryDir, '--transactions', d.transactionsDir]),
  ...['--db', nightlyDb, '--out', nightlyOut, '--quiet'],
];
log('recon nightly (first night)');
const nightly = await measureNode(nightlyArgs([month]));
expectExit('recon nightly', nightly, [0, 1]);
const check = await checkFindings(month.answersPath, join(nightlyOut, 'findings.json'));
const nightlyStages = await stageSeconds(nightlyOut);

log('recon nightly (second night: one new delivery)');
const second = await measureNode(nightlyArgs([month, next]));
expectExit('recon nightly (second night)', second, [0, 1]);
const secondStages = await stageSeconds(nightlyOut);

// Every month again on the loaded warehouse (--full): the path of each night a newer month-to-date delivery of a
// month already in arrives, which replaces that month's expected usage and comparison rows (October's 1.9M
// expected_share_usage rows) instead of writing new ones.
log('recon nightly --full (the loaded months recomputed)');
const full = await measureNode([...nightlyArgs([month, next]), '--full']);
expectExit('recon nightly --full', full, [0, 1]);
const checkFull = await checkFindings(month.answersPath, join(nightlyOut, 'findings.json'), month.params.month);
const fullStages = await stageSeconds(nightlyOut);

// The first night again with DuckDB at 4 GB, in its own warehouse: what the 1 GB default costs in time.
log('recon nightly (first night, --memory-limit 4GB)');
const outAt4GB = join(work, 'out-4gb');
const argsAt4GB = nightlyArgs([month]).map((arg) =>
  arg === nightlyDb ? join(work, 'nightly-4gb.duckdb') : arg === nightlyOut ? outAt4GB : arg,
);
const nightlyAt4GB = await measureNode([...argsAt4GB, '--memory-limit', '4GB']);
expectExit('recon nightly (first night, 4 GB)', nightlyAt4GB, [0, 1]);
const checkAt4GB = await checkFindings(month.answersPath, join(outAt4GB, 'findings.json'));
const stagesAt4GB = await stageSeconds(outAt4GB);

const dataRows = BigInt(month.rowsWritten);
const steps: StepResult[] = [
  { name: 'raw DuckDB scan (baseline)', m: baseline, rows: dataRows, bytes: csvBytes },
  { name: 'recon ingest', m: ingest, rows: dataRows, bytes: csvBytes },
  { name: 'recon ingest, --memory-limit 4GB', m: ingestAt4GB, rows: dataRows, bytes: csvBytes },
  { name: 'recon nightly, first night', m: nightly, rows: dataRows, bytes: csvBytes, stages: nightlyStages },
  { name: 'recon nightly, second night', m: second, rows: BigInt(next.rowsWritten), stages: secondStages },
  { name: 'recon nightly --full, loaded months again', m: full, rows: dataRows, bytes: csvBytes, stages: fullStages },
  {
    name: 'recon nightly, first night, --memory-limit 4GB',
    m: nightlyAt4GB,
    rows: dataRows,
    bytes: csvBytes,
    stages: stagesAt4GB,
  },
];
const scaling = values.scaling ? await runScaling(values.data, work, log) : null;

const markdown = renderResults({ machine, dataset: month, csvFiles: csvFiles.length, csvBytes, steps, check, scaling });
process.stdout.write(markdown);
const resultsPath = join(ROOT, 'bench', 'RESULTS.md');
await writeFile(resultsPath, markdown);
log(`results written to ${relative(process.cwd(), resultsPath)}`);
if (!checkAt4GB.ok)
  log(`the 4 GB first night's findings differ from the planted answers: ${JSON.stringify(checkAt4GB)}`);
if (!checkFull.ok) log(`the --full night's findings differ from the planted answers: ${JSON.stringify(checkFull)}`);
if (!check.ok || !checkAt4GB.ok || !checkFull.ok) process.exitCode = 1;

// ---- helpers ----

function positiveInteger(option: string, text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new Error(`${option} must be a positive integer, got '${text}'`);
  return Number(text);
}

async function dataFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.csv(\.gz)?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function stageSeconds(out: string): Promise<Record<string, number>> {
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as {
    stages?: { name: string; seconds: number }[];
  };
  return Object.fromEntries((summary.stages ?? []).map((s) => [s.name, s.seconds]));
}

// The command line: parses arguments, runs the command, prints, and is the ONLY place that decides exit codes.
// 0 ran · 1 findings at or above --fail-on · 2 bad invocation, unreadable input or a failed run (e.g. a full disk)
// · 3 warehouse held by another run.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { migrate } from './db/migrate.ts';
import { Warehouse } from './db/warehouse.ts';
import { explainFinding } from './diff/explain.ts';
import { parseRunArgs, type RunConfig } from './config.ts';
import { InputError, SqlError, WarehouseBusyError, WriteError, errorMessage } from './errors.ts';
import { loadPipeline } from './pipeline/definition.ts';
import { terminalProgress } from './pipeline/progress.ts';
import { runPipeline, type RunHooks } from './pipeline/runner.ts';
import { tripsFailOn, type RunSummary } from './report/summary.ts';

const MAIN_HELP = `recon — reconcile Azure Files and disk-snapshot charges against what should have been billed

Usage:
  recon run <pipeline> [options]       run a pipeline: nightly | dispute | path to a pipeline file
  recon explain <finding_id> [--db F]  print how a finding's expected figure was derived
  recon --help, recon <command> --help

Exit codes: 0 ran · 1 findings at or above --fail-on · 2 bad invocation, unreadable input or a failed run
(e.g. a full disk: the message names the file) · 3 warehouse busy`;

const RUN_HELP = `Usage: recon run <nightly|dispute|pipeline-file> [options]

Inputs (each repeatable):
  --exports <path>        export file (.csv, .csv.gz, .parquet), manifest.json, or folder (searched recursively)
  --inventory <path>      share/account/snapshot metadata: Azure CLI JSON or canonical CSV, file or folder
  --transactions <path>   pay-as-you-go transaction counts (canonical transactions.csv), file or folder
  --inventory-as-of <t>   how far the inventory vouches for each last recorded state (ISO time or date;
                          default: change-log CSVs to the end of the billed period, JSON to the end of its day)

Warehouse and output:
  --db <file>             DuckDB warehouse file (default recon.duckdb)
  --out <dir>             reports and Parquet (default out/)
  --threads <n>           DuckDB threads (default 2)
  --memory-limit <size>   DuckDB memory limit (default 4GB)

Scope:
  --month YYYY-MM         one billing month (UTC calendar month)
  --from YYYY-MM-DD       first usage day (inclusive)
  --to YYYY-MM-DD         last usage day (inclusive)
  --resource <prefix>     billed resource id or prefix, case-insensitive (repeatable)

Comparison:
  --tolerance <decimal>   absolute quantity tolerance per row (default 0.000001)
  --tolerance-pct <dec>   relative tolerance in percent of the expected quantity (default 0.01)
  --fail-on <severity>    exit 1 when a finding of this severity or above exists: high | medium | low

Output:
  --quiet, -q             no progress output
  --json                  print the run summary as JSON on stdout
  --full                  rebuild every month, not only those whose inputs changed`;

const EXPLAIN_HELP = `Usage: recon explain <finding_id> [--db <file>]

Prints the inputs (each interval of each share), the rule, the month length and the arithmetic behind a finding.`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${MAIN_HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'explain':
      return explainCommand(rest);
    default:
      throw new InputError(`unknown command '${command}'. Run 'recon --help'.`);
  }
}

async function runCommand(args: readonly string[]): Promise<number> {
  const parsed = parseRunArgs(args);
  if (parsed === 'help') {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  const config: RunConfig = parsed;
  const pipeline = await loadPipeline(config.pipeline);
  // Progress goes to stderr unless --quiet: a bar and log lines at a terminal; plain lines, one per event, in a
  // scheduler's log (which also lets a supervisor see which stage a run is in).
  const terminal = !config.quiet && process.stderr.isTTY ? terminalProgress(process.stderr) : undefined;
  const hooks: RunHooks = terminal
    ? {
        progress: (message) => {
          terminal.log(message);
        },
        onStage: (name, index, total) => {
          terminal.stage(name, index, total);
        },
      }
    : config.quiet
      ? {}
      : { progress: (message) => process.stderr.write(`${message}\n`) };
  let summary: RunSummary;
  try {
    summary = await runPipeline(pipeline, config, hooks);
  } finally {
    terminal?.finish();
  }
  if (config.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else if (!config.quiet) process.stderr.write(`${oneLineSummary(summary)}\n`);
  return config.failOn !== undefined && tripsFailOn(summary, config.failOn) ? 1 : 0;
}

async function explainCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${EXPLAIN_HELP}\n`);
    return 0;
  }
  const [findingId] = positionals;
  if (findingId === undefined || positionals.length !== 1) {
    throw new InputError('recon explain: expected exactly one finding_id');
  }
  const db = values.db ?? 'recon.duckdb';
  if (!existsSync(db))
    throw new InputError(`recon explain: no warehouse at ${db} (run a pipeline first, or pass --db)`);
  const wh = await Warehouse.open({ path: db });
  try {
    await migrate(wh);
    const text = await explainFinding(wh, findingId);
    if (text === undefined) throw new InputError(`recon explain: no finding ${findingId} in ${db}`);
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    wh.close();
  }
}

function oneLineSummary(summary: RunSummary): string {
  const { inputs, findings } = summary;
  return (
    `run ${summary.run_id} ${summary.status}: ${inputs.rows_read.toLocaleString('en-US')} rows read, ` +
    `${inputs.rows_quarantined.toLocaleString('en-US')} quarantined, ${findings.total} findings`
  );
}

/** Busy → 3; anything else that stops a run → 2 (the message says whether the input or recon is at fault). */
function exitCodeFor(error: unknown): number {
  return error instanceof WarehouseBusyError ? 3 : 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const code = exitCodeFor(error);
  // A full disk or an unwritable folder is not recon's fault: one line naming the path and the reason, no stack.
  const isInternal = !(
    error instanceof InputError ||
    error instanceof WarehouseBusyError ||
    error instanceof WriteError
  );
  const prefix = error instanceof SqlError ? 'internal SQL error' : isInternal ? 'internal error' : 'error';
  process.stderr.write(`recon: ${prefix}: ${errorMessage(error)}\n`);
  if (isInternal && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}

// The command line: parses arguments, runs the command, prints, and is the ONLY place that decides exit codes.
// 0 ran · 1 findings at or above --fail-on · 2 bad invocation, unreadable input or a failed run (e.g. a full disk)
// · 3 warehouse held by another run. Nothing reaches the user as a stack trace: every error is one line
// (RECON_DEBUG=1 adds the stack of an unexpected one, for a bug report).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneOf, parseOptions, suggestion } from './cli/args.ts';
import {
  FINDING_KINDS,
  findingsCsv,
  findingsJson,
  findingsTable,
  listFindings,
  OUTPUT_FORMATS,
  SEVERITY_ORDER,
} from './cli/findings.ts';
import { EXPLAIN_HELP, FINDINGS_HELP, MAIN_HELP, pipelineHelp, RUN_HELP } from './cli/help.ts';
import { isSchemaCurrent } from './db/migrate.ts';
import { Warehouse } from './db/warehouse.ts';
import { checkWarehousePath } from './db/warehouse-file.ts';
import { explainFinding, explainFindingJson, resolveFindingId } from './diff/explain.ts';
import { parseMonth, parseRunArgs, type RunConfig } from './config.ts';
import { errorLine, exitCodeFor, firstLine } from './cli/error-line.ts';
import { InputError, SqlError, WarehouseBusyError, WriteError, errorMessage } from './errors.ts';
import { palette } from './output/color.ts';
import { formatCount, plural } from './output/format.ts';
import { loadPipeline } from './pipeline/definition.ts';
import { checkWarehouseNotHeld } from './pipeline/lock.ts';
import { terminalProgress } from './pipeline/progress.ts';
import { runPipeline, type RunHooks } from './pipeline/runner.ts';
import { tripsFailOn, type RunSummary } from './report/summary.ts';

const COMMANDS = ['run', 'explain', 'findings', 'help'] as const;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${MAIN_HELP}\n`);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${MAIN_HELP}\n`);
    return 0;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`recon ${packageVersion()}\n`);
    return 0;
  }
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'explain':
      return explainCommand(rest);
    case 'findings':
      return findingsCommand(rest);
    default: {
      const known = [...COMMANDS, '--help', '--version'];
      const guess = command.startsWith('-') ? suggestion(command, known) : suggestion(command, COMMANDS);
      throw new InputError(
        `unknown ${command.startsWith('-') ? 'option' : 'command'} '${command}'${guess}; run 'recon --help'`,
      );
    }
  }
}

function packageVersion(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

async function runCommand(args: readonly string[]): Promise<number> {
  const parsed = parseRunArgs(args);
  if ('help' in parsed) {
    const text = parsed.pipeline === undefined ? RUN_HELP : pipelineHelp(await loadPipeline(parsed.pipeline));
    process.stdout.write(`${text}\n`);
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
  const { values, positionals } = parseOptions('explain', args, {
    db: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${EXPLAIN_HELP}\n`);
    return 0;
  }
  const [prefix] = positionals;
  if (prefix === undefined || positionals.length !== 1) {
    throw new InputError(
      `recon explain: expected one finding id (or a unique prefix), got ${positionals.length}; see 'recon explain --help'`,
    );
  }
  return withWarehouseForReading(values.db, async (wh) => {
    const findingId = await resolveFindingId(wh, prefix);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(await explainFindingJson(wh, findingId), null, 2)}\n`);
    } else {
      process.stdout.write(`${(await explainFinding(wh, findingId)) ?? ''}\n`);
    }
    return 0;
  });
}

async function findingsCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions('findings', args, {
    kind: { type: 'string', multiple: true },
    severity: { type: 'string' },
    resource: { type: 'string', multiple: true },
    month: { type: 'string' },
    output: { type: 'string' },
    db: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${FINDINGS_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new InputError(
      `recon findings takes no positional argument, got '${positionals[0] ?? ''}'; see 'recon findings --help'`,
    );
  }
  const filter = {
    kinds: (values.kind ?? []).map((kind) => oneOf('--kind', kind, FINDING_KINDS)),
    minSeverity: values.severity === undefined ? undefined : oneOf('--severity', values.severity, SEVERITY_ORDER),
    resources: (values.resource ?? []).map((prefix) => prefix.trim().toLowerCase()).filter((prefix) => prefix !== ''),
    month: values.month === undefined ? undefined : parseMonth(values.month),
  };
  const output = oneOf('--output', values.output ?? 'table', OUTPUT_FORMATS);
  return withWarehouseForReading(values.db, async (wh) => {
    const findings = await listFindings(wh, filter);
    if (output === 'json') process.stdout.write(findingsJson(findings));
    else if (output === 'csv') process.stdout.write(findingsCsv(findings));
    else process.stdout.write(findingsTable(findings, palette(process.stdout)));
    return 0;
  });
}

/**
 * Open the warehouse for a command that only reads it: refuse what is not a warehouse, answer like a run when a run
 * holds it (exit 3), and open read-only so a read-only file or mount works and nothing is ever written.
 */
async function withWarehouseForReading(
  dbOption: string | undefined,
  work: (wh: Warehouse) => Promise<number>,
): Promise<number> {
  const db = dbOption ?? 'recon.duckdb';
  checkWarehousePath(db);
  if (!existsSync(db)) throw new InputError(`no warehouse at ${db} (run a pipeline first, or pass --db)`);
  await checkWarehouseNotHeld(db);
  let wh: Warehouse;
  try {
    wh = await Warehouse.open({ path: db, readOnly: true });
  } catch (error) {
    if (error instanceof SqlError && /lock/i.test(errorMessage(error.cause))) {
      throw new WarehouseBusyError(
        `warehouse ${db} is open in another process: ${firstLine(errorMessage(error.cause))}`,
      );
    }
    throw new InputError(
      `--db ${db}: DuckDB cannot open it: ${firstLine(errorMessage(error instanceof SqlError ? error.cause : error))}`,
    );
  }
  try {
    if (!(await isSchemaCurrent(wh))) {
      throw new InputError(
        `warehouse ${db} was written by another version of recon; run 'recon run nightly --db ${db}' once to bring it up to date`,
      );
    }
    return await work(wh);
  } finally {
    wh.close();
  }
}

function oneLineSummary(summary: RunSummary): string {
  const { inputs, findings } = summary;
  return (
    `run ${summary.run_id} ${summary.status}: ${formatCount(inputs.rows_read)} rows read, ` +
    `${formatCount(inputs.rows_quarantined)} quarantined, ${plural(findings.total, 'finding')}`
  );
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`recon: ${errorLine(error, process.argv)}\n`);
  const expected = error instanceof InputError || error instanceof WarehouseBusyError || error instanceof WriteError;
  if (!expected && process.env.RECON_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = exitCodeFor(error);
}

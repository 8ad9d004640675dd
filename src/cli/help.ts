// The help texts: each command's usage line, its own options, examples and the exit codes.
import type { PipelineDefinition } from '../pipeline/definition.ts';

const EXIT_CODES = `Exit codes:
  0  ran (findings or not)
  1  findings at or above --fail-on (recon run only)
  2  bad invocation or unreadable input (one line names the option or file), or a failed run
  3  the warehouse is held by another run (the message names it)`;

export const MAIN_HELP = `recon — reconcile Azure Files and disk-snapshot charges against what should have been billed

Usage: recon <command> [options]

Commands:
  run <pipeline>        run a pipeline: nightly | dispute | a JSON or YAML pipeline file
  findings              list the findings in the warehouse (filter by kind, severity, resource, month)
  explain <id-prefix>   show how a finding's expected figure was derived

  recon <command> --help   options and examples of one command
  recon --version          the version

Examples:
  recon run nightly --exports exports/ --inventory inventory/ --transactions transactions/
  recon findings --severity high
  recon explain 3fa9c2

${EXIT_CODES}`;

export const RUN_HELP = `Usage: recon run <nightly|dispute|pipeline-file> [options]

Runs a pipeline over the inputs into the warehouse (--db) and writes reports and Parquet to --out.
  nightly        every month the inputs touch (only the months whose inputs changed, unless --full)
  dispute        one resource and one month, plus the evidence pack for a support case
  <file>         a pipeline of your own: a JSON or YAML file with name, description, stages (and requires)

Inputs (each repeatable):
  --exports <path>        export file (.csv, .csv.gz, .parquet), manifest.json, or folder (searched recursively)
  --inventory <path>      share/account/snapshot metadata: Azure CLI JSON or canonical CSV, file or folder
  --inventory-as-of <t>   how far the inventory vouches for each last recorded state (ISO time or date;
                          default: change-log CSVs to the end of the billed period, JSON to the end of its day)
  --transactions <path>   pay-as-you-go transaction counts (canonical transactions.csv), file or folder

Warehouse and output:
  --db <file>             DuckDB warehouse file, or a new path (default recon.duckdb)
  --out <dir>             reports and Parquet (default out/)
  --no-csv-bom            write the CSV files without the UTF-8 byte order mark (default: with it, for Excel)
  --threads <n>           DuckDB threads (default 2)
  --memory-limit <size>   DuckDB memory limit, at least 256MB (default 1GB; beyond it DuckDB spills to
                          <db>.tmp beside the warehouse)

Scope (a scoped run writes to <out>/scoped/<scope>/; a scope with no data exits 2):
  --month YYYY-MM         one billing month (UTC calendar month)
  --from YYYY-MM-DD       first usage day (inclusive)
  --to YYYY-MM-DD         last usage day (inclusive)
  --resource <prefix>     billed resource id or prefix, or an account/share/snapshot name; case-insensitive
                          (repeatable)

Comparison:
  --tolerance <decimal>   absolute quantity tolerance per row, at most 12 decimal places (default 0.000001)
  --tolerance-pct <dec>   relative tolerance in percent of the expected quantity, at most 6 places (default 0.01)
  --fail-on <severity>    exit 1 when a finding of this severity or above exists: high | medium | low

Output:
  --quiet, -q             no progress output
  --json                  print the run summary as JSON on stdout
  --full                  rebuild every month, not only those whose inputs changed (implies --rehash)
  --rehash                read every export, inventory and transactions file again, even one whose path,
                          size and mtime match what was ingested (by default such files are not re-read)

Examples:
  recon run nightly --exports exports/ --inventory inventory/ --transactions transactions/
  recon run nightly --exports exports/ --month 2026-10 --fail-on high --quiet
  recon run dispute --exports exports/ --inventory inventory/ --month 2026-10 --resource /subscriptions/…/fileshares/engineering
  recon run my-pipeline.yaml --exports exports/

${EXIT_CODES}`;

/** `recon run nightly --help`: what this pipeline does, then the run options. */
export function pipelineHelp(pipeline: PipelineDefinition): string {
  const needs =
    pipeline.requires && pipeline.requires.length > 0
      ? `It needs ${pipeline.requires.map((parameter) => `--${parameter}`).join(' and ')}.`
      : 'It needs no option beyond the inputs.';
  return `Pipeline ${pipeline.name}: ${pipeline.description}
Stages: ${pipeline.stages.join(' → ')}
${needs}

${RUN_HELP}`;
}

export const EXPLAIN_HELP = `Usage: recon explain <finding-id-or-prefix> [--json] [--db <file>]

Shows how a finding was derived: the finding, the rule and the month length, each share's (snapshot's) inventory
intervals, the arithmetic (numerator ÷ denominator) and the billed lines. Numbers are rounded for reading; --json
prints the exact values. A unique prefix of the id is enough, as with git (at least 4 hex digits recommended).

Options:
  --json                  machine-readable output (exact decimal strings)
  --db <file>             the warehouse (default recon.duckdb)

Examples:
  recon explain 3fa9c2
  recon explain 3fa9c2d41b07e8aa --json
  recon explain 3fa9 --db /var/lib/recon/recon.duckdb

Exit codes:
  0  explained
  2  no such finding, an ambiguous prefix (the candidates are listed), or no warehouse
  3  the warehouse is held by a run (the message names it)`;

export const FINDINGS_HELP = `Usage: recon findings [--kind K] [--severity S] [--resource P] [--month YYYY-MM] [--output table|json|csv]

Lists the findings in the warehouse, most money at stake first. The table rounds numbers for reading; json and csv
carry the exact values (the columns of findings.json / findings.csv, plus the unit).

Options:
  --kind <kind>           only this kind (repeatable), e.g. missing_charge, quantity_mismatch, unverifiable
  --severity <severity>   only this severity or above: high | medium | low
  --resource <prefix>     billed resource id or prefix, case-insensitive (repeatable)
  --month YYYY-MM         one billing month
  --output <format>       table (default), json or csv
  --db <file>             the warehouse (default recon.duckdb)

Examples:
  recon findings --severity high
  recon findings --kind missing_charge --month 2026-10 --output csv > missing.csv
  recon findings --resource /subscriptions/1234 --output json

Exit codes:
  0  listed (also when nothing matches)
  2  a bad option value or no warehouse
  3  the warehouse is held by a run (the message names it)`;

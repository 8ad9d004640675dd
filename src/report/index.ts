// The report stage: summary.json, summary.md, findings.json, findings.csv and report.html in the output folder,
// written all-or-nothing: each to a temporary file, then all renamed into place (see files.ts).
import { join } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { ensureRunScope, scopeMonths } from '../scope.ts';
import { checkBillingMonths } from '../output/billing-months.ts';
import { removeLeftTemporaries, writeFilesAtomic } from '../output/files.ts';
import { renderCasesCsv, renderCasesJson, toPublicCase } from './cases-files.ts';
import { renderFindingsCsv, renderFindingsJson, toPublicFinding } from './findings-files.ts';
import { renderReportHtml } from './html/report-html.ts';
import { loadReportData } from './report-data.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';
import type { PublicFinding } from './finding.ts';
import type { RunSummary } from './summary.ts';

/** How to write the reports; their scope is the run's (run_scope, src/scope.ts). */
export interface ReportOptions {
  /** The billing months (YYYY-MM) of a report written outside a run; a run's own scope holds them already. */
  billingMonths: readonly string[];
  /** findings.csv and cases.csv start with the UTF-8 BOM (default true; --no-csv-bom). */
  csvBom?: boolean;
}

export const REPORT_FILES = [
  'summary.json',
  'summary.md',
  'findings.json',
  'findings.csv',
  'cases.json',
  'cases.csv',
  'report.html',
] as const;

export async function writeReports(
  wh: Warehouse,
  outDir: string,
  summary: RunSummary,
  options: ReportOptions,
): Promise<string[]> {
  // The run's scope (run_scope): a report written outside a run covers whole months of the given ones.
  await ensureRunScope(wh, checkBillingMonths(options.billingMonths));
  const months = await scopeMonths(wh);
  const data = await loadReportData(wh, months);
  const findings = data.findings.map(toPublicFinding);
  const cases = data.cases.map(toPublicCase);
  const bom = options.csvBom !== false;
  const contents: Record<(typeof REPORT_FILES)[number], string> = {
    'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
    'summary.md': renderSummaryMarkdown(summary, months, data),
    'findings.json': renderFindingsJson(findings),
    'findings.csv': renderFindingsCsv(
      data.findings.map((row, index) => ({ ...(findings[index] as PublicFinding), unit: row.unit })),
      { bom },
    ),
    'cases.json': renderCasesJson(cases),
    'cases.csv': renderCasesCsv(cases, { bom }),
    'report.html': renderReportHtml(summary, months, data),
  };
  // A killed run's temporaries are garbage (only those of processes that are gone: see removeLeftTemporaries).
  await removeLeftTemporaries(outDir, REPORT_FILES);
  const files = REPORT_FILES.map((name) => ({ path: join(outDir, name), content: contents[name] }));
  await writeFilesAtomic(files);
  return files.map((file) => file.path);
}

// Checks a run's findings.json against the generator's answers.json: every planted discrepancy must be reported
// with its kind on its resource, meter and day, and nothing else may be reported (no false positives).
import { readFile } from 'node:fs/promises';
import type { AnswersFile } from './generate/index.ts';

export interface AnswerCheck {
  ok: boolean;
  planted: number;
  found: number;
  /** planted discrepancies recon did not report, as "kind resource meter day" */
  missed: string[];
  /** findings no planted discrepancy explains */
  unexpected: string[];
}

/** What identifies a finding (and a planted answer): kind, billed resource, meter and day. */
export interface FindingKey {
  kind: string;
  billing_resource_id: string | null;
  meter: string | null;
  usage_date: string | null;
}

export const findingKey = (f: FindingKey): string =>
  `${f.kind} ${f.billing_resource_id ?? '-'} ${f.meter ?? '-'} ${f.usage_date ?? '-'}`;

/**
 * `month` (YYYY-MM): check only that billing month's findings, for a run that processed other months too (the
 * bench's --full night also has the second night's month, which has no planted answers).
 */
export async function checkFindings(answersPath: string, findingsPath: string, month?: string): Promise<AnswerCheck> {
  const answers = JSON.parse(await readFile(answersPath, 'utf8')) as AnswersFile;
  const all = JSON.parse(await readFile(findingsPath, 'utf8')) as (FindingKey & { billing_month: string | null })[];
  const findings = month === undefined ? all : all.filter((f) => f.billing_month === month);
  const reported = new Set(findings.map(findingKey));
  const planted = new Set(answers.discrepancies.map(findingKey));
  const missed = [...planted].filter((key) => !reported.has(key));
  const unexpected = [...reported].filter((key) => !planted.has(key));
  return {
    ok: missed.length === 0 && unexpected.length === 0,
    planted: planted.size,
    found: planted.size - missed.length,
    missed,
    unexpected,
  };
}

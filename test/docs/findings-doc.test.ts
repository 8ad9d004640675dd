// docs/findings.md tells an analyst what to do about every finding kind and every unverifiable cause: a kind or cause
// added to recon without a row there fails here. The causes are read from the SQL that assigns them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../src/cli/findings.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFile(join(ROOT, path), 'utf8');

/** The first cells of the doc's table rows: '| `kind` | …' → 'kind'. */
function tableKeys(doc: string): Set<string> {
  return new Set([...doc.matchAll(/^\| `([a-z_]+)` +\|/gm)].map((match) => match[1] as string));
}

describe('docs/findings.md', () => {
  it('has a row for every finding kind and every unverifiable cause, and shows the report screenshot', async () => {
    const doc = await read('docs/findings.md');
    const keys = tableKeys(doc);
    for (const kind of FINDING_KINDS) expect(keys, kind).toContain(kind);

    const diffCell = await read('sql/diff/diff_cell.sql');
    const end = diffCell.indexOf('as unverifiable_reason');
    const reasons = diffCell.slice(diffCell.lastIndexOf('case', end), end);
    const causes = new Set([...reasons.matchAll(/then '([a-z_]+)'/g)].map((match) => match[1] as string));
    const finding = await read('sql/diff/finding_case.sql');
    for (const match of finding.matchAll(/then '([a-z_]+)'/g)) {
      if (match[1] === 'resource_not_observed') causes.add(match[1]);
    }
    expect(causes.size).toBeGreaterThanOrEqual(6);
    for (const cause of causes) expect(keys, cause).toContain(cause);

    expect(doc).toContain('](images/report-first-screen.png)');
    await expect(readFile(join(ROOT, 'docs/images/report-first-screen.png'))).resolves.toBeInstanceOf(Buffer);
  });
});

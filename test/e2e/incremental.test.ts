import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, SAMPLE, workDir } from './helpers.ts';

const FINAL_OCTOBER = join(
  'recon-files-daily',
  '20261001-20261031',
  '9e8d7c6b-5a49-4838-a726-15e4d3c2b102',
  'part_0_0001.csv',
);

interface Finding {
  finding_id: string;
  billing_month: string;
}

describe('incremental nights', () => {
  it('the second night rebuilds only the month whose deliveries changed', async () => {
    const dir = await workDir();
    const exports = join(dir, 'exports');
    await cp(join(SAMPLE, 'exports'), exports, { recursive: true });
    const night = async (): Promise<RunSummary> => {
      const result = await recon(
        ['run', 'nightly', '--exports', exports, '--inventory', join(SAMPLE, 'inventory'), '--json'],
        dir,
      );
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as RunSummary;
    };

    const first = await night();
    expect(first.months).toEqual({ in_scope: ['2026-10'], processed: ['2026-10'], skipped: [] });
    const octoberFindings = (JSON.parse(await readFile(join(dir, 'out', 'findings.json'), 'utf8')) as Finding[]).filter(
      (finding) => finding.billing_month === '2026-10',
    );

    // A September export arrives: the first data lines of October's file, moved to September 2026.
    const october = (await readFile(join(exports, FINAL_OCTOBER), 'utf8')).split('\r\n');
    const september = october
      .slice(0, 6)
      .map((line) => line.replaceAll(',10/31/2026,', ',09/30/2026,').replaceAll(',10/', ',09/'))
      .join('\r\n');
    await mkdir(join(exports, 'september'), { recursive: true });
    await writeFile(join(exports, 'september', 'usage-2026-09.csv'), `${september}\r\n`);

    const second = await night();
    expect(second.months).toEqual({ in_scope: ['2026-09', '2026-10'], processed: ['2026-09'], skipped: ['2026-10'] });
    expect(second.fingerprint.months['2026-10']).toBe(first.fingerprint.months['2026-10']);
    // October's findings are exactly what the first night found; September's lines are unverifiable (no inventory).
    const all = JSON.parse(await readFile(join(dir, 'out', 'findings.json'), 'utf8')) as (Finding & { kind: string })[];
    expect(all.filter((finding) => finding.billing_month === '2026-10')).toEqual(octoberFindings);
    const septemberKinds = new Set(all.filter((f) => f.billing_month === '2026-09').map((f) => f.kind));
    expect([...septemberKinds]).toEqual(['unverifiable']);

    // A third night with nothing new rebuilds nothing.
    const third = await night();
    expect(third.months.processed).toEqual([]);
    expect(third.findings).toEqual(second.findings);
  });
});

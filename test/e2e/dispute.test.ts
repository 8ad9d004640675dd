import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, SAMPLE_INPUTS, workDir } from './helpers.ts';

const V2_ACCOUNT =
  '/subscriptions/7c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b/resourceGroups/rg-files-prod/providers/Microsoft.Storage/storageAccounts/stv2ssdprod';

describe('recon run dispute', () => {
  it('reconciles one account and one month and writes the evidence pack', async () => {
    const dir = await workDir();
    const result = await recon(
      ['run', 'dispute', ...SAMPLE_INPUTS, '--resource', V2_ACCOUNT, '--month', '2026-10', '--json'],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    // Only the v2 account's findings: the resize, the missing IOPS line, the soft-delete overrun (2), the downgrade.
    expect(summary.findings.by_kind).toEqual({
      metadata_violation: 1,
      missing_charge: 1,
      quantity_mismatch: 2,
      unexpected_charge: 1,
    });
    const pack = join(dir, 'out', 'dispute-stv2ssdprod-2026-10');
    expect((await readdir(pack)).sort()).toEqual([
      'billed.csv',
      'deltas.csv',
      'expected-hourly.csv',
      'expected.csv',
      'letter.md',
      'restatements.csv',
      'timeline.csv',
    ]);
    const letter = await readFile(join(pack, 'letter.md'), 'utf8');
    expect(letter).toContain('billing period 2026-10');
    // The claim is the overbilled money of the scope only: the resize (3.366912) and the soft-delete overrun
    // (0.1233 + 0.1644) = 3.654612 EUR; the missing IOPS line (12.45 EUR) is underbilled, listed apart.
    expect(summary.money).toMatchObject({ overbilled: '3.654612', underbilled: '12.453312' });
    expect(letter).toContain('We ask you to credit **3.65 EUR**, the overbilled charges listed below.');
    expect(letter).not.toContain('16.11');
    const section = (title: string): string => letter.split(`## ${title}`)[1]?.split('\n## ')[0] ?? '';
    expect(section('Underbilled charges (not claimed)')).toContain('**12.45 EUR** · 2026-10-15 · missing_charge');
    // The customer's own IOPS downgrade is not a disputed charge: only the appendix mentions it.
    expect(section('Overbilled charges (claimed)')).not.toContain('metadata_violation');
    expect(section('Appendix: changes on our side (not claimed)')).toContain('metadata_violation');
    // Azure's language: the meter as Azure names it, and the export file relative to the export's folder.
    expect(section('Overbilled charges (claimed)')).toMatch(/MeterName '[^']+', MeterSubCategory '[^']+', MeterId /);
    expect(letter).toMatch(/recon-files-daily\/20261001-20261031\/[0-9a-f-]+\/part_0_0001\.csv/);
    expect(letter).not.toMatch(/\/work\/|\/tmp\//);
    expect(letter).not.toMatch(/billing-rules §|0\.0000000/);
    expect(letter).toContain('docs/billing-rules.md §2');
    // The resize at 12:00 on 10 Oct is in the hourly timeline: 2,048 GiB until noon, 4,096 GiB after.
    const timeline = (await readFile(join(pack, 'timeline.csv'), 'utf8')).split('\r\n');
    const engineeringAt = (hour: string) =>
      timeline.find((line) => line.includes('/shares/engineering') && line.includes(`2026-10-10 ${hour}`));
    expect(engineeringAt('11:00:00')).toContain(',2048,');
    expect(engineeringAt('12:00:00')).toContain(',4096,');
  });
});

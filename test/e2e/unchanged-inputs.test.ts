// A second night over unchanged inputs (issue 14) reads none of them — exports, inventory, transactions — and
// writes the same outputs as a night that reads them all again (--rehash); a touched file is read again.
// "Read" is observed through the per-file progress lines on stderr, which only a read prints.
import { cp, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparableOutputs, recon, SAMPLE, workDir } from './helpers.ts';

describe('second night over unchanged inputs', { timeout: 600_000 }, () => {
  it('reads no unchanged file, reads a touched one, and writes what a full re-read writes', async () => {
    const dir = await workDir();
    for (const input of ['exports', 'inventory', 'transactions']) {
      await cp(join(SAMPLE, input), join(dir, input), { recursive: true });
    }
    const night = async (...extra: string[]): Promise<string[]> => {
      const result = await recon(
        [
          'run',
          'nightly',
          '--exports',
          'exports',
          '--inventory',
          'inventory',
          '--transactions',
          'transactions',
          ...extra,
        ],
        dir,
      );
      expect(result.code, result.stderr).toBe(0);
      return result.stderr.split('\n');
    };
    const reads = (lines: string[]): string[] =>
      lines.filter((line) => /^(inventory|transactions): .*: \d+ (records|rows)$|^ingest: .*, [\d,]+ rows/.test(line));
    const notReRead = (lines: string[], stage: string): string[] =>
      lines.filter((line) => line.startsWith(`${stage}: `) && line.includes('not re-read'));

    const first = await night();
    expect(reads(first).filter((line) => line.startsWith('inventory: '))).toHaveLength(2);
    expect(reads(first).filter((line) => line.startsWith('transactions: '))).toHaveLength(1);

    const second = await night();
    expect(reads(second)).toEqual([]);
    expect(notReRead(second, 'inventory')).toHaveLength(2);
    expect(notReRead(second, 'transactions')).toHaveLength(1);
    expect(notReRead(second, 'ingest').length).toBeGreaterThan(0);
    const unchanged = await comparableOutputs(join(dir, 'out'));

    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, 'transactions', 'transactions.csv'), later, later);
    const touched = await night();
    expect(reads(touched)).toEqual([expect.stringMatching(/^transactions: .*transactions\.csv: \d+ rows$/)]);
    expect(notReRead(touched, 'inventory')).toHaveLength(2);
    expect(await comparableOutputs(join(dir, 'out'))).toEqual(unchanged);

    const rehashed = await night('--rehash');
    expect(reads(rehashed).filter((line) => !line.startsWith('ingest: '))).toHaveLength(3);
    expect(notReRead(rehashed, 'inventory')).toEqual([]);
    expect(await comparableOutputs(join(dir, 'out'))).toEqual(unchanged);
  });
});

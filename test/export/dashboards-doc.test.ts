// docs/dashboards.md is followed by people who copy its queries: every ```sql block of it must run, as written, on
// the out/parquet of a real `recon run nightly` over the sample data (what `npm start` does), and the dashboard's
// queries must return rows.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recon, ROOT, SAMPLE_INPUTS, workDir } from '../e2e/helpers.ts';

function sqlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sql\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

describe('docs/dashboards.md', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await workDir();
    const run = await recon(['run', 'nightly', ...SAMPLE_INPUTS], dir);
    expect(run.code, run.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('every DuckDB query runs on the out/parquet of a real run and returns rows', async () => {
    const blocks = sqlBlocks(await readFile(join(ROOT, 'docs', 'dashboards.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      // The doc's paths are relative to the folder that holds out/, as after `npm start`.
      await connection.run(`set file_search_path = '${dir.replaceAll("'", "''")}'`);
      for (const block of blocks) {
        const statements = block
          .split(/;\s*$/m)
          .map((statement) => statement.trim())
          .filter((statement) => statement.replace(/--.*$/gm, '').trim() !== '');
        let last: unknown[] = [];
        for (const statement of statements) last = (await connection.runAndReadAll(statement)).getRowObjectsJson();
        expect(last.length, block).toBeGreaterThan(0);
      }
      const [money] = (
        await connection.runAndReadAll(
          `select sum(cost_impact)::varchar as total, count(*) filter (where subscription_id is null) as no_subscription
           from read_parquet('out/parquet/finding/*/*.parquet', hive_partitioning = true)`,
        )
      ).getRowObjectsJson();
      expect(Number(money?.total)).toBeGreaterThan(0); // a check, not a computation
      expect(money?.no_subscription).toBe('0');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrate, listMigrations } from '../../src/db/migrate.ts';
import { literalFilePath, quoteIdentifier, quoteLiteral } from '../../src/db/quote.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { SqlError } from '../../src/errors.ts';

describe('warehouse', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await Warehouse.open({ path: ':memory:' });
  });
  afterEach(() => {
    wh.close();
  });

  it('applies every migration once and records it', async () => {
    const applied = await migrate(wh);
    expect(applied).toBe((await listMigrations()).length);
    expect(await migrate(wh)).toBe(0);
    const tables = await wh.rows<{ n: string }>(
      "select count(*) as n from information_schema.tables where table_name in ('delivery', 'billing_line', 'share_interval')",
    );
    expect(tables[0]?.n).toBe('3');
  });

  it('by default spills beside a warehouse file within a 1GB memory limit, instead of growing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-spill-'));
    const path = join(dir, 'w.duckdb');
    const file = await Warehouse.open({ path });
    try {
      const settings = await file.row<{ memory: string; temp: string; ordered: boolean }>(
        `select current_setting('memory_limit') as memory, current_setting('temp_directory') as temp,
                current_setting('preserve_insertion_order') as ordered`,
      );
      // DuckDB reports 1GB (10^9 bytes) in MiB
      expect(settings).toEqual({ memory: '953.6 MiB', temp: `${path}.tmp`, ordered: true });
    } finally {
      file.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs in UTC and returns decimals as exact strings', async () => {
    const row = await wh.row<{ tz: string; d: string }>(
      "select current_setting('TimeZone') as tz, '0.0000000072922557592391990000'::decimal(38,28) as d",
    );
    expect(row).toEqual({ tz: 'UTC', d: '0.0000000072922557592391990000' });
  });

  it('binds parameters so data never becomes SQL', async () => {
    const evil = "x'); drop table t; --";
    await wh.run('create table t (v varchar)');
    await wh.run('insert into t values ($v)', { v: evil });
    expect(await wh.rows('select v from t')).toEqual([{ v: evil }]);
  });

  it('reads a file whose name holds glob characters as that file, not as a pattern', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-glob-'));
    try {
      // Without escaping, 'shares[1].csv' is a pattern matching 'shares1.csv' and '*.csv' matches every file.
      await writeFile(join(dir, 'shares[1].csv'), 'v\nbracketed\n');
      await writeFile(join(dir, 'shares1.csv'), 'v\nimpostor\n');
      await writeFile(join(dir, 'a*b?.csv'), 'v\nstarred\n');
      await writeFile(join(dir, 'aXbY.csv'), 'v\nimpostor\n');
      const read = (name: string) => wh.rows('select v from read_csv($1)', [literalFilePath(join(dir, name))]);
      expect(await read('shares[1].csv')).toEqual([{ v: 'bracketed' }]);
      expect(await read('a*b?.csv')).toEqual([{ v: 'starred' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('quotes identifiers and literals in one helper', async () => {
    const name = 'we"ird; name';
    await wh.run(`create table ${quoteIdentifier(name)} as select ${quoteLiteral("it's")} as v`);
    expect(await wh.rows(`select v from ${quoteIdentifier(name)}`)).toEqual([{ v: "it's" }]);
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL/);
  });

  it('wraps SQL failures with the stage and file and keeps the cause', async () => {
    const failure = wh.run('select * from no_such_table', undefined, { stage: 'ingest', file: 'sql/ingest/x.sql' });
    await expect(failure).rejects.toBeInstanceOf(SqlError);
    await expect(failure).rejects.toThrow(/ingest \(sql\/ingest\/x\.sql\).*no_such_table/);
  });

  it('with RECON_PROFILE=1, times each statement on stderr, and writes nothing without it', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await wh.run('select 1 -- not profiled', undefined, { stage: 'quiet' });
      vi.stubEnv('RECON_PROFILE', '1');
      await wh.run('create table t as\n  select 1 as x -- a comment', undefined, {
        stage: 'diff',
        file: 'sql/diff/t.sql',
      });
      await wh.rows('select x from t', undefined, { stage: 'report' });
    } finally {
      vi.unstubAllEnvs();
      spy.mockRestore();
    }
    const lines = written.filter((line) => line.startsWith('recon-profile\t'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^recon-profile\t\d+\.\d{3}\tdiff\tsql\/diff\/t\.sql\tcreate table t as select 1 as x\n$/);
    expect(lines[1]).toMatch(/^recon-profile\t\d+\.\d{3}\treport\t-\tselect x from t\n$/);
  });

  it("with RECON_PROFILE_DIR, writes DuckDB's operator profile of each statement to its own file", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-profile-'));
    try {
      vi.stubEnv('RECON_PROFILE_DIR', dir);
      await wh.run('create table t as select range as x from range(1000)', undefined, {
        stage: 'diff',
        file: 'sql/diff/t.sql',
      });
      await wh.rows('select count(*) as n from t where x % 2 = 0', undefined, { stage: 'report' });
      vi.unstubAllEnvs();
      await wh.run('select 1 as unprofiled');
      const files = (await readdir(dir)).sort();
      expect(files).toEqual(['0001-diff-t.sql.json', '0002-report-inline.json']);
      const text = await readFile(join(dir, '0002-report-inline.json'), 'utf8'); // still the count's: the later select wrote nothing
      expect(text).toMatch(/"operator_name":\s*"SEQ_SCAN"/);
      expect(text).toMatch(/"operator_cardinality":\s*500\b/); // the scan of t, filtered: rows per operator
      expect(text).toContain('operator_timing');
      expect(text).not.toContain('unprofiled');
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failed transaction as a whole', async () => {
    await wh.run('create table t (v integer)');
    await expect(
      wh.transaction('test', async () => {
        await wh.run('insert into t values (1)');
        await wh.run('insert into t values (nope)');
      }),
    ).rejects.toThrow(SqlError);
    expect(await wh.rows('select count(*) as n from t')).toEqual([{ n: '0' }]);
  });

  it('with RECON_PROFILE_DIR, still rolls a failed transaction back and reports its first error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-profile-'));
    try {
      vi.stubEnv('RECON_PROFILE_DIR', dir);
      await wh.run('create table t (v integer)');
      // the profile setting before ROLLBACK fails in the aborted transaction; the ROLLBACK must still run
      await expect(
        wh.transaction('test', async () => {
          await wh.run('insert into t values (1)');
          await wh.run("insert into t select error('boom')"); // an execution error aborts the transaction
        }),
      ).rejects.toThrow(/boom/);
      expect(await wh.rows('select count(*) as n from t')).toEqual([{ n: '0' }]);
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

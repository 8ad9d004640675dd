import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, listMigrations } from '../../src/db/migrate.ts';
import { quoteIdentifier, quoteLiteral } from '../../src/db/quote.ts';
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
});

// The schema holds tables; the model (views and macros stating rules) is created from the stages' SQL files when
// the warehouse is opened for writing, and re-created whenever its text changes (src/db/model.ts).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSchemaCurrent, migrate } from '../../src/db/migrate.ts';
import { installModel, isModelCurrent, MODEL_FILES } from '../../src/db/model.ts';
import { SQL_ROOT, Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';

describe('the warehouse model', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recon-model-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrations hold tables only: no view or macro is defined in sql/schema/', async () => {
    const files = (await readdir(join(SQL_ROOT, 'schema'))).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const sql = (await readFile(join(SQL_ROOT, 'schema', file), 'utf8')).replace(/--.*$/gm, '');
      expect(sql, file).not.toMatch(/\bcreate\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(view|macro|function)\b/i);
    }
  });

  it('every model file defines something, and nothing outside the model creates a persistent view or macro', async () => {
    const stageFiles: string[] = [];
    for (const folder of await readdir(SQL_ROOT)) {
      if (folder === 'schema') continue;
      for (const file of await readdir(join(SQL_ROOT, folder))) {
        if (file.endsWith('.sql')) stageFiles.push(`${folder}/${file}`);
      }
    }
    for (const file of stageFiles) {
      const sql = (await readFile(join(SQL_ROOT, file), 'utf8')).replace(/--.*$/gm, '');
      const persistent = /\bcreate\s+(or\s+replace\s+)?(view|macro)\b/i.test(sql);
      expect(persistent, `${file} creates a persistent view or macro`).toBe(MODEL_FILES.includes(file));
    }
  });

  it('is installed by migrate, and a writable open re-creates it when its text changed, dropping what it no longer has', async () => {
    const path = join(dir, 'w.duckdb');
    const wh = await Warehouse.open({ path });
    try {
      await migrate(wh);
      expect(await isModelCurrent(wh)).toBe(true);
      expect(await installModel(wh)).toBe(false); // unchanged: nothing to do
      // A warehouse holding an older model: a stale checksum, a view the model no longer has, a rule that drifted.
      await wh.run("update schema_model set checksum = 'older'");
      await wh.run('create view renamed_rule as select 1 as x');
      await wh.run("create or replace macro normalised_resource_id(v) as 'drifted'");
      expect(await isSchemaCurrent(wh)).toBe(false);
      expect(await installModel(wh)).toBe(true);
      expect(await isSchemaCurrent(wh)).toBe(true);
      const stale = await wh.rows("select view_name from duckdb_views() where view_name = 'renamed_rule'");
      expect(stale).toEqual([]);
      expect(await wh.row("select normalised_resource_id(' /Subscriptions/A/ ') as id")).toEqual({
        id: '/subscriptions/a',
      });
    } finally {
      wh.close();
    }
  });

  it('a read-only open of a warehouse with an older model is refused by isSchemaCurrent, not changed', async () => {
    const path = join(dir, 'w.duckdb');
    const writer = await Warehouse.open({ path });
    await migrate(writer);
    await writer.run("update schema_model set checksum = 'older'");
    writer.close();
    const reader = await Warehouse.open({ path, readOnly: true });
    try {
      expect(await isSchemaCurrent(reader)).toBe(false);
      expect(await reader.row('select checksum from schema_model')).toEqual({ checksum: 'older' });
    } finally {
      reader.close();
    }
  });

  it('a warehouse built before the baseline was folded is refused with one line saying what to do', async () => {
    const wh = await Warehouse.open({ path: ':memory:' });
    try {
      await wh.run(
        `create table schema_migration (version integer primary key, name varchar not null, checksum varchar not null,
           applied_at timestamp not null);
         insert into schema_migration values (1, 'run', 'x', now()::timestamp), (2, 'ingest', 'y', now()::timestamp)`,
      );
      const failure = migrate(wh);
      await expect(failure).rejects.toBeInstanceOf(InputError);
      await expect(failure).rejects.toThrow(/built by another version of recon \(its migration 001_run .*rebuild it/);
    } finally {
      wh.close();
    }
  });
});

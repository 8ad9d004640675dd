// Creates and migrates the warehouse schema from the versioned files in sql/schema/ (NNN_name.sql), then installs the
// model (the views and macros of src/db/model.ts). Each migration runs once, in its own transaction, and is recorded
// with a checksum so an edited, already-applied migration is refused instead of silently diverging. Migrations hold
// tables only; 001_baseline.sql is the schema as of the first release, and later table changes are new files.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { installModel, isModelCurrent } from './model.ts';
import { loadSql, SQL_ROOT, type Warehouse } from './warehouse.ts';

interface Migration {
  version: number;
  name: string;
  file: string;
}

export async function listMigrations(): Promise<Migration[]> {
  const files = (await readdir(join(SQL_ROOT, 'schema'))).filter((f) => f.endsWith('.sql')).sort();
  return files.map((file) => {
    const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match?.[1] || !match[2]) throw new Error(`sql/schema/${file}: migration names look like 001_name.sql`);
    return { version: Number(match[1]), name: match[2], file: `schema/${file}` };
  });
}

export async function migrate(warehouse: Warehouse): Promise<number> {
  const stage = { stage: 'migrate' };
  await warehouse.run(
    `create table if not exists schema_migration (
       version integer primary key, name varchar not null, checksum varchar not null, applied_at timestamp not null)`,
    undefined,
    stage,
  );
  const appliedRows = await warehouse.rows<{ version: number; name: string; checksum: string }>(
    'select version, name, checksum from schema_migration order by version',
  );
  const migrations = await listMigrations();
  const foreign = appliedRows.find((r) => !migrations.some((m) => m.version === r.version && m.name === r.name));
  if (foreign) {
    // The schema before the baseline was folded (development versions), or a newer recon: neither can be migrated.
    throw new InputError(
      `warehouse ${warehouse.path} was built by another version of recon (its migration ` +
        `${String(foreign.version).padStart(3, '0')}_${foreign.name} is not one of this version's); ` +
        'rebuild it: remove the file or pass a new --db',
    );
  }
  const applied = new Map(appliedRows.map((r) => [r.version, r.checksum]));
  let count = 0;
  for (const migration of migrations) {
    const sql = await loadSql(migration.file);
    const checksum = createHash('sha256').update(sql).digest('hex');
    const seen = applied.get(migration.version);
    if (seen !== undefined) {
      if (seen !== checksum) {
        throw new InputError(
          `warehouse ${warehouse.path}: migration sql/${migration.file} changed after it was applied; rebuild the warehouse`,
        );
      }
      continue;
    }
    await warehouse.transaction('migrate', async () => {
      await warehouse.run(sql, undefined, { stage: 'migrate', file: `sql/${migration.file}` });
      await warehouse.run(
        'insert into schema_migration values ($version, $name, $checksum, now()::timestamp)',
        { version: migration.version, name: migration.name, checksum },
        stage,
      );
    });
    count++;
  }
  await installModel(warehouse);
  return count;
}

/** Has every migration been applied, and is the model this version's? Reads only (for read-only commands). */
export async function isSchemaCurrent(warehouse: Warehouse): Promise<boolean> {
  const [table] = await warehouse.rows<{ n: string }>(
    "select count(*)::varchar as n from duckdb_tables() where table_name = 'schema_migration'",
    undefined,
    { stage: 'open warehouse' },
  );
  if (table?.n !== '1') return false;
  const applied = new Set(
    (await warehouse.rows<{ version: number }>('select version from schema_migration')).map((row) => row.version),
  );
  return (
    (await listMigrations()).every((migration) => applied.has(migration.version)) && (await isModelCurrent(warehouse))
  );
}

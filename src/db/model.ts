// The warehouse's model: the views and macros that state recon's rules, kept in the stages' SQL files and created
// when the warehouse is opened for writing. Migrations (sql/schema/) hold tables only, so fixing a rule is editing the
// file that states it, never a new migration. The model is installed as a whole, in one transaction, whenever its
// text differs from what the warehouse holds (recorded as a checksum in schema_model); views and macros that are no
// longer in the model are dropped, so a renamed rule cannot linger.
import { createHash } from 'node:crypto';
import { loadSql, type Warehouse } from './warehouse.ts';

/**
 * The model files, in dependency order: DuckDB binds a view when it is created, so every relation and macro a view
 * reads must come before it.
 */
export const MODEL_FILES: readonly string[] = [
  'ingest/model_macros.sql', // conversions and classifications of export text
  'ingest/model_delivery.sql', // which deliveries and billing lines count
  'ingest/model_cost_view.sql', // one cost view per usage
  'inventory/model.sql', // inventory parsers, how far an observation holds, the horizon
  'provisioning/model.sql', // provisioning formulas, limits, availability, burst
  'recompute/model.sql', // exact division, interval evidence
  'billed/model.sql', // meter text tokens, unit arithmetic, the billed scope
  'billed/billed_line_meter.sql', // each counted line with the catalog row that maps it
  'billed/duplicate_billed_line.sql', // lines billed twice within one delivery
  'billed/price_check.sql', // each line's cost against quantity × its price
  'diff/finding_case.sql', // findings grouped into cases
];

const stage = { stage: 'model' };

async function modelText(): Promise<{ checksum: string; files: { file: string; sql: string }[] }> {
  const files = await Promise.all(MODEL_FILES.map(async (file) => ({ file, sql: await loadSql(file) })));
  const hash = createHash('sha256');
  for (const { file, sql } of files) hash.update(`${file}\0${sql}\0`);
  return { checksum: hash.digest('hex'), files };
}

async function installedChecksum(warehouse: Warehouse): Promise<string | undefined> {
  const [table] = await warehouse.rows<{ n: string }>(
    "select count(*)::varchar as n from duckdb_tables() where database_name = current_database() and table_name = 'schema_model'",
    undefined,
    stage,
  );
  if (table?.n !== '1') return undefined;
  const row = await warehouse.row<{ checksum: string }>('select checksum from schema_model', undefined, stage);
  return row?.checksum;
}

/** Create (or re-create) the model when the warehouse does not hold this version of it. Returns whether it did. */
export async function installModel(warehouse: Warehouse): Promise<boolean> {
  const { checksum, files } = await modelText();
  if ((await installedChecksum(warehouse)) === checksum) return false;
  await warehouse.transaction('model', async () => {
    await warehouse.run(
      'create table if not exists schema_model (checksum varchar not null, installed_at timestamp not null)',
      undefined,
      stage,
    );
    for (const view of await warehouse.rows<{ name: string }>(
      'select view_name as name from duckdb_views() where not internal and database_name = current_database()',
      undefined,
      stage,
    )) {
      await warehouse.run(`drop view if exists "${view.name.replaceAll('"', '""')}"`, undefined, stage);
    }
    for (const macro of await warehouse.rows<{ name: string }>(
      `select distinct function_name as name from duckdb_functions()
       where not internal and database_name = current_database() and function_type in ('macro', 'table_macro')`,
      undefined,
      stage,
    )) {
      await warehouse.run(`drop macro if exists "${macro.name.replaceAll('"', '""')}"`, undefined, stage);
    }
    for (const { file, sql } of files) await warehouse.run(sql, undefined, { stage: 'model', file: `sql/${file}` });
    await warehouse.run('delete from schema_model', undefined, stage);
    await warehouse.run('insert into schema_model values ($checksum, now()::timestamp)', { checksum }, stage);
  });
  return true;
}

/** Does the warehouse hold this version of the model? Reads only (read-only commands cannot install it). */
export async function isModelCurrent(warehouse: Warehouse): Promise<boolean> {
  return (await installedChecksum(warehouse)) === (await modelText()).checksum;
}

// Small helpers for composing the inventory's SQL files into statements (never data into SQL), and for dropping
// the staging tables they fill.
import { declaredNames, loadSql, type Warehouse } from '../db/warehouse.ts';

/** A query file's text usable inside parentheses or after INSERT: without its trailing semicolon. */
export function asSubquery(sql: string): string {
  return sql.trimEnd().replace(/;$/, '');
}

/** A query file under sql/, ready to follow `create … as` or `insert into … by name`. */
export async function querySql(relativePath: string): Promise<string> {
  return asSubquery(await loadSql(relativePath));
}

/**
 * Drops every temporary table sql/inventory/stage_tables.sql creates (their names read from the file, so a table
 * added there is dropped too) and the load's own `others`: staging is one load's alone, and left in place it held
 * the run's memory, or was spilled to the temporary folder, through every later stage.
 */
export async function dropStageTables(wh: Warehouse, stage: string, others: readonly string[] = []): Promise<void> {
  const staged = declaredNames(await loadSql('inventory/stage_tables.sql'), 'create or replace temp table');
  await wh.dropTempTables(stage, [...others, ...staged]);
}

// Small helpers for composing the inventory's SQL files into statements (never data into SQL).
import { loadSql } from '../db/warehouse.ts';

/** A query file's text usable inside parentheses or after INSERT: without its trailing semicolon. */
export function asSubquery(sql: string): string {
  return sql.trimEnd().replace(/;$/, '');
}

/** A query file under sql/, ready to follow `create … as` or `insert into … by name`. */
export async function querySql(relativePath: string): Promise<string> {
  return asSubquery(await loadSql(relativePath));
}

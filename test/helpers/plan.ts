// What DuckDB's plan of a query materialises: for a test that guards a query's shape, e.g. that a statement over
// billing lines does not store a copy of every line on the way (a CTE DuckDB chose to materialise).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Warehouse } from '../../src/db/warehouse.ts';

interface PlanNode {
  operator_name?: string;
  operator_type?: string;
  operator_cardinality?: number;
  extra_info?: Record<string, unknown>;
  children?: PlanNode[];
}

export interface MaterialisedCte {
  name: string;
  /** Rows the CTE stored, as counted when the query ran. */
  rows: number;
}

/** Run the query under EXPLAIN ANALYZE and list the CTEs its plan materialised, with the rows each stored. */
export async function materialisedCtes(wh: Warehouse, sql: string): Promise<MaterialisedCte[]> {
  return ctesOfPlan(await analyzedPlan(wh, sql));
}

/** The plan of the query, as DuckDB ran it under EXPLAIN ANALYZE (operators with the rows each produced). */
async function analyzedPlan(wh: Warehouse, sql: string): Promise<PlanNode | PlanNode[]> {
  const [row] = await wh.rows<{ explain_value: string }>(`explain (analyze, format json) ${sql}`);
  if (!row) throw new Error('EXPLAIN ANALYZE returned no plan');
  return JSON.parse(row.explain_value) as PlanNode | PlanNode[];
}

/**
 * The same for a statement a stage ran, from the profiles RECON_PROFILE_DIR wrote (src/db/warehouse.ts): those of
 * the SQL file `file` (e.g. 'recompute_interval_part.sql'), one list per statement that ran it.
 */
export async function materialisedCtesOfFile(profileDir: string, file: string): Promise<MaterialisedCte[][]> {
  return (await profilesOfFile(profileDir, file)).map(ctesOfPlan);
}

export interface PlanOperator {
  /** DuckDB's operator name, e.g. HASH_JOIN, LEFT_DELIM_JOIN. */
  name: string;
  /** Rows it produced when the statement ran. */
  rows: number;
  /** DuckDB's extra_info (projections, conditions, table) as JSON text, for a test that looks for one expression. */
  detail: string;
}

/** Every operator of each statement that ran the SQL file `file`, from RECON_PROFILE_DIR's profiles. */
export async function operatorsOfFile(profileDir: string, file: string): Promise<PlanOperator[][]> {
  return (await profilesOfFile(profileDir, file)).map(operatorsOfPlan);
}

/** Run the query under EXPLAIN ANALYZE and list its operators, in plan order. */
export async function planOperators(wh: Warehouse, sql: string): Promise<PlanOperator[]> {
  return operatorsOfPlan(await analyzedPlan(wh, sql));
}

function operatorsOfPlan(plan: PlanNode | PlanNode[]): PlanOperator[] {
  const operators: PlanOperator[] = [];
  walkPlan(plan, (node) => {
    const name = node.operator_name ?? node.operator_type;
    if (name)
      operators.push({ name, rows: node.operator_cardinality ?? 0, detail: JSON.stringify(node.extra_info ?? {}) });
  });
  return operators;
}

export interface TableScan {
  table: string;
  /** Rows the scan produced when the query ran (after the filters DuckDB pushed into it). */
  rows: number;
  columns: string[];
}

/** Run the query under EXPLAIN ANALYZE and list its table scans: which table, which columns, how many rows. */
export async function tableScans(wh: Warehouse, sql: string): Promise<TableScan[]> {
  const scans: TableScan[] = [];
  walkPlan(await analyzedPlan(wh, sql), (node) => {
    const table = node.extra_info?.['Table'];
    if ((node.operator_name ?? node.operator_type) !== 'SEQ_SCAN' || typeof table !== 'string') return;
    const projected = node.extra_info?.['Projections'] ?? [];
    const columns = (Array.isArray(projected) ? projected : [projected]).map(String);
    scans.push({ table: table.split('.').at(-1) ?? table, rows: node.operator_cardinality ?? 0, columns });
  });
  return scans;
}

async function profilesOfFile(profileDir: string, file: string): Promise<PlanNode[]> {
  const names = (await readdir(profileDir)).filter((name) => name.endsWith(`-${file}.json`)).sort();
  const profiles: PlanNode[] = [];
  for (const name of names) profiles.push(JSON.parse(await readFile(join(profileDir, name), 'utf8')) as PlanNode);
  return profiles;
}

function walkPlan(plan: PlanNode | PlanNode[], visit: (node: PlanNode) => void): void {
  const walk = (node: PlanNode): void => {
    visit(node);
    for (const child of node.children ?? []) walk(child);
  };
  for (const node of Array.isArray(plan) ? plan : [plan]) walk(node);
}

function ctesOfPlan(plan: PlanNode | PlanNode[]): MaterialisedCte[] {
  const ctes: MaterialisedCte[] = [];
  walkPlan(plan, (node) => {
    if ((node.operator_type ?? node.operator_name) === 'CTE') {
      const stored = node.children?.[0];
      ctes.push({ name: String(node.extra_info?.['CTE Name']), rows: stored?.operator_cardinality ?? 0 });
    }
  });
  return ctes;
}

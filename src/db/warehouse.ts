// The only module that executes SQL. Every statement goes through `run`/`rows`, which bind parameters and wrap
// failures in SqlError with the stage and SQL file, keeping DuckDB's message as the cause.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { SqlError } from '../errors.ts';
import { quoteIdentifier } from './quote.ts';

export const SQL_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql');

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];
/** A row as JSON: DECIMAL, BIGINT and HUGEINT arrive as exact strings, never as JS numbers. */
export type Row = Record<string, unknown>;
export interface SqlContext {
  stage: string;
  file?: string;
}

export interface WarehouseOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  threads?: number;
  /** DuckDB size string, e.g. '4GB'. */
  memoryLimit?: string;
  /** Where DuckDB spills when a query outgrows memory_limit. */
  tempDirectory?: string;
  /** Open without write access (explain, findings): works on a read-only file or mount, never changes the file. */
  readOnly?: boolean;
}

export const DEFAULT_THREADS = 2;
/**
 * DuckDB's memory limit; beyond it DuckDB spills to the temp directory instead of growing. 1GB keeps the 2M-row
 * first night within 2 GiB peak RSS (1.86 GiB, 30% slower than at 4GB, which peaked at 4.7 GiB) and a month of
 * inventory changing every hour (10,000 shares, 7.35M intervals) within 1.89 GiB, since the statements that did
 * not spill run in batches (src/db/batches.ts; issue 14, README: Memory defaults).
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

/** Where a warehouse file spills: beside it (the same disk as the data, removed by DuckDB when done). */
export function spillDirectory(path: string): string | undefined {
  return path === ':memory:' ? undefined : `${path}.tmp`;
}

export class Warehouse {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(options: WarehouseOptions): Promise<Warehouse> {
    const config: Record<string, string> = {
      threads: String(options.threads ?? DEFAULT_THREADS),
      memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      // Offline by design: the bundled extensions (icu, json, parquet) are all recon uses; never download one.
      autoinstall_known_extensions: 'false',
    };
    // preserve_insertion_order stays on: staging numbers rows in file order (exact quarantine lines) and the
    // exports and reports are written in the order their queries give.
    const tempDirectory = options.tempDirectory ?? (options.readOnly ? undefined : spillDirectory(options.path));
    if (tempDirectory) config.temp_directory = tempDirectory;
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path, config);
    } catch (error) {
      throw new SqlError('open warehouse', options.path, error);
    }
    const connection = await instance.connect();
    const warehouse = new Warehouse(instance, connection, options.path);
    // Deterministic date arithmetic regardless of the host's zone. (Set after connect: at create time the
    // icu extension that owns this setting is not loaded yet.)
    await warehouse.run("SET TimeZone = 'UTC'", undefined, { stage: 'open warehouse' });
    return warehouse;
  }

  /** Run one statement (or, without params, a script). Parameters bind to the last statement only. */
  async run(sql: string, params?: SqlParams, context: SqlContext = { stage: 'sql' }): Promise<void> {
    await this.profileOperators(context);
    const started = performance.now();
    try {
      await this.connection.run(sql, params);
    } catch (error) {
      throw new SqlError(context.stage, context.file, error);
    }
    profileStatement(started, sql, context);
  }

  /** Run one query and return its rows as JSON-safe objects (decimals and big integers as strings). */
  async rows<T extends Row = Row>(
    sql: string,
    params?: SqlParams,
    context: SqlContext = { stage: 'sql' },
  ): Promise<T[]> {
    await this.profileOperators(context);
    const started = performance.now();
    let rows: T[];
    try {
      const reader = await this.connection.runAndReadAll(sql, params);
      rows = reader.getRowObjectsJson() as T[];
    } catch (error) {
      throw new SqlError(context.stage, context.file, error);
    }
    profileStatement(started, sql, context);
    return rows;
  }

  /** The first row of a query, or undefined. */
  async row<T extends Row = Row>(sql: string, params?: SqlParams, context?: SqlContext): Promise<T | undefined> {
    const rows = await this.rows<T>(sql, params, context);
    return rows[0];
  }

  /** Run a SQL file from sql/ (path relative to sql/); the stage is its folder. */
  async runFile(relativePath: string, params?: SqlParams): Promise<void> {
    const sql = await loadSql(relativePath);
    await this.run(sql, params, { stage: dirname(relativePath), file: `sql/${relativePath}` });
  }

  /** Rows of a query kept in a SQL file. */
  async rowsFromFile<T extends Row = Row>(relativePath: string, params?: SqlParams): Promise<T[]> {
    const sql = await loadSql(relativePath);
    return this.rows<T>(sql, params, { stage: dirname(relativePath), file: `sql/${relativePath}` });
  }

  /**
   * Drop a stage's temp tables, if they exist: the month-sized ones once their slice is written, so their memory
   * goes back to the next slice or stage, and the rest when the stage is done.
   */
  async dropTempTables(stage: string, tables: readonly string[]): Promise<void> {
    for (const table of tables) {
      await this.run(`drop table if exists temp.${quoteIdentifier(table)}`, undefined, { stage });
    }
  }

  /** Run `work` in one transaction: it commits as a whole or leaves the warehouse as it was. */
  async transaction<T>(stage: string, work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION', undefined, { stage });
    try {
      const result = await work();
      await this.run('COMMIT', undefined, { stage });
      return result;
    } catch (error) {
      // Straight to the connection: in an aborted transaction any other statement fails, RECON_PROFILE_DIR's
      // profile setting included, and the ROLLBACK would not run.
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * RECON_PROFILE_DIR=<dir>: DuckDB's own per-operator profile (operator, rows, seconds) of every statement, as
   * JSON in <dir>/<sequence>-<stage>-<SQL file or 'inline'>.json; `tsx bench/profile-operators.ts <dir>` lists the
   * costliest operators. What EXPLAIN ANALYZE shows, for the statements of a real run. Every statement gets its own
   * file: DuckDB keeps profiling once it is on, and would overwrite the last file's profile.
   */
  private async profileOperators(context: SqlContext): Promise<void> {
    const dir = process.env.RECON_PROFILE_DIR;
    if (!dir) {
      if (this.profiledStatements > 0) await this.connection.run('pragma disable_profiling');
      this.profiledStatements = 0;
      return;
    }
    this.profiledStatements += 1;
    const source = context.file ? basename(context.file) : 'inline';
    const name = `${String(this.profiledStatements).padStart(4, '0')}-${context.stage}-${source}`;
    const output = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.json`).replaceAll("'", "''");
    await this.connection.run(`set enable_profiling = 'json'; set profiling_output = '${output}'`);
  }

  private profiledStatements = 0;

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * RECON_PROFILE=1 writes one tab-separated line per statement to stderr: `recon-profile`, seconds, stage, file and
 * the statement's start (`sort -t$'\t' -k2 -rn` lists the slowest first). The profile behind issue 14's figures,
 * without a debugger or a rebuild. Read per statement, so a test can switch it on.
 */
function profileStatement(started: number, sql: string, context: SqlContext): void {
  if (process.env.RECON_PROFILE !== '1') return;
  const seconds = ((performance.now() - started) / 1000).toFixed(3);
  const head = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  process.stderr.write(`recon-profile\t${seconds}\t${context.stage}\t${context.file ?? '-'}\t${head}\n`);
}

const sqlCache = new Map<string, string>();

/**
 * The names a SQL file declares with statements that start with `statement` (e.g. 'create or replace temp table'),
 * in file order: what its caller drops or resets when done, so that a name added to the file is cleaned up too.
 */
export function declaredNames(sql: string, statement: string): string[] {
  const pattern = new RegExp(`^${statement.replaceAll(' ', '\\s+')}\\s+(\\w+)`, 'gim');
  return [...sql.matchAll(pattern)].flatMap(([, name]) => (name === undefined ? [] : [name]));
}

/** Read a SQL file under sql/. Cached: SQL files are part of the program, not data. */
export async function loadSql(relativePath: string): Promise<string> {
  const cached = sqlCache.get(relativePath);
  if (cached !== undefined) return cached;
  const text = await readFile(join(SQL_ROOT, relativePath), 'utf8');
  sqlCache.set(relativePath, text);
  return text;
}

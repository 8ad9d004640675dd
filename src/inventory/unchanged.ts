// Recognises a second night's inventory or transactions files as the ones already loaded (issue 14), by path,
// size and mtime, so their bytes are not read again (input_file, sql/schema/001_baseline.sql).
//
// The unit is a stage's whole load, not one file: records of one file are checked and merged against the others
// (the nearest storage account of a share, a key repeated in two transactions files, a later file winning a key),
// so loading only the changed files could give rows a full load would not. A stage is skipped only when its files
// are exactly the files of its latest load, each with the size and mtime it had then, read by the same code:
// loading them again would replace every row by itself. Anything else loads every file given, as before.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { SQL_ROOT, type Warehouse } from '../db/warehouse.ts';

export type LoadStage = 'inventory' | 'transactions';

export interface FileStamp {
  path: string;
  size: string;
  /** mtime in ns, taken before the bytes are read: a write during or after the read changes it. */
  modifiedNs: string;
}

/** Each file's size and mtime; null for a file that cannot be stat'ed (its read then says why). */
export async function stampFiles(paths: readonly string[]): Promise<(FileStamp | null)[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        const s = await stat(path, { bigint: true });
        return { path, size: s.size.toString(), modifiedNs: s.mtimeNs.toString() };
      } catch {
        return null;
      }
    }),
  );
}

const PROJECT_ROOT = join(SQL_ROOT, '..');
/**
 * The code that turns these files into rows: a new version of it must read them again. sql/inventory holds the
 * inventory's SQL and its model (the parsers), sql/ingest the shared text macros (csv_cell), and sql/schema the
 * tables it writes, so a new migration also means one full load.
 */
const LOADER_SOURCES = [
  'sql/inventory',
  'sql/ingest/model_macros.sql',
  'sql/schema',
  'src/inventory',
  'src/billing/transaction-buckets.ts',
  'src/ingest/csv-scan.ts',
];
let cachedLoader: string | undefined;

async function loaderDigest(): Promise<string> {
  if (cachedLoader !== undefined) return cachedLoader;
  const hash = createHash('sha256');
  for (const source of LOADER_SOURCES) {
    const root = join(PROJECT_ROOT, source);
    const files = (await stat(root)).isDirectory()
      ? (await readdir(root, { withFileTypes: true, recursive: true }))
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name))
          .sort()
      : [root];
    for (const file of files) {
      hash
        .update(relative(PROJECT_ROOT, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  cachedLoader = hash.digest('hex');
  return cachedLoader;
}

/**
 * The record count of each file when `stamps` are exactly the files of the stage's latest load, unchanged and read
 * by this code; null when anything differs (a file new, touched, rewritten, missing, or not given this time).
 */
export async function unchangedLoad(
  wh: Warehouse,
  stage: LoadStage,
  stamps: readonly (FileStamp | null)[],
): Promise<Map<string, number> | null> {
  if (stamps.length === 0 || stamps.some((s) => s === null)) return null;
  const latest = await wh.rows<{ source_file: string; byte_count: string; modified_ns: string; record_count: number }>(
    `select source_file, byte_count::varchar as byte_count, modified_ns::varchar as modified_ns,
            record_count::integer as record_count
     from input_file
     where stage = $stage and loader = $loader
       and load_seq = (select max(load_seq) from input_file where stage = $stage)`,
    { stage, loader: await loaderDigest() },
    { stage },
  );
  const loaded = new Map(latest.map((row) => [row.source_file, row]));
  if (loaded.size !== stamps.length) return null;
  const counts = new Map<string, number>();
  for (const stamp of stamps) {
    const row = stamp && loaded.get(stamp.path);
    if (!stamp || !row || row.byte_count !== stamp.size || row.modified_ns !== stamp.modifiedNs) return null;
    counts.set(stamp.path, row.record_count);
  }
  return counts;
}

/**
 * Records a load of `stamps` (all read, in the caller's transaction) as the stage's latest. `exact`: these files are
 * the whole input; files an earlier load read and this one did not are forgotten here too.
 */
export async function recordLoad(
  wh: Warehouse,
  stage: LoadStage,
  stamps: readonly (FileStamp | null)[],
  recordCounts: readonly number[],
  exact: boolean,
): Promise<void> {
  const context = { stage };
  const read = stamps.flatMap((stamp, i) => (stamp ? [{ stamp, records: recordCounts[i] ?? 0 }] : []));
  const paths = listValue(read.map((r) => r.stamp.path));
  await wh.run(
    exact
      ? 'delete from input_file where stage = $stage'
      : 'delete from input_file where stage = $stage and list_contains($paths::varchar[], source_file)',
    exact ? { stage } : { stage, paths },
    context,
  );
  await wh.run(
    `insert into input_file
     select $stage, unnest($paths::varchar[]), unnest($sizes::bigint[]), unnest($mtimes::bigint[]),
            unnest($records::bigint[]),
            coalesce((select max(load_seq) from input_file where stage = $stage), 0) + 1, $loader`,
    {
      stage,
      paths,
      sizes: listValue(read.map((r) => r.stamp.size)),
      mtimes: listValue(read.map((r) => r.stamp.modifiedNs)),
      records: listValue(read.map((r) => String(r.records))),
      loader: await loaderDigest(),
    },
    context,
  );
}

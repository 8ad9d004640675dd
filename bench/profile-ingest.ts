// Profiles the export ingest (issue 14): every SQL statement the ingest runs, with its wall time, the slowest first
// (the raw scan to compare with: bench/baseline.ts on the same files), and with --explain DIR DuckDB's profile of
// each statement over a second (the EXPLAIN ANALYZE tree as JSON, and its costliest operators printed).
// Usage: tsx bench/profile-ingest.ts --exports DIR [--db FILE] [--memory-limit 1GB] [--threads 2] [--top 12]
// [--explain DIR]. A fresh warehouse (a temp file unless --db) is written.
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate } from '../src/db/migrate.ts';
import { Warehouse } from '../src/db/warehouse.ts';
import { ingestExports } from '../src/ingest/index.ts';

const { values } = parseArgs({
  options: {
    exports: { type: 'string' },
    db: { type: 'string' },
    'memory-limit': { type: 'string' },
    threads: { type: 'string', default: '2' },
    top: { type: 'string', default: '12' },
    explain: { type: 'string' },
  },
});
if (!values.exports) throw new Error('--exports is required');
const scratch = values.db ? null : await mkdtemp(join(tmpdir(), 'recon-profile-ingest-'));
const path = values.db ?? join(scratch ?? '', 'w.duckdb');
const wh = await Warehouse.open({ path, threads: Number(values.threads), memoryLimit: values['memory-limit'] });
await migrate(wh);
const explainDir = values.explain;
const lastProfile = explainDir ? join(explainDir, 'last.json') : '';
if (explainDir) {
  await mkdir(explainDir, { recursive: true });
  await wh.run("set enable_profiling = 'json'");
  await wh.run(`set profiling_output = '${lastProfile.replaceAll("'", "''")}'`);
  await wh.run("set profiling_mode = 'detailed'");
}

interface ProfileNode {
  operator_type?: string;
  operator_timing?: number;
  operator_cardinality?: number;
  children?: ProfileNode[];
}
const operators = (node: ProfileNode): ProfileNode[] => [node, ...(node.children ?? []).flatMap(operators)];
let profiled = 0;
async function keepProfile(label: string): Promise<void> {
  const target = join(explainDir ?? '', `${String(++profiled).padStart(2, '0')}.json`);
  await copyFile(lastProfile, target);
  const tree = JSON.parse(await readFile(target, 'utf8')) as ProfileNode;
  const top = operators(tree)
    .filter((n) => n.operator_type)
    .sort((a, b) => (b.operator_timing ?? 0) - (a.operator_timing ?? 0))
    .slice(0, 4)
    .map((n) => `${n.operator_type} ${(n.operator_timing ?? 0).toFixed(2)} s, ${n.operator_cardinality ?? 0} rows`);
  console.log(`profile ${target} (${label}): ${top.join('; ')}`);
}

// Time every statement through the warehouse's two entry points (the only places SQL runs).
const timings: { ms: number; what: string }[] = [];
const what = (sql: string, file?: string): string =>
  `${file ? `${file.split('/').at(-1) ?? file}: ` : ''}${sql.replace(/\s+/g, ' ').trim().slice(0, 90)}`;
for (const method of ['run', 'rows'] as const) {
  const original = wh[method].bind(wh) as (...args: unknown[]) => Promise<unknown>;
  (wh as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await original(...args);
    } finally {
      const context = args[2] as { file?: string } | undefined;
      const ms = performance.now() - started;
      timings.push({ ms, what: what(String(args[0]), context?.file) });
      if (explainDir && ms > 1000) await keepProfile(what(String(args[0]), context?.file));
    }
  };
}
const started = performance.now();
const report = await ingestExports(wh, [values.exports], { rehash: true });
const totalMs = performance.now() - started;
const sqlMs = timings.reduce((sum, t) => sum + t.ms, 0);
console.log(`ingest: ${(totalMs / 1000).toFixed(2)} s, ${report.rowsRead} rows; SQL ${(sqlMs / 1000).toFixed(2)} s`);
for (const t of timings.sort((a, b) => b.ms - a.ms).slice(0, Number(values.top))) {
  console.log(`${(t.ms / 1000).toFixed(2).padStart(8)} s  ${t.what}`);
}
wh.close();
if (scratch) await rm(scratch, { recursive: true, force: true });

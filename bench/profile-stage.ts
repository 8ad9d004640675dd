// Profiles the recompute steps on an existing warehouse (one already ingested and loaded): per step, wall time and
// rows; with --explain, DuckDB's EXPLAIN ANALYZE of each step's last statement is written beside it.
// Usage: tsx bench/profile-stage.ts --db FILE --month YYYY-MM [--memory-limit 500MB] [--threads 1] [--explain DIR]
// The warehouse is changed (the recompute slice replaced): run it on a copy.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate } from '../src/db/migrate.ts';
import { loadSql, Warehouse } from '../src/db/warehouse.ts';
import { RECOMPUTE_STEPS } from '../src/recompute/index.ts';
import { installRecompute } from '../src/recompute/scope.ts';
import { checkScope, installRunScope } from '../src/scope.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    month: { type: 'string' },
    'memory-limit': { type: 'string', default: '4GB' },
    threads: { type: 'string', default: '1' },
    explain: { type: 'string' },
  },
});
if (!values.db || !values.month) throw new Error('--db and --month are required');

const wh = await Warehouse.open({
  path: values.db,
  threads: Number(values.threads),
  memoryLimit: values['memory-limit'],
});
await migrate(wh);
const installStarted = performance.now();
// installing the scope materialises recompute_interval_part (the rules and the split at day boundaries)
const slice = checkScope('recompute', { month: values.month });
await installRunScope(wh, slice, slice.month === null ? null : [slice.month]);
await installRecompute(wh, null, 'day');
console.log(`install scope: ${((performance.now() - installStarted) / 1000).toFixed(2)} s`);
for (const step of RECOMPUTE_STEPS) {
  const file = `recompute/${step.table}.sql`;
  const started = performance.now();
  const statements = (await loadSql(file)).split(/;\s*\n/).filter((s) => s.trim() !== '');
  if (values.explain && statements.length > 1) {
    // the statements of the file up to the last one run as they are; the last (the insert) is analysed
    for (const s of statements.slice(0, -1)) await wh.run(s);
    const plan = await wh.rows<{ explain_value: string }>(`explain analyze ${statements.at(-1)}`);
    await writeFile(join(values.explain, `${step.table}.txt`), plan.map((r) => r.explain_value).join('\n'));
  } else {
    await step.run(wh); // a batched step (expected_usage) runs as the stage runs it, without a plan
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = await wh.row<{ n: string }>(`select count(*)::varchar as n from ${step.table}`);
  console.log(`${step.table}: ${seconds.toFixed(2)} s, ${rows?.n} rows`);
}
wh.close();

// Lists the costliest DuckDB operators of a run profiled with RECON_PROFILE_DIR (src/db/warehouse.ts): per
// statement its wall time, then its top operators with their rows and seconds (summed over threads, as DuckDB
// reports them).
// Usage: tsx bench/profile-operators.ts DIR [--statements 10] [--operators 6]
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  operator_name?: string;
  operator_type?: string;
  operator_timing?: number;
  operator_cardinality?: number;
  latency?: number;
  extra_info?: Record<string, unknown>;
  children?: ProfileNode[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { statements: { type: 'string', default: '10' }, operators: { type: 'string', default: '6' } },
});
const [dir] = positionals;
if (!dir) throw new Error('usage: tsx bench/profile-operators.ts DIR');

const statements: { file: string; seconds: number; operators: ProfileNode[] }[] = [];
for (const file of (await readdir(dir)).filter((name) => name.endsWith('.json'))) {
  const root = JSON.parse(await readFile(join(dir, file), 'utf8')) as ProfileNode;
  const operators: ProfileNode[] = [];
  const walk = (node: ProfileNode): void => {
    if (node.operator_name || node.operator_type) operators.push(node);
    for (const child of node.children ?? []) walk(child);
  };
  walk(root);
  statements.push({ file, seconds: root.latency ?? 0, operators });
}
statements.sort((a, b) => b.seconds - a.seconds);
for (const statement of statements.slice(0, Number(values.statements))) {
  console.log(`${statement.seconds.toFixed(2)} s  ${statement.file}`);
  const top = [...statement.operators]
    .sort((a, b) => (b.operator_timing ?? 0) - (a.operator_timing ?? 0))
    .slice(0, Number(values.operators));
  for (const op of top) {
    const info = JSON.stringify(op.extra_info ?? {}).slice(0, 140);
    const name = op.operator_name ?? op.operator_type;
    console.log(
      `    ${(op.operator_timing ?? 0).toFixed(2).padStart(7)} s ${String(op.operator_cardinality).padStart(9)} rows  ${name}  ${info}`,
    );
  }
}

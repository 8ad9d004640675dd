// The code base's shape, checked: no import cycles among src/ modules (a stage must not depend on a module that
// depends on it), and no file in src/ or sql/ over 300 lines without a reason for its length in its header.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const LONG = 300;

function filesUnder(folder: string, ending: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesUnder(path, ending);
    return path.endsWith(ending) ? [path] : [];
  });
}

/** Runtime imports of a module (type-only imports create no cycle at run time). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(import|export)\s+(?!type\b)[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms)].map((match) =>
    resolve(dirname(file), match[2] ?? ''),
  );
}

/** Strongly connected components of more than one module (Tarjan). */
function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, runtimeImports(file).filter((dep) => files.includes(dep))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(dep) ?? 0));
      } else if (stack.includes(dep)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(dep) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member) component.push(relative(ROOT, member));
    } while (member && member !== file);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

describe('code layout', () => {
  it('src/ has no import cycles', () => {
    const files = filesUnder(join(ROOT, 'src'), '.ts');
    expect(files.length).toBeGreaterThan(20);
    expect(importCycles(files)).toEqual([]);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const fixture = join(ROOT, 'test', 'fixtures', 'import-cycle');
    expect(importCycles(filesUnder(fixture, '.ts'))).toEqual([
      ['test/fixtures/import-cycle/a.ts', 'test/fixtures/import-cycle/b.ts'],
    ]);
  });

  it(`a file in src/ or sql/ over ${LONG} lines says why in its header`, () => {
    const unexplained = [...filesUnder(join(ROOT, 'src'), '.ts'), ...filesUnder(join(ROOT, 'sql'), '.sql')].filter(
      (file) => {
        const lines = readFileSync(file, 'utf8').split('\n');
        if (lines.length <= LONG) return false;
        const header = lines.slice(0, 8).join('\n');
        return !/\b(Long|Longer than \d+ lines) because\b/i.test(header);
      },
    );
    expect(unexplained.map((file) => relative(ROOT, file))).toEqual([]);
  });
});

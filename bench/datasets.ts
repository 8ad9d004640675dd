// The bench's datasets: generated once under bench/data/ and reused while their parameters stay the same.
// A finished generation leaves dataset.json (its GenerateResult) beside answers.json; without it — an interrupted
// generation — the folder is generated again.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate, resolveOptions, type GenerateOptions, type GenerateResult } from './generate/index.ts';

export interface Dataset extends GenerateResult {
  params: { shares: number; rows: number; dialect: string; month: string; days: number; changes: string };
  /** false when an earlier bench generated it */
  generatedNow: boolean;
}

export async function ensureDataset(
  dataRoot: string,
  options: Omit<GenerateOptions, 'out' | 'onProgress'>,
  log: (line: string) => void,
): Promise<Dataset> {
  const probe = resolveOptions(options);
  const out = join(dataRoot, probe.out.split('/').at(-1) ?? 'dataset');
  const resolved = resolveOptions({ ...options, out });
  const params = {
    shares: resolved.shares,
    rows: resolved.rows,
    dialect: resolved.dialect,
    month: resolved.month.text,
    days: resolved.days,
    changes: resolved.changes,
  };
  const marker = join(out, 'dataset.json');
  const previous = await readFile(marker, 'utf8').then(
    (text) => JSON.parse(text) as GenerateResult,
    () => null,
  );
  if (previous !== null) {
    log(`reusing ${out}`);
    return { ...previous, params, generatedNow: false };
  }
  log(`generating ${out}`);
  const result = await generate({
    ...options,
    out,
    onProgress: (line) => {
      log(`  ${line}`);
    },
  });
  await writeFile(marker, `${JSON.stringify(result, null, 2)}\n`);
  return { ...result, params, generatedNow: true };
}

// Golden end-to-end fixtures (test/helpers/golden.ts): each case under test/fixtures/golden/ is run through the
// real CLI into a temporary folder and its whole output folder compared with the case's expected/, file by file —
// the set of files too. Only what differs between two runs by design is normalised (goldenOutputs).
import { rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';
import {
  BLESS_COMMAND,
  expectedOutputs,
  firstDifference,
  goldenCases,
  runGoldenCase,
  type GoldenCase,
} from '../helpers/golden.ts';

const cases = await goldenCases();
const works: string[] = [];

afterAll(async () => {
  for (const work of works) await rm(work, { recursive: true, force: true });
});

/** Every way the run's outputs differ from expected/, as lines naming the file; empty when they match. */
async function mismatches(goldenCase: GoldenCase, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const run = await runGoldenCase(goldenCase, env);
  works.push(run.work);
  const expected = await expectedOutputs(goldenCase);
  const problems: string[] = [];
  for (const path of expected.keys())
    if (!run.outputs.has(path)) problems.push(`missing: ${path} is in expected/ but the run did not write it`);
  for (const [path, actual] of run.outputs) {
    const want = expected.get(path);
    if (want === undefined) problems.push(`extra: the run wrote ${path}, which expected/ does not have`);
    else if (want !== actual) problems.push(`differs: ${path}\n${firstDifference(want, actual)}`);
  }
  return problems;
}

describe('golden end-to-end fixtures', () => {
  it('has the cases the README lists', () => {
    expect(cases.map((c) => c.name)).toEqual(['dispute-snapshot', 'focus-planted', 'sample-month']);
  });

  const runs = [
    ...cases.map((goldenCase) => ({ goldenCase, label: '', env: {} })),
    // The statements that aggregate a group per line run a batch of usage dates at a time (src/db/batches.ts);
    // one date per batch must give the same outputs as the one batch these small cases otherwise take.
    ...cases
      .filter((c) => c.name === 'sample-month')
      .map((goldenCase) => ({ goldenCase, label: ' (one usage date per batch)', env: { RECON_BATCH_ROWS: '1' } })),
  ];
  for (const { goldenCase, label, env } of runs) {
    it(`${goldenCase.name}${label}: the output folder matches expected/`, { timeout: 120_000 }, async () => {
      const problems = await mismatches(goldenCase, env);
      const where = relative(ROOT, goldenCase.dir);
      expect(
        problems,
        `${where}: ${problems.length} file(s) differ from expected/.\n${problems.join('\n\n')}\n\n` +
          `If every change is intended, re-bless with \`${BLESS_COMMAND} ${goldenCase.name}\` and review ` +
          `\`git diff ${where}/expected\` before committing.`,
      ).toEqual([]);
    });
  }
});

// `npm run bless [case…]`: rewrites test/fixtures/golden/<case>/expected/ from what the current code writes for the
// case's inputs (every case, or the ones named), in the normalised form test/e2e/golden.test.ts compares against.
// Bless only after reading the diff (`git diff test/fixtures/golden`) and finding every change intended.
import { rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { ROOT } from '../test/e2e/helpers.ts';
import { goldenCases, runGoldenCase, writeExpected } from '../test/helpers/golden.ts';

try {
  for (const goldenCase of await goldenCases(process.argv.slice(2))) {
    const started = Date.now();
    const run = await runGoldenCase(goldenCase);
    await writeExpected(goldenCase, run.outputs);
    await rm(run.work, { recursive: true, force: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `blessed ${relative(ROOT, goldenCase.dir)}/expected: ${run.outputs.size} files (${seconds} s)\n`,
    );
  }
} catch (error) {
  process.stderr.write(`bless: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

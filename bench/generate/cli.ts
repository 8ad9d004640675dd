// `npm run gen -- --shares N --rows R [--days D] [--dialect ea|mca|focus] [--month YYYY-MM] [--out DIR] [--gzip]
//  [--partition-mb M] [--changes daily|hourly] [--seed S] [--no-plant]`: writes a benchmark dataset and prints where,
// how much, how fast and the process's peak RSS. Bad options exit 2 with a message naming the option.
import { relative } from 'node:path';
import { errorMessage, InputError } from '../../src/errors.ts';
import { generate } from './generate.ts';
import { parseCliArgs, USAGE } from './options.ts';

try {
  const options = parseCliArgs(process.argv.slice(2));
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    const result = await generate({ ...options, onProgress: (line) => process.stderr.write(`gen: ${line}\n`) });
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    const peakRssMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
    const lines = [
      `dataset:      ${relative(process.cwd(), result.out) || '.'}`,
      `exports:      ${result.exportsDir}`,
      `inventory:    ${result.inventoryDir}`,
      `transactions: ${result.transactionsDir}`,
      `answers:      ${result.answersPath} (${result.planted} planted)`,
      `rows:         ${result.rowsWritten} (${result.filesRows} Files/snapshot, ${result.noiseRows} noise) in ${result.partitions} partition(s)`,
      `export size:  ${mb(result.exportBytes)} MB as stored, ${mb(result.uncompressedBytes)} MB uncompressed`,
      `inventory:    ${result.inventoryRows} observations, ${result.transactionRows} transaction rows`,
      `time:         ${result.seconds.toFixed(1)} s, ${Math.round(result.rowsWritten / result.seconds)} rows/s`,
      `peak RSS:     ${peakRssMb.toFixed(0)} MB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
} catch (error) {
  process.stderr.write(`gen: ${errorMessage(error)}\n`);
  process.exitCode = error instanceof InputError ? 2 : 1;
}

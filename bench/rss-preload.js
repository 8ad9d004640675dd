// Bench-only preload (`node --import ./bench/rss-preload.js …`): when the measured process exits, write its peak
// resident set size in bytes to the file named by RECON_BENCH_RSS_FILE. Peak RSS includes DuckDB's native memory,
// which lives in the same process. Never loaded by recon itself.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const target = process.env.RECON_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    // resourceUsage().maxRSS is in kilobytes.
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}

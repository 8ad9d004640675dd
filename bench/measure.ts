// Runs one measured step in its own Node process, so wall time and peak RSS belong to that step alone.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
const PRELOAD = join(import.meta.dirname, 'rss-preload.js');

export interface Measurement {
  wallSeconds: number;
  peakRssBytes: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `node --import rss-preload <args>`; resolves when the child exits, whatever its exit code. */
export async function measureNode(args: readonly string[], cwd = ROOT): Promise<Measurement> {
  const scratch = await mkdtemp(join(tmpdir(), 'recon-bench-rss-'));
  const rssFile = join(scratch, 'rss');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', PRELOAD, ...args], {
    cwd,
    env: { ...process.env, RECON_BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code) => {
      resolve(code ?? 99);
    }),
  );
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssBytes = Number(await readFile(rssFile, 'utf8').catch(() => '0'));
  await rm(scratch, { recursive: true, force: true });
  return { wallSeconds, peakRssBytes, exitCode, stdout, stderr };
}

/** Fail loudly when a measured step did not succeed: a bench of a failed run measures nothing. */
export function expectExit(step: string, m: Measurement, allowed: readonly number[]): void {
  if (!allowed.includes(m.exitCode)) {
    throw new Error(`${step} exited ${m.exitCode}:\n${m.stderr.slice(-4000)}`);
  }
}

// Runs the real `recon` executable (bin/recon.js) in a child process, as a scheduler would.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SAMPLE = join(ROOT, 'sample-data');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function recon(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'recon.js'), ...args], { cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function workDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'recon-e2e-'));
}

export const SAMPLE_INPUTS = [
  '--exports',
  join(SAMPLE, 'exports'),
  '--inventory',
  join(SAMPLE, 'inventory'),
  '--transactions',
  join(SAMPLE, 'transactions'),
];

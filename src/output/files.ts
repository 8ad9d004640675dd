// Output files are written to a temporary name in the same folder and renamed into place, so a reader (or a run
// killed half-way) never sees a half-written report. A set of reports is all-or-nothing: every file is written
// before any is renamed, so a full disk leaves the previous set whole rather than a mix of two runs.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WriteError } from '../errors.ts';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists and is not a folder',
  EIO: 'input/output error',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
};

/** The plain reason of a file-system error (`no space left on device (ENOSPC)`), or undefined if it is not one. */
export function fileSystemReason(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  const reason = REASONS[code];
  return reason === undefined ? undefined : `${reason} (${code})`;
}

/** `error` as a WriteError naming `path` when it is a file-system failure; anything else unchanged. */
export function asWriteError(error: unknown, path: string): unknown {
  if (error instanceof WriteError) return error;
  const reason = fileSystemReason(error);
  return reason === undefined ? error : new WriteError(`cannot write ${path}: ${reason}`, { cause: error });
}

// How DuckDB reports a file it could not write (the warehouse, its write-ahead log, a COPY target): the path in
// double quotes, then the operating system's reason, e.g. `Could not write file "/x/recon.duckdb.wal": File too large`.
const DUCKDB_WRITE_FAILURE =
  /(?:Could not (?:write|create|truncate|fsync|sync|open)[a-z ]*|Cannot open file) "([^"]+)": ([^\n]+)/i;

/** The path and reason of a DuckDB error that is a failed file write (full disk, size limit, read-only), if it is one. */
export function duckDbWriteFailure(error: unknown): { path: string; reason: string } | undefined {
  const match = DUCKDB_WRITE_FAILURE.exec(error instanceof Error ? error.message : String(error));
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { path: match[1], reason: match[2].trim().toLowerCase() };
}

function temporaryName(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, content }]);
}

export interface OutputFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * Write every file to a temporary name, then rename them all into place. If any write fails, none is renamed and
 * the temporaries are removed: the folder keeps its previous files. (The renames themselves are quick and rarely
 * fail; a kill between two of them is the one moment two runs' files can sit side by side.)
 */
export async function writeFilesAtomic(files: readonly OutputFile[]): Promise<void> {
  const pending: { path: string; temporary: string }[] = [];
  try {
    for (const { path, content } of files) {
      try {
        await mkdir(dirname(path), { recursive: true });
        const temporary = temporaryName(path);
        pending.push({ path, temporary });
        await writeFile(temporary, content);
      } catch (error) {
        throw asWriteError(error, path);
      }
    }
    while (pending.length > 0) {
      const next = pending[0];
      if (next === undefined) break;
      try {
        await rename(next.temporary, next.path);
      } catch (error) {
        throw asWriteError(error, next.path);
      }
      pending.shift();
    }
  } finally {
    await Promise.all(pending.map(({ temporary }) => rm(temporary, { force: true })));
  }
}

/**
 * Remove the temporaries a killed run left beside `names` in `folder` (`<name>.tmp-<pid>-<random>`). Only those of
 * processes that no longer exist: a live writer's temporary is about to be renamed.
 */
export async function removeLeftTemporaries(folder: string, names: readonly string[]): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw asWriteError(error, folder);
  }
  for (const entry of entries) {
    const match = /^(.+)\.tmp-(\d+)-[0-9a-f]+$/.exec(entry);
    if (match === null || !names.includes(match[1] ?? '') || isAlive(Number(match[2]))) continue;
    await rm(join(folder, entry), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

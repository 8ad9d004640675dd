// One writer per warehouse: a lock file beside the DuckDB file, created atomically (O_EXCL). A lock left by a run
// that was killed (its process no longer exists on this host) is stale and is cleared; any other holder makes the
// new run fail at once with WarehouseBusyError (exit 3) naming the holder.
import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';
import { WarehouseBusyError } from '../errors.ts';

export interface LockHolder {
  pid: number;
  host: string;
  runId: string;
  startedAt: string;
}

export interface WarehouseLock {
  path: string;
  release(): Promise<void>;
}

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

export async function acquireWarehouseLock(dbPath: string, runId: string): Promise<WarehouseLock> {
  const path = lockPathFor(dbPath);
  const holder: LockHolder = { pid: process.pid, host: hostname(), runId, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(holder));
      await handle.close();
      return { path, release: () => rm(path, { force: true }) };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await readHolder(path);
    if (existing && !isStale(existing)) {
      throw new WarehouseBusyError(
        `warehouse ${dbPath} is in use by run ${existing.runId} (pid ${existing.pid} on ${existing.host}, ` +
          `since ${existing.startedAt}); lock file ${path}`,
      );
    }
    // Stale (the holder's process is gone) or unreadable (a crash while writing it): clear it and try once more.
    await rm(path, { force: true });
  }
  throw new WarehouseBusyError(`warehouse ${dbPath}: could not take the lock ${path} (another run raced for it)`);
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      runId: typeof parsed.runId === 'string' ? parsed.runId : 'unknown',
      startedAt: typeof parsed.startedAt === 'string' ? parsed.startedAt : 'unknown',
    };
  } catch {
    return undefined;
  }
}

/** A lock is stale only when we can prove its holder is gone: same host and no such process. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isAlreadyExists(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EEXIST';
}

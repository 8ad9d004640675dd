// One writer per warehouse: a lock file beside the DuckDB file. It appears whole or not at all — written to a
// temporary file and hard-linked into place, which fails if a lock exists — so a run that finds it can always read
// who holds it. A lock left by a run that was killed (its process no longer exists on this host) is stale and is
// cleared, by one run at a time (see breakStaleLock); any other holder makes the new run fail at once with
// WarehouseBusyError (exit 3) naming the holder. DuckDB's own lock on the open file stays the last line of defence.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { WarehouseBusyError } from '../errors.ts';
import { asWriteError } from '../output/files.ts';

export interface LockHolder {
  pid: number;
  host: string;
  runId: string;
  startedAt: string;
}

export interface WarehouseLock {
  path: string;
  /** Remove the lock file if it is still this run's (never another run's). */
  release(): Promise<void>;
}

interface FoundLock {
  /** The file's text, to tell this lock from a later one. */
  raw: string;
  /** Undefined when the file is not a lock holder's JSON (being written without hard links, or damaged). */
  holder: LockHolder | undefined;
  ageMs: number;
}

/** An unreadable lock or a stale-lock breaker older than this was left by a crash, not being written now. */
const ABANDONED_AFTER_MS = 60_000;
const ATTEMPTS = 5;

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

export async function acquireWarehouseLock(dbPath: string, runId: string): Promise<WarehouseLock> {
  const path = lockPathFor(dbPath);
  const holder: LockHolder = { pid: process.pid, host: hostname(), runId, startedAt: new Date().toISOString() };
  const content = JSON.stringify(holder);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(path, content)) return { path, release: () => releaseOwn(path, content) };
    const existing = await readLock(path);
    if (existing === undefined) continue; // released since: try again
    if (!isStale(existing)) {
      const who = existing.holder;
      throw new WarehouseBusyError(
        who === undefined
          ? `warehouse ${dbPath} is being locked by another run (lock file ${path} is being written)`
          : `warehouse ${dbPath} is in use by run ${who.runId} (pid ${who.pid} on ${who.host}, ` +
              `since ${who.startedAt}); lock file ${path}`,
      );
    }
    if (!(await breakStaleLock(path, existing.raw))) await sleep(20); // another run is clearing it
  }
  throw new WarehouseBusyError(`warehouse ${dbPath}: could not take the lock ${path} (other runs raced for it)`);
}

/**
 * For commands that only read the warehouse (explain, findings): WarehouseBusyError naming the holder when a live
 * run holds it — the same answer a second run gets — without taking the lock (a read-only folder stays untouched).
 */
export async function checkWarehouseNotHeld(dbPath: string): Promise<void> {
  const path = lockPathFor(dbPath);
  const existing = await readLock(path);
  if (existing === undefined || isStale(existing)) return;
  const who = existing.holder;
  throw new WarehouseBusyError(
    who === undefined
      ? `warehouse ${dbPath} is being locked by a run (lock file ${path} is being written)`
      : `warehouse ${dbPath} is in use by run ${who.runId} (pid ${who.pid} on ${who.host}, ` +
          `since ${who.startedAt}); lock file ${path}; try again when it has finished`,
  );
}

/** Create `path` holding `content` unless it exists; true if this call created it. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    try {
      await link(temporary, path);
      return true;
    } catch (error) {
      if (codeOf(error) === 'EEXIST') return false;
      if (!NO_HARD_LINKS.has(codeOf(error) ?? '')) throw error;
    }
    // No hard links on this file system (some network shares): create exclusively, then write. A run that finds
    // the file before it is written sees it unreadable and young, and treats it as held.
    let handle;
    try {
      handle = await open(path, 'wx');
    } catch (error) {
      if (codeOf(error) === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(content);
    } catch (error) {
      await rm(path, { force: true }); // a lock nobody could read would hold the warehouse for a minute
      throw error;
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    throw asWriteError(error, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Remove a stale lock — but only the one judged stale, and one run at a time: a breaker file, created exclusively,
 * admits a single run, which re-reads the lock and removes it only if it is unchanged. (Two runs removing "the
 * stale lock" could otherwise remove the fresh lock one of them had just taken.) False if another run is breaking.
 */
async function breakStaleLock(path: string, staleRaw: string): Promise<boolean> {
  const breaker = `${path}.break`;
  if (!(await createExclusive(breaker, JSON.stringify({ pid: process.pid, host: hostname() })))) {
    const age = await ageOf(breaker);
    if (age !== undefined && age > ABANDONED_AFTER_MS) await rm(breaker, { force: true }); // its breaker was killed
    return false;
  }
  try {
    if ((await readLock(path))?.raw === staleRaw) await rm(path, { force: true });
    return true;
  } finally {
    await rm(breaker, { force: true });
  }
}

async function releaseOwn(path: string, content: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) await rm(path, { force: true });
}

async function readLock(path: string): Promise<FoundLock | undefined> {
  let raw: string;
  let ageMs: number;
  try {
    raw = await readFile(path, 'utf8');
    ageMs = Date.now() - (await stat(path)).mtimeMs;
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  return { raw, holder: parseHolder(raw), ageMs };
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(raw) as Partial<LockHolder>;
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

/**
 * A lock is stale only when we can prove its holder is gone: same host and no such process. An unreadable lock is
 * stale once it is old (a crash while writing it); a young one is being written.
 */
function isStale(lock: FoundLock): boolean {
  if (lock.holder === undefined) return lock.ageMs > ABANDONED_AFTER_MS;
  if (lock.holder.host !== hostname()) return false;
  try {
    process.kill(lock.holder.pid, 0);
    return false;
  } catch (error) {
    return codeOf(error) === 'ESRCH';
  }
}

async function ageOf(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

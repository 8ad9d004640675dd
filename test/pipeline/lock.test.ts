import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarehouseBusyError } from '../../src/errors.ts';
import { acquireWarehouseLock, lockPathFor } from '../../src/pipeline/lock.ts';

async function tempDb(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'recon-lock-')), 'recon.duckdb');
}

describe('warehouse lock', () => {
  it('refuses a second holder and names the first', async () => {
    const db = await tempDb();
    const first = await acquireWarehouseLock(db, 'run-one');
    await expect(acquireWarehouseLock(db, 'run-two')).rejects.toThrow(WarehouseBusyError);
    await expect(acquireWarehouseLock(db, 'run-two')).rejects.toThrow(/in use by run run-one \(pid \d+/);
    await first.release();
    const second = await acquireWarehouseLock(db, 'run-two');
    const holder = JSON.parse(await readFile(lockPathFor(db), 'utf8')) as { runId: string };
    expect(holder.runId).toBe('run-two');
    await second.release();
  });

  it('clears a stale lock whose process is gone on this host', async () => {
    const db = await tempDb();
    // PIDs are below 2^22 on Linux: this one cannot exist.
    await writeFile(lockPathFor(db), JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), runId: 'killed' }));
    const lock = await acquireWarehouseLock(db, 'fresh');
    expect((JSON.parse(await readFile(lockPathFor(db), 'utf8')) as { runId: string }).runId).toBe('fresh');
    await lock.release();
  });

  it('keeps a lock held by another host (it cannot prove the holder dead)', async () => {
    const db = await tempDb();
    await writeFile(lockPathFor(db), JSON.stringify({ pid: 1, host: 'another-host', runId: 'remote' }));
    await expect(acquireWarehouseLock(db, 'local')).rejects.toThrow(/run remote \(pid 1 on another-host/);
  });
});

// A second night over the same exports (issue 14): a file whose path, size and mtime match a file already ingested
// is recognised from its recorded fingerprint without reading its bytes; a touched or changed file is read again.
// "Read" is observed through the per-file progress line ("<path>: <size>, <n> rows"), which only staging prints: a
// file of stored bytes is hashed again when touched, but its rows are not read again (the --full night's ingest).
import { mkdir, mkdtemp, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestExports, type IngestReport } from '../../src/ingest/index.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ingest');

describe('unchanged export files', { timeout: 180_000 }, () => {
  let wh: Warehouse;
  let dir: string;
  let file: string;
  let messages: string[];
  beforeEach(async () => {
    wh = await openTestWarehouse();
    dir = await mkdtemp(join(tmpdir(), 'recon-unchanged-'));
    await mkdir(join(dir, 'exports'));
    file = join(dir, 'exports', 'ea-2026-10.csv');
    await writeFile(file, await readFile(join(FIXTURES, 'ea-real-header', 'part_0_0001.csv')));
    messages = [];
  });
  afterEach(() => {
    wh.close();
  });

  const ingest = (rehash = false): Promise<IngestReport> => {
    messages = [];
    return ingestExports(wh, [join(dir, 'exports')], { onProgress: (m) => messages.push(m), rehash });
  };
  const readLines = (): string[] => messages.filter((m) => / rows( \(|$)/.test(m));
  const notReRead = (): string[] => messages.filter((m) => m.includes('not re-read'));
  const deliveries = async (): Promise<number> =>
    Number((await wh.row<{ n: string }>('select count(*) as n from delivery'))?.n);

  it('reads no bytes of a file whose path, size and mtime match', async () => {
    const first = await ingest();
    expect(first.deliveries.map((d) => d.status)).toEqual(['ingested']);
    expect(readLines()).toHaveLength(1);

    const second = await ingest();
    expect(second.deliveries.map((d) => d.status)).toEqual(['already_ingested']);
    expect(second.deliveries[0]?.deliveryId).toBe(first.deliveries[0]?.deliveryId);
    expect(readLines()).toEqual([]);
    expect(notReRead()).toHaveLength(1);
  });

  it('hashes a touched but identical file once, then recognises it again', async () => {
    await ingest();
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);
    const touched = await ingest();
    expect(touched.deliveries.map((d) => d.status)).toEqual(['already_ingested']);
    expect(notReRead()).toEqual([]);
    expect(readLines()).toEqual([]);
    expect(messages.some((m) => m.endsWith(': already ingested'))).toBe(true);
    expect(await deliveries()).toBe(1);

    await ingest();
    expect(notReRead()).toHaveLength(1);
  });

  it('reads a changed file again, even with the same size and mtime as before', async () => {
    const first = await ingest();
    const before = await readFile(file, 'utf8');
    const { mtime } = await stat(file);
    // Same length, one digit different: size alone cannot tell them apart; the new mtime does.
    const at = before.search(/\d[^\d]*$/);
    const changed = before.slice(0, at) + (before[at] === '9' ? '8' : '9') + before.slice(at + 1);
    expect(changed).not.toBe(before);
    expect(changed.length).toBe(before.length);
    await writeFile(file, changed);
    const later = new Date(mtime.getTime() + 60_000);
    await utimes(file, later, later);
    const second = await ingest();
    expect(notReRead()).toEqual([]);
    expect(readLines()).toHaveLength(1);
    expect(second.deliveries[0]?.deliveryId).not.toBe(first.deliveries[0]?.deliveryId);
    expect(await deliveries()).toBe(2);
  });

  it('with rehash, reads a file even when its path, size and mtime match', async () => {
    await ingest();
    const again = await ingest(true);
    expect(again.deliveries.map((d) => d.status)).toEqual(['already_ingested']);
    expect(notReRead()).toEqual([]);
    expect(readLines()).toEqual([]);
    expect(messages.some((m) => m.endsWith(': already ingested'))).toBe(true);
  });
});

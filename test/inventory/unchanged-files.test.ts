// A second night over the same inventory and transactions files (issue 14): when the files given are exactly those
// of the stage's last load, with the same size and mtime, they are not read again and the warehouse holds the same
// rows as a full re-load; a touched, changed or new file makes the stage read its files again.
// "Read" is observed through the per-file progress line ("<path>: <n> records" / "<n> rows"), which only a read prints.
import { cp, mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestInventory, ingestTransactions, type InventoryOptions } from '../../src/inventory/index.ts';
import { ACCOUNT, FIXTURES, cleanup } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const TRANSACTIONS_HEADER = 'hour,billing_resource_id,api_name,count\n';

describe('unchanged inventory and transactions files', { timeout: 180_000 }, () => {
  let wh: Warehouse;
  let dir: string;
  let messages: string[];
  beforeEach(async () => {
    wh = await openTestWarehouse();
    dir = await mkdtemp(join(tmpdir(), 'recon-unchanged-inventory-'));
    messages = [];
  });
  afterEach(async () => {
    wh.close();
    await cleanup(dir);
  });

  const options = (extra: InventoryOptions = {}): InventoryOptions => {
    messages = [];
    return { onProgress: (m) => messages.push(m), ...extra };
  };
  const readLines = (): string[] => messages.filter((m) => /: \d+ (records|rows)$/.test(m));
  const notReRead = (): string[] => messages.filter((m) => m.includes('not re-read'));
  /** Everything the inventory and transactions stages write, in a comparable order. */
  const state = async (target: Warehouse = wh): Promise<unknown> => ({
    shares: await target.rows('select * from share_observation order by all'),
    accounts: await target.rows('select * from storage_account_observation order by all'),
    services: await target.rows('select * from file_service_observation order by all'),
    intervals: await target.rows('select * from share_interval order by all'),
    transactions: await target.rows('select * from transaction_count order by all'),
    quarantine: await target.rows(
      'select stage, source_file, source_line, reason, raw_text from quarantine order by all',
    ),
  });
  const inventoryFolder = async (...nights: string[]): Promise<string> => {
    const folder = join(dir, 'inventory');
    for (const night of nights) await cp(join(FIXTURES, 'az-cli', night), join(folder, night), { recursive: true });
    return folder;
  };
  const transactionsFile = async (name: string, rows: string[]): Promise<string> => {
    const path = join(dir, 'transactions', name);
    await mkdir(join(dir, 'transactions'), { recursive: true });
    await writeFile(path, TRANSACTIONS_HEADER + rows.map((r) => `${r}\n`).join(''));
    return path;
  };
  const freshState = async (load: (fresh: Warehouse) => Promise<unknown>): Promise<unknown> => {
    const fresh = await openTestWarehouse();
    try {
      await load(fresh);
      return await state(fresh);
    } finally {
      fresh.close();
    }
  };

  it('reads no inventory file on a second night over the same files, and holds the same rows', async () => {
    const folder = await inventoryFolder('2024-03-01T00-00Z', '2024-03-02T00-00Z');
    const first = await ingestInventory(wh, [folder], options());
    expect(readLines()).toHaveLength(6);
    const before = await state();

    const second = await ingestInventory(wh, [folder], options());
    expect(readLines()).toEqual([]);
    expect(notReRead()).toHaveLength(6);
    expect(await state()).toEqual(before);
    expect(second).toMatchObject({
      files: first.files,
      recordsRead: first.recordsRead,
      recordsIngested: first.recordsIngested,
      recordsQuarantined: first.recordsQuarantined,
      shareIntervals: first.shareIntervals,
      snapshotIntervals: first.snapshotIntervals,
    });
  });

  it('reads the inventory again when a file is touched, a night is added, or with rehash / exact', async () => {
    const folder = await inventoryFolder('2024-03-01T00-00Z');
    await ingestInventory(wh, [folder], options());
    expect(readLines()).toHaveLength(3);

    const later = new Date(Date.now() + 60_000);
    await utimes(join(folder, '2024-03-01T00-00Z', 'shares.json'), later, later);
    await ingestInventory(wh, [folder], options());
    expect(notReRead()).toEqual([]);
    expect(readLines()).toHaveLength(3);

    await inventoryFolder('2024-03-02T00-00Z');
    await ingestInventory(wh, [folder], options());
    expect(readLines()).toHaveLength(6);
    expect(await state()).toEqual(await freshState((fresh) => ingestInventory(fresh, [folder])));

    await ingestInventory(wh, [folder], options({ rehash: true }));
    expect(readLines()).toHaveLength(6);
    await ingestInventory(wh, [folder], options({ exact: true }));
    expect(readLines()).toHaveLength(6);
    await ingestInventory(wh, [folder], options());
    expect(readLines()).toEqual([]);
    expect(await state()).toEqual(await freshState((fresh) => ingestInventory(fresh, [folder])));
  });

  it('reads the inventory again when the files given are not those of its last load', async () => {
    const folder = await inventoryFolder('2024-03-01T00-00Z', '2024-03-02T00-00Z');
    const night1 = join(folder, '2024-03-01T00-00Z');
    await ingestInventory(wh, [folder], options());
    // A later load of one night alone: a load of both after it must read both (their records meet in one load).
    await ingestInventory(wh, [night1], options());
    expect(readLines()).toHaveLength(3);
    await ingestInventory(wh, [folder], options());
    expect(readLines()).toHaveLength(6);
    await ingestInventory(wh, [night1], options());
    expect(readLines()).toHaveLength(3);
  });

  it('reads no transactions file on a second night over the same files; a changed file is read again', async () => {
    const row = (hour: string, api: string, count: number): string =>
      `2024-03-01T${hour}:00:00Z,${ACCOUNT},${api},${count}`;
    const march1 = await transactionsFile('2024-03-01.csv', [row('00', 'PutRange', 10), row('01', 'MakeCoffee', 1)]);
    await transactionsFile('2024-03-02.csv', [row('02', 'ListFiles', 20)]);
    const folder = join(dir, 'transactions');
    const first = await ingestTransactions(wh, [folder], options());
    expect(first).toEqual({ files: 2, rowsRead: 3, rowsIngested: 2, rowsQuarantined: 1 });
    expect(readLines()).toHaveLength(2);
    const before = await state();

    const second = await ingestTransactions(wh, [folder], options());
    expect(readLines()).toEqual([]);
    expect(notReRead()).toHaveLength(2);
    expect(second).toEqual(first);
    expect(await state()).toEqual(before);

    // Same size, one digit different, a later mtime: read again, and the new count is what the warehouse holds.
    const text = await readFile(march1, 'utf8');
    await writeFile(march1, text.replace(',10\n', ',11\n'));
    const later = new Date(Date.now() + 60_000);
    await utimes(march1, later, later);
    await ingestTransactions(wh, [folder], options());
    expect(readLines()).toHaveLength(2);
    expect(await wh.rows("select transaction_count from transaction_count where api_name = 'PutRange'")).toEqual([
      { transaction_count: '11' },
    ]);
    expect(await state()).toEqual(await freshState((fresh) => ingestTransactions(fresh, [folder])));

    await ingestTransactions(wh, [folder], options({ rehash: true }));
    expect(readLines()).toHaveLength(2);
  });
});

// transactions.csv → transaction_count: each API name in its billing bucket; bad rows, unknown API names and
// repeated keys quarantined with line and reason; re-running replaces.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { ingestTransactions } from '../../src/inventory/index.ts';
import { ACCOUNT, SUB, cleanup, inputFolder, quarantined } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('transactions', () => {
  let wh: Warehouse;
  const folders: string[] = [];
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(async () => {
    wh.close();
    for (const folder of folders.splice(0)) await cleanup(folder);
  });
  async function folderOf(files: Record<string, string>): Promise<string> {
    const folder = await inputFolder(files);
    folders.push(folder);
    return folder;
  }

  it('gives its staging memory back: no temporary table of the load is left', async () => {
    const folder = await folderOf({
      'transactions.csv': `Hour,Billing_Resource_Id,API_Name,Count\n2024-03-01T00:00:00Z,${ACCOUNT},Read,3\n`,
    });
    expect(await ingestTransactions(wh, [folder])).toMatchObject({ rowsIngested: 1 });
    // the staged text and the typed records stayed for the whole run before: 1.16M rows each in the bench night,
    // spilled to the temporary folder while every later stage ran
    expect(
      await wh.rows("select table_name from duckdb_tables() where temporary and table_name like 'inventory%'"),
    ).toEqual([]);
  });

  it('buckets API names case-insensitively and quarantines what it cannot bucket', async () => {
    const upper = ACCOUNT.replace('sav2ssd', 'SAV2SSD');
    const folder = await folderOf({
      'march/transactions.csv':
        '\uFEFFHour,Billing_Resource_Id,API_Name,Count\n' +
        `2024-03-01T00:00:00Z,${upper},PutRange,123456\n` +
        `2024-03-01T00:00:00Z,${ACCOUNT},listfiles,20000\n` +
        `2024-03-01T00:00Z,${ACCOUNT},GetFileProperties,5\n` +
        `2024-03-01T01:00:00Z,${ACCOUNT},DeleteFile,7\n` +
        `2024-03-01T01:00:00Z,${ACCOUNT},TreeConnect,0\n` +
        `2024-03-01T01:00:00Z,${ACCOUNT},MakeCoffee,3\n` +
        `2024-03-01T01:30:00Z,${ACCOUNT},Read,3\n` +
        `2024-03-01T02:00:00Z,${ACCOUNT},Read,-3\n` +
        `2024-03-01T02:00:00Z,${SUB}/providers/microsoft.fileshares/fileshares/x,Read,3\n` +
        `2024-03-01T00:00:00Z,${ACCOUNT},putrange,1\n` +
        `2024-03-01T03:00:00Z,${ACCOUNT},Write,\n`,
    });
    const report = await ingestTransactions(wh, [folder]);
    expect(report).toEqual({ files: 1, rowsRead: 11, rowsIngested: 5, rowsQuarantined: 6 });
    expect(
      await wh.rows(
        `select usage_hour, billing_resource_id = $account as is_account, api_name, bucket, transaction_count, source_line
         from transaction_count order by usage_hour, api_name`,
        { account: ACCOUNT },
      ),
    ).toEqual([
      {
        usage_hour: '2024-03-01 00:00:00',
        is_account: true,
        api_name: 'GetFileProperties',
        bucket: 'read',
        transaction_count: '5',
        source_line: '4',
      },
      {
        usage_hour: '2024-03-01 00:00:00',
        is_account: true,
        api_name: 'ListFiles',
        bucket: 'list',
        transaction_count: '20000',
        source_line: '3',
      },
      {
        usage_hour: '2024-03-01 00:00:00',
        is_account: true,
        api_name: 'PutRange',
        bucket: 'write',
        transaction_count: '123456',
        source_line: '2',
      },
      {
        usage_hour: '2024-03-01 01:00:00',
        is_account: true,
        api_name: 'DeleteFile',
        bucket: 'delete',
        transaction_count: '7',
        source_line: '5',
      },
      {
        usage_hour: '2024-03-01 01:00:00',
        is_account: true,
        api_name: 'TreeConnect',
        bucket: 'other',
        transaction_count: '0',
        source_line: '6',
      },
    ]);
    expect(await quarantined(wh)).toEqual(
      [
        [7, "unknown API name 'MakeCoffee' (not in the transaction category table)"],
        [8, "hour '2024-03-01T01:30:00Z' is not the start of an hour"],
        [9, 'count is negative (-3)'],
        [10, `billing_resource_id '${SUB}/providers/microsoft.fileshares/fileshares/x' is not a storage account id`],
        [11, `duplicate of ${folder}/march/transactions.csv line 2 (same billing_resource_id, hour and api_name)`],
        [12, 'count is missing'],
      ].map(([line, reason]) => ({ stage: 'transactions', file: 'transactions.csv', line: String(line), reason })),
    );
    // idempotent: the same file again replaces its rows and quarantine entries
    expect(await ingestTransactions(wh, [folder])).toEqual(report);
    expect(
      await wh.row(
        `select (select count(*) from transaction_count)::integer as counted,
                (select count(*) from quarantine)::integer as quarantined`,
      ),
    ).toEqual({ counted: 5, quarantined: 6 });
  });

  it('refuses a file that is not transactions.csv', async () => {
    const folder = await folderOf({
      'share_state.csv': 'observed_at,share_resource_id,billing_model,media_tier,redundancy\n',
    });
    const failure = ingestTransactions(wh, [folder]);
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow(/share_state\.csv: a share_state\.csv inventory file, not transactions\.csv/);
  });
});

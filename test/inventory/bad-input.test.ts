// Bad inventory never becomes a silent zero: file-level problems are InputErrors naming the file, record-level
// ones are quarantined with file, line (or item index), reason and raw text, and the rest of the file goes on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { ingestInventory } from '../../src/inventory/index.ts';
import { ACCOUNT, SUB, cleanup, inputFolder, quarantined, shareId, shareStateCsv } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const SHARE = shareId('finance');
const ACCOUNT_ITEM = { id: ACCOUNT, type: 'Microsoft.Storage/storageAccounts', sku: { name: 'PremiumV2_LRS' } };
const share = (extra: Record<string, unknown>): Record<string, unknown> => ({
  id: SHARE,
  name: 'finance',
  type: 'Microsoft.Storage/storageAccounts/fileServices/shares',
  shareQuota: 100,
  ...extra,
});

describe('bad inventory input', () => {
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
  async function ingest(files: Record<string, string>): ReturnType<typeof ingestInventory> {
    return ingestInventory(wh, [await folderOf(files)]);
  }

  it('quarantines bad share_state.csv rows with their physical line and every problem, and keeps the good ones', async () => {
    const csv = shareStateCsv([
      `2024-03-01T00:00:00Z,${SHARE},v2,ssd,lrs,smb,,1024,,,0,,,false,,`,
      `yesterday,${SHARE},v2,ssd,lrs,smb,,1024,,,0,,,false,,`,
      '',
      `2024-03-01T00:00:00Z,${SUB}/providers/microsoft.storage/storageaccounts/sa/shares/x,v2,ssd,lrs,smb,,1,,,0,,,false,,`,
      `2024-03-01T00:00:00Z,"${shareId('multi')}",v2,ssd,lrs,smb,"a`,
      `b",-5,,,1.5,,,false,,`,
      `2024-03-01T00:00:00Z,${shareId('gone')},v2,ssd,lrs,smb,,100,,,0,,,true,,`,
      `2024-03-01T00:00:00Z,${shareId('v3')},v3,tape,ragrs,cifs,,100,,,0,,,maybe,,`,
      `2024-03-01T00:00:00Z,${shareId('late')},payg,hdd,lrs,smb,hot,100,,,0,,,true,2024-03-02T00:00:00Z,7`,
      `2024-03-01T00:00:00Z,${shareId('live')},payg,hdd,lrs,smb,hot,100,,,0,,,false,2024-02-01T00:00:00Z,`,
    ]);
    const report = await ingest({ 'share_state.csv': csv });
    expect(report).toMatchObject({ recordsRead: 8, recordsIngested: 1, recordsQuarantined: 7, shares: 1 });
    expect(await quarantined(wh)).toEqual([
      {
        stage: 'inventory',
        file: 'share_state.csv',
        line: '3',
        reason: "observed_at 'yesterday' is not an ISO-8601 timestamp",
      },
      {
        stage: 'inventory',
        file: 'share_state.csv',
        line: '5', // line 4 is blank
        reason: `share id '${SUB}/providers/microsoft.storage/storageaccounts/sa/shares/x' is not an ARM file share id`,
      },
      {
        stage: 'inventory',
        file: 'share_state.csv',
        line: '6', // the quoted line break puts the next row on line 8
        reason:
          "access_tier 'a\nb' is not transaction_optimized, hot, cool or premium; provisioned_gib is negative (-5); " +
          "used_bytes '1.5' is not an integer",
      },
      { stage: 'inventory', file: 'share_state.csv', line: '8', reason: 'the share is deleted but has no deleted_at' },
      {
        stage: 'inventory',
        file: 'share_state.csv',
        line: '9',
        reason:
          "billing_model 'v3' is not v1, v2 or payg; media_tier 'tape' is not ssd or hdd; protocol 'cifs' is not smb " +
          "or nfs; is_deleted 'maybe' is not true or false",
      },
      {
        stage: 'inventory',
        file: 'share_state.csv',
        line: '10',
        reason: 'deleted_at 2024-03-02T00:00:00Z is after observed_at 2024-03-01T00:00:00Z',
      },
      {
        stage: 'inventory',
        file: 'share_state.csv',
        line: '11',
        reason: 'deleted_at is given but the share is not deleted',
      },
    ]);
    const raw = await wh.row<{ raw_text: string }>('select raw_text from quarantine where source_line = 3');
    expect(raw?.raw_text).toBe(`yesterday,${SHARE},v2,ssd,lrs,smb,,1024,,,0,,,false,,`);
  });

  it('quarantines bad JSON items by 1-based item index with the raw item, and reads the rest', async () => {
    const otherAccount = `${SUB}/providers/microsoft.storage/storageaccounts/saunknown`;
    const items = [
      ACCOUNT_ITEM,
      {
        id: `${SUB}/providers/Microsoft.Storage/storageAccounts/sagrs`,
        type: 'Microsoft.Storage/storageAccounts',
        sku: { name: 'Premium_GRS' },
      },
      share({ shareUsageBytes: 1024 }),
      share({ id: `${otherAccount}/fileServices/default/shares/orphan`, name: 'orphan' }),
      share({ id: 'finance', name: 'finance' }),
      share({ id: shareId('negative'), name: 'negative', shareQuota: -1, provisionedIops: 12.5 }),
      share({ id: shareId('nodate'), name: 'nodate', deleted: true, remainingRetentionDays: 3 }),
      { id: `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet1`, type: 'Microsoft.Network/virtualNetworks' },
      'just a string',
      {
        id: `${SUB}/providers/Microsoft.Compute/snapshots/full1`,
        type: 'Microsoft.Compute/snapshots',
        sku: { name: 'Standard_LRS' },
        incremental: false,
      },
      {
        id: `${SUB}/providers/Microsoft.Compute/snapshots/ultra1`,
        type: 'Microsoft.Compute/snapshots',
        sku: { name: 'UltraSSD_LRS' },
        incremental: true,
        diskSizeBytes: -4,
      },
    ];
    const report = await ingest({ '2024-03-01T00-00Z/inventory.json': JSON.stringify(items, null, 2) });
    expect(report).toMatchObject({
      recordsRead: 11,
      recordsIngested: 2,
      recordsQuarantined: 9,
      accounts: 1,
      shares: 1,
      snapshots: 0,
    });
    expect(await quarantined(wh)).toEqual(
      [
        [2, "unknown storage account SKU 'Premium_GRS'"],
        [
          4,
          `storage account '${otherAccount}' has no observation in the inventory (add its az storage account list output)`,
        ],
        [5, "share id 'finance' is not an ARM file share id"],
        [6, "provisioned_gib is negative (-1); provisioned_iops '12.5' is not an integer"],
        [7, 'the share is deleted but has no deleted_at'],
        [
          8,
          "unrecognised item type 'Microsoft.Network/virtualNetworks' (expected storage accounts, file services, file " +
            'shares or disk snapshots)',
        ],
        [9, 'item is a JSON string, not an object'],
        [10, 'full (not incremental) snapshot: only incremental snapshots are reconciled'],
        [11, "unknown snapshot SKU 'UltraSSD_LRS'; diskSizeBytes is negative (-4)"],
      ].map(([line, reason]) => ({ stage: 'inventory', file: 'inventory.json', line: String(line), reason })),
    );
    const raw = await wh.row<{ raw_text: string }>('select raw_text from quarantine where source_line = 5');
    expect(JSON.parse(raw?.raw_text ?? '')).toEqual(share({ id: 'finance', name: 'finance' }));
  });

  it('refuses files it cannot read or place, naming the file', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ '2024-03-01/a.json': '[{"id": "x",]' }, /a\.json: not valid JSON \(.+\)/],
      [{ '2024-03-01/empty.json': '' }, /empty\.json: not valid JSON \(the file is empty\)/],
      [
        { 'undated/shares.json': JSON.stringify([share({})]) },
        /undated\/shares\.json: no observation time: wrap the items as \{"observedAt"/,
      ],
      [
        { 'x.json': JSON.stringify({ observedAt: 'last tuesday', value: [] }) },
        /x\.json: observedAt 'last tuesday' is not an ISO-8601 timestamp/,
      ],
      [{ '2024-03-01/n.json': '42' }, /n\.json: the document is a JSON number; expected an array/],
      [{ '2024-03-01/v.json': '{"value": {"id": 1}}' }, /v\.json: its "value" \/ "items" member is not an array/],
      [{ 'costs.csv': 'Date,Cost\n2024-03-01,1\n' }, /costs\.csv: not a recognised inventory CSV/],
      [
        { 'share_state.csv': 'observed_at,share_resource_id,billing_model,media_tier\n' },
        /share_state\.csv: the header has no redundancy column/,
      ],
      [
        { 'undated/share_state.csv': 'share_resource_id,billing_model,media_tier,redundancy\n' },
        /undated\/share_state\.csv: no observation time: the header has no observed_at column/,
      ],
      [
        {
          'share_state.csv':
            'observed_at,share_resource_id,billing_model,media_tier,redundancy\n2024-03-01,a,b,c,d,e\n',
        },
        /share_state\.csv: not a readable CSV: CSV Error on Line: 2 .*Expected Number of Columns: 5 Found: 6/,
      ],
      [
        { 'transactions.csv': 'hour,billing_resource_id,api_name,count\n' },
        /transactions\.csv: a transactions\.csv file, not inventory; pass it with --transactions/,
      ],
    ];
    for (const [files, message] of cases) {
      const failure = ingest(files);
      await expect(failure).rejects.toBeInstanceOf(InputError);
      await expect(failure).rejects.toThrow(message);
    }
    // nothing was written by the failed runs
    expect(await wh.row('select count(*)::integer as n from share_observation')).toEqual({ n: 0 });
  });

  it('refuses UTF-16 JSON (PowerShell redirection) and paths that do not exist', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[]', 'utf16le')]).toString('latin1');
    const folder = await folderOf({});
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${folder}/2024-03-01.json`, Buffer.from(utf16, 'latin1'));
    await expect(ingestInventory(wh, [folder])).rejects.toThrow(
      /2024-03-01\.json: the file is UTF-16; save it as UTF-8/,
    );
    await expect(ingestInventory(wh, [`${folder}/missing`])).rejects.toThrow(
      /inventory input .*missing: cannot read it/,
    );
  });
});

// Bad inventory and transactions input (issue 7): every fixture under test/fixtures/robustness/inventory/ either
// stops the run with an InputError naming the file (and line or item) and the problem, or quarantines each bad
// record with its reason and counts it, while the good records around it are still read. Never a crash, never a
// silent drop. Extends test/inventory/bad-input.test.ts; the real CLI proves the exit codes and summary.json.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { ingestInventory, ingestTransactions } from '../../src/inventory/index.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, workDir } from '../e2e/helpers.ts';
import { quarantined } from '../inventory/helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'robustness', 'inventory');
const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-files';
const account = (name: string): string => `${SUB}/providers/microsoft.storage/storageaccounts/${name}`;
const share = (name: string, accountName = 'sav2ssd'): string =>
  `${account(accountName)}/fileservices/default/shares/${name}`;

/** Quarantine rows as [file, line, reason] for compact expectations. */
async function reasons(wh: Warehouse): Promise<[string, number, string][]> {
  return (await quarantined(wh)).map((row) => [String(row.file), Number(row.line), String(row.reason)]);
}

/** An ingest that must fail with an InputError whose message matches; nothing may have been written. */
async function expectInputError(wh: Warehouse, run: Promise<unknown>, message: RegExp): Promise<void> {
  await expect(run).rejects.toBeInstanceOf(InputError);
  await expect(run).rejects.toThrow(message);
  expect(
    await wh.row(
      `select (select count(*) from share_observation)::integer as shares,
              (select count(*) from storage_account_observation)::integer as accounts,
              (select count(*) from disk_snapshot_observation)::integer as snapshots,
              (select count(*) from transaction_count)::integer as transactions,
              (select count(*) from quarantine)::integer as quarantined`,
    ),
  ).toEqual({ shares: 0, accounts: 0, snapshots: 0, transactions: 0, quarantined: 0 });
}

describe('bad inventory input (fixtures)', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  it('JSON truncated mid-document: an InputError with the parser reason, nothing written', async () => {
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('truncated-json')]),
      /truncated-json\/2024-03-01T00-00Z\/shares\.json: not valid JSON \(Unexpected end of JSON input\)$/,
    );
  });

  it('JSON saved in Windows-1252, not UTF-8: an InputError naming the line, not an internal error', async () => {
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('windows-1252-json')]),
      /windows-1252-json\/2024-03-01T00-00Z\/shares\.json: not UTF-8 text \(line 23\): save it as UTF-8 \(PowerShell: \| Out-File -Encoding utf8\)$/,
    );
  });

  it('JSON with wrong types: each bad item quarantined by its 1-based index, the good ones read', async () => {
    const report = await ingestInventory(wh, [fixture('wrong-types')]);
    expect(report).toMatchObject({
      recordsRead: 10,
      recordsIngested: 2,
      recordsQuarantined: 8,
      accounts: 1,
      shares: 1,
    });
    expect(await reasons(wh)).toEqual(
      [
        [2, "provisioned_gib '1024GiB' is not an integer"],
        [3, 'provisioned_gib \'{"value":1024,"unit":"GiB"}\' is not an integer'],
        [4, 'properties is a JSON null, not an object'],
        [5, 'properties is a JSON array, not an object'],
        [6, 'sku is a JSON string, not an object'],
        [7, "is_deleted 'yes' is not true or false"],
        [8, 'item is a JSON array, not an object'],
        [9, "incremental 'no' is not true or false"],
      ].map(([line, reason]) => ['inventory.json', line, reason]),
    );
    expect(await wh.rows('select share_resource_id, provisioned_gib, source_kind from share_observation')).toEqual([
      { share_resource_id: share('fine'), provisioned_gib: '2048', source_kind: 'arm_share' },
    ]);
  });

  it('unknown SKU, access tier, media and redundancy: quarantined with the value as given, never defaulted', async () => {
    const report = await ingestInventory(wh, [fixture('unknown-enums')]);
    expect(report).toMatchObject({ files: 4, recordsRead: 7, recordsIngested: 2, recordsQuarantined: 5, shares: 1 });
    expect(await reasons(wh)).toEqual([
      [
        'fileshares.json',
        1,
        "media_tier 'Tape' is not ssd or hdd; redundancy 'Premium_XRS' is not lrs, zrs, grs or gzrs",
      ],
      [
        'shares.json',
        1,
        `storage account '${account('saxrs')}' was quarantined (unknown storage account SKU 'Premium_XRS'), so the ` +
          "share's billing model, media and redundancy are unknown",
      ],
      ['shares.json', 2, "access_tier 'UltraHot' is not transaction_optimized, hot, cool or premium"],
      ['snapshots.json', 1, "unknown snapshot SKU 'Premium_XRS'"],
      ['storage-accounts.json', 1, "unknown storage account SKU 'Premium_XRS'"],
    ]);
    expect(await wh.rows('select share_resource_id, billing_model, access_tier from share_observation')).toEqual([
      { share_resource_id: share('hot', 'sapayg'), billing_model: 'payg', access_tier: 'hot' },
    ]);
  });

  it('missing required fields: no id, no observation time, no billing model; each named', async () => {
    const report = await ingestInventory(wh, [fixture('missing-fields')]);
    expect(report).toMatchObject({ recordsRead: 10, recordsIngested: 2, recordsQuarantined: 8 });
    expect(await reasons(wh)).toEqual([
      ['inventory.json', 2, 'storage account id is missing'],
      ['inventory.json', 3, 'share id is missing'],
      ['inventory.json', 4, 'snapshot id is missing'],
      ['inventory.json', 5, 'file service id is missing'],
      ['inventory.json', 6, 'shareDeleteRetentionPolicy.days is missing'],
      // the CSV's folder carries no timestamp, so a blank observed_at has nothing to fall back on
      ['share_state.csv', 2, 'observed_at is missing'],
      ['share_state.csv', 3, 'share id is missing'],
      ['share_state.csv', 4, 'billing_model is missing; media_tier is missing; redundancy is missing'],
    ]);
  });

  it('impossible timestamps: not ISO, or placeholders outside 2000–2099 (infinity, epoch, 0001-01-01, 9999-12-31)', async () => {
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('impossible-times', 'wrapper')]),
      /wrapper\/inventory\.json: observedAt 'infinity' is not a plausible time \(years 2000 to 2099\)$/,
    );
    const report = await ingestInventory(wh, [
      fixture('impossible-times', 'items'),
      fixture('impossible-times', 'share_state.csv'),
      fixture('impossible-times', 'deleted_share_state.csv'),
    ]);
    expect(report).toMatchObject({ recordsRead: 14, recordsIngested: 4, recordsQuarantined: 10 });
    expect(await reasons(wh)).toEqual([
      // the distance to the account's nearest file-service observation overflowed BIGINT
      [
        'deleted_share_state.csv',
        2,
        "observed_at '290308-12-31 (BC)' is not a plausible time (years 2000 to 2099); deleted_at '290308-12-31 (BC)' " +
          'is not a plausible time (years 2000 to 2099)',
      ],
      ['inventory.json', 2, "deleted_at '0001-01-01T00:00:00Z' is not a plausible time (years 2000 to 2099)"],
      ['inventory.json', 3, "deleted_at '2024-02-30T08:00:00Z' is not an ISO-8601 timestamp"],
      ['inventory.json', 4, "nextAllowedQuotaDowngradeTime 'infinity' is not a plausible time (years 2000 to 2099)"],
      ['inventory.json', 5, "created_at '9999-12-31T23:59:59.9999999Z' is not a plausible time (years 2000 to 2099)"],
      // DuckDB parses it; the days since that deletion overflowed BIGINT
      ['inventory.json', 6, "deleted_at '290308-12-31 (BC)' is not a plausible time (years 2000 to 2099)"],
      ['share_state.csv', 2, "observed_at 'epoch' is not a plausible time (years 2000 to 2099)"],
      ['share_state.csv', 3, "observed_at '2024-13-01T00:00:00Z' is not an ISO-8601 timestamp"],
      ['share_state.csv', 4, "observed_at '2024-03-01T25:00:00Z' is not an ISO-8601 timestamp"],
      ['share_state.csv', 5, "observed_at '-infinity' is not a plausible time (years 2000 to 2099)"],
    ]);
    // ISO-8601 allows 24:00:00 for the end of a day: it is the next midnight
    expect(
      await wh.rows('select share_resource_id, observed_at from share_observation order by share_resource_id'),
    ).toEqual([
      { share_resource_id: share('end-of-day'), observed_at: '2024-03-02 00:00:00' },
      { share_resource_id: share('fine'), observed_at: '2024-03-01 00:00:00' },
    ]);
  });

  it('negative and absurd sizes: quarantined; over an Azure limit but plausible is kept for the provisioning checks', async () => {
    const report = await ingestInventory(wh, [fixture('absurd-sizes')]);
    expect(report).toMatchObject({ recordsRead: 8, recordsIngested: 2, recordsQuarantined: 6, shareIntervals: 1 });
    expect(await reasons(wh)).toEqual([
      ['file-service.json', 1, 'shareDeleteRetentionPolicy.days 3000000000 is implausibly large (more than 365)'],
      ['shares.json', 2, 'remainingRetentionDays 9223372036854775807 is implausibly large (more than 365)'],
      ['share_state.csv', 2, 'provisioned_gib is negative (-5)'],
      [
        'share_state.csv',
        3,
        'used_bytes 1000000000000000000000000000000 is implausibly large (more than 9223372036854775807)',
      ],
      ['share_state.csv', 4, 'provisioned_gib 9223372036854775807 is implausibly large (more than 1073741824)'],
      ['share_state.csv', 5, 'retention_days 3000000000 is implausibly large (more than 365)'],
    ]);
    // 300,000 GiB is over Azure's 262,144 GiB share maximum: a provisioning violation to report, not bad input
    expect(
      await wh.rows('select share_resource_id, provisioned_gib, provisioned_iops, is_iops_default from share_interval'),
    ).toEqual([
      {
        share_resource_id: share('over-azure-max'),
        provisioned_gib: '300000',
        provisioned_iops: '102400',
        is_iops_default: true,
      },
    ]);
  });

  it('the same share at the same instant twice in one file: the repeat is quarantined; soft-deleted versions stay apart', async () => {
    const report = await ingestInventory(wh, [fixture('conflicting-duplicates')]);
    expect(report).toMatchObject({ recordsRead: 7, recordsIngested: 5, recordsQuarantined: 2, shares: 4 });
    expect(await reasons(wh)).toEqual([
      ['shares.json', 3, 'duplicate of item 2 (same share_resource_id and observed_at)'],
      ['share_state.csv', 3, 'duplicate of line 2 (same share_resource_id and observed_at)'],
    ]);
    // two soft-deleted versions of scratch in one listing: the latest deletion continues the share's history,
    // the older one keeps its versioned id; both are billed
    expect(
      await wh.rows(
        `select share_resource_id, observed_at, provisioned_gib, is_deleted, deleted_at, retention_days
         from share_observation order by share_resource_id`,
      ),
    ).toEqual([
      {
        share_resource_id: share('finance'),
        observed_at: '2024-03-01 00:00:00',
        provisioned_gib: '1024',
        is_deleted: false,
        deleted_at: null,
        retention_days: null,
      },
      {
        share_resource_id: share('ledger'),
        observed_at: '2024-03-02 00:00:00',
        provisioned_gib: '1024',
        is_deleted: false,
        deleted_at: null,
        retention_days: null,
      },
      {
        share_resource_id: share('scratch'),
        observed_at: '2024-03-01 00:00:00',
        provisioned_gib: '200',
        is_deleted: true,
        deleted_at: '2024-02-28 00:00:00',
        retention_days: 7,
      },
      {
        share_resource_id: share('scratch_01da1111'),
        observed_at: '2024-03-01 00:00:00',
        provisioned_gib: '100',
        is_deleted: true,
        deleted_at: '2024-02-20 00:00:00',
        retention_days: 11,
      },
    ]);
  });

  it('canonical CSV: a missing required column, an empty file, a wrong delimiter, too many fields and an unterminated quote stop the run', async () => {
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('csv-missing-column')]),
      /csv-missing-column\/disk_snapshot\.csv: the header has no redundancy column$/,
    );
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('csv-empty')]),
      /csv-empty\/2024-03-01T00-00Z\/share_state\.csv: the file is empty$/,
    );
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('csv-semicolon')]),
      /csv-semicolon\/share_state\.csv: the header is separated by ';', not commas: canonical inventory CSVs are comma-separated$/,
    );
    // header line 1, a quoted line break on lines 2–3, a blank line 4: the surplus field is on physical line 5
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('csv-too-many-fields')]),
      /csv-too-many-fields\/share_state\.csv: not a readable CSV: CSV Error on Line: 5 Original Line: \S+\/shares\/b,v2,ssd,lrs,,surplus Expected Number of Columns: 6 Found: 7$/,
    );
    await expectInputError(
      wh,
      ingestInventory(wh, [fixture('csv-unterminated-quote')]),
      /csv-unterminated-quote\/share_state\.csv: not a readable CSV: the line scan found 2 data records but DuckDB read 1; check the file's quoting \(an unterminated quote\?\)$/,
    );
  });

  it('canonical CSV: unknown extra columns (one without a name) are ignored', async () => {
    const report = await ingestInventory(wh, [fixture('csv-extra-columns')]);
    expect(report).toMatchObject({ recordsRead: 1, recordsIngested: 1, recordsQuarantined: 0 });
    expect(await wh.rows('select share_resource_id, provisioned_gib from share_observation')).toEqual([
      { share_resource_id: share('finance'), provisioned_gib: '1024' },
    ]);
  });

  it('canonical CSV with a BOM and CRLF line ends: read, with physical lines and CR-free raw text', async () => {
    const report = await ingestInventory(wh, [fixture('csv-crlf-bom', 'disk_snapshot.csv')]);
    expect(report).toMatchObject({ recordsRead: 2, recordsIngested: 1, recordsQuarantined: 1, snapshots: 1 });
    expect(
      await wh.rows(
        'select snapshot_resource_id, source_disk_id, redundancy, used_bytes from disk_snapshot_observation',
      ),
    ).toEqual([
      {
        snapshot_resource_id: `${SUB}/providers/microsoft.compute/snapshots/s1`,
        source_disk_id: `${SUB}/providers/microsoft.compute/disks/d1`,
        redundancy: 'zrs',
        used_bytes: '10737418240',
      },
    ]);
    // line 3 is blank
    expect(await wh.rows('select source_line, reason, raw_text from quarantine')).toEqual([
      {
        source_line: '4',
        reason: "used_bytes '12.5' is not an integer",
        raw_text: `2024-03-01T00:00:00Z,${SUB.replace('resourcegroups', 'resourceGroups')}/providers/Microsoft.Compute/snapshots/s2,,lrs,12.5,2024-02-29T22:00:00Z,`,
      },
    ]);
    const transactions = await ingestTransactions(wh, [fixture('csv-crlf-bom', 'transactions')]);
    expect(transactions).toEqual({ files: 1, rowsRead: 2, rowsIngested: 1, rowsQuarantined: 1 });
    expect(await wh.rows('select api_name, bucket, transaction_count, source_line from transaction_count')).toEqual([
      { api_name: 'PutRange', bucket: 'write', transaction_count: '1200', source_line: '2' },
    ]);
  });

  it('transactions: an API with no category and bad counts are counted and quarantined; unbilled deletes are kept', async () => {
    const report = await ingestTransactions(wh, [fixture('transactions-bad')]);
    expect(report).toEqual({ files: 1, rowsRead: 9, rowsIngested: 3, rowsQuarantined: 6 });
    expect(await reasons(wh)).toEqual(
      [
        [2, "unknown API name 'FrobnicateFile' (not in the transaction category table)"],
        [5, 'count is negative (-2)'],
        [6, "count '12.5' is not an integer"],
        [7, "count '1e3' is not an integer"],
        [8, 'count 1000000000000000000000000000000 is implausibly large (more than 1000000000000)'],
        [9, "hour 'infinity' is not a plausible time (years 2000 to 2099)"],
      ].map(([line, reason]) => ['transactions.csv', line, reason]),
    );
    // DeleteFile and ClearRange are in the category table (delete: billed on payg.delete_ops): kept, not dropped
    expect(
      await wh.rows('select api_name, bucket, transaction_count from transaction_count order by source_line'),
    ).toEqual([
      { api_name: 'DeleteFile', bucket: 'delete', transaction_count: '7' },
      { api_name: 'ClearRange', bucket: 'delete', transaction_count: '3' },
      { api_name: 'Read', bucket: 'read', transaction_count: '5' },
    ]);
  });

  it('an inventory or transactions folder with no data files is an InputError, not an empty inventory', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'recon-empty-'));
    try {
      await expectInputError(
        wh,
        ingestInventory(wh, [fixture('empty-folder')]),
        /inventory input .*\/empty-folder: the folder holds no \.json or \.csv files$/,
      );
      await expectInputError(
        wh,
        ingestInventory(wh, [fixture('vm-list'), empty]),
        /inventory input .*recon-empty-\w+: the folder holds no \.json or \.csv files$/,
      );
      await expectInputError(
        wh,
        ingestTransactions(wh, [empty]),
        /transactions input .*recon-empty-\w+: the folder holds no \.csv files$/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('JSON of another resource type, or an Azure error body saved as output: every item quarantined and counted', async () => {
    const report = await ingestInventory(wh, [fixture('vm-list'), fixture('azure-error')]);
    expect(report).toMatchObject({ files: 2, recordsRead: 3, recordsIngested: 0, recordsQuarantined: 3 });
    const vm =
      "unrecognised item type 'Microsoft.Compute/virtualMachines' (expected storage accounts, file services, file shares or disk snapshots)";
    expect(await reasons(wh)).toEqual([
      [
        'fileshares.json',
        1,
        "the item is an Azure error response (AuthorizationFailed: The client 'collector@contoso.com' does not " +
          "have authorization to perform action 'Microsoft.FileShares/fileShares/read'.), not a resource",
      ],
      ['vms.json', 1, vm],
      ['vms.json', 2, vm],
    ]);
  });
});

describe('bad inventory input through the recon CLI', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  async function run(args: string[]): Promise<{ code: number; stderr: string; summary?: RunSummary }> {
    const dir = await workDir();
    dirs.push(dir);
    const result = await recon(['run', 'nightly', '--quiet', ...args], dir);
    const summary =
      result.code === 2
        ? undefined
        : (JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8')) as RunSummary);
    return { code: result.code, stderr: result.stderr, summary };
  }

  it('truncated JSON: exit 2, one clear line on stderr, no stack trace', async () => {
    const { code, stderr } = await run(['--inventory', fixture('truncated-json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^recon: error: \S+\/truncated-json\/2024-03-01T00-00Z\/shares\.json: not valid JSON \(Unexpected end of JSON input\)\n$/,
    );
    expect(stderr).not.toContain('    at ');
  });

  it('a VM list and unknown transaction APIs: exit 0, the quarantined records counted in summary.json', async () => {
    const { code, stderr, summary } = await run([
      '--inventory',
      fixture('vm-list'),
      '--transactions',
      fixture('transactions-bad'),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(summary?.status).toBe('succeeded');
    expect(summary?.inputs).toMatchObject({
      inventory_files: 1,
      inventory_records_read: 2,
      inventory_records_quarantined: 2,
      transaction_rows_read: 9,
      transaction_rows_quarantined: 6,
    });
  });

  it('a v2 share with a BIGINT-sized quota: quarantined and counted (it used to crash the interval builder)', async () => {
    const { code, stderr, summary } = await run(['--inventory', fixture('cli-absurd-quota')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(summary?.inputs).toMatchObject({ inventory_records_read: 3, inventory_records_quarantined: 1 });
  });
});

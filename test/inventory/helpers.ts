// Shared helpers for the inventory tests: throw-away input folders, and the interval / quarantine rows in a
// comparable shape. (The warehouse: openTestWarehouse in test/helpers/warehouse.ts.)
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from '../../src/db/warehouse.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'inventory');

export const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-files';
export const ACCOUNT = `${SUB}/providers/microsoft.storage/storageaccounts/sav2ssd`;
export const shareId = (name: string, account = ACCOUNT): string => `${account}/fileservices/default/shares/${name}`;

/** A fresh temp folder with the given files (relative path → text). Remove it with `cleanup`. */
export async function inputFolder(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'recon-inventory-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

export async function cleanup(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

export const SHARE_STATE_HEADER =
  'observed_at,share_resource_id,billing_model,media_tier,redundancy,protocol,access_tier,provisioned_gib,' +
  'provisioned_iops,provisioned_mibps,used_bytes,snapshot_differential_bytes,metadata_bytes,is_deleted,deleted_at,' +
  'retention_days';

/** share_state.csv text from rows given as the columns after share_resource_id. */
export function shareStateCsv(rows: readonly string[]): string {
  return [SHARE_STATE_HEADER, ...rows].join('\n') + '\n';
}

export type Row = Record<string, unknown>;

/** share_interval rows, ordered by id, without where they were read from (that differs between equivalent inputs). */
export async function shareIntervals(wh: Warehouse): Promise<Row[]> {
  return wh.rows('select * exclude (source_file, source_line) from share_interval order by share_interval_id');
}

export async function snapshotIntervals(wh: Warehouse): Promise<Row[]> {
  return wh.rows(
    'select * exclude (source_file, source_line) from disk_snapshot_interval order by snapshot_interval_id',
  );
}

/** The few interval columns a timeline test is about. */
export async function timeline(wh: Warehouse, share?: string): Promise<Row[]> {
  return wh.rows(
    `select state, valid_from, valid_to, covered_to, ends_by, provisioned_gib
     from share_interval where $share::varchar is null or share_resource_id = $share order by valid_from`,
    { share: share ?? null },
  );
}

export async function quarantined(wh: Warehouse): Promise<Row[]> {
  return wh.rows(
    `select stage, regexp_extract(source_file, '[^/]+$') as file, source_line as line, reason
     from quarantine order by source_file, source_line`,
  );
}

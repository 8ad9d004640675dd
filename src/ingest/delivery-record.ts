// The warehouse's record of deliveries as the ingest reads it back: a stored delivery and its summary, which delivery a
// path holds now (delivery_source), and files recognised as already ingested by path, size and mtime.
import type { Row, Warehouse } from '../db/warehouse.ts';
import type { Dialect } from './dialects.ts';
import { fileStamp } from './file-ingest.ts';

export const STAGE = 'ingest';

export interface DeliverySummary {
  deliveryId: string;
  exportScope: string;
  billingMonth: string;
  dialect: 'ea' | 'mca' | 'focus';
  sourcePath: string;
  files: number;
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
  isComplete: boolean;
  incompleteReason: string | null;
  status: 'ingested' | 'already_ingested';
}

export interface StoredDelivery extends Row {
  delivery_id: string;
  export_scope: string;
  billing_month: string;
  dialect: Dialect;
  source_path: string;
  file_count: number;
  rows_read: string;
  rows_ingested: string;
  rows_quarantined: string;
  is_complete: boolean;
  incomplete_reason: string | null;
}

export function summaryOf(row: StoredDelivery, status: DeliverySummary['status']): DeliverySummary {
  return {
    deliveryId: row.delivery_id,
    exportScope: row.export_scope,
    billingMonth: row.billing_month,
    dialect: row.dialect,
    sourcePath: row.source_path,
    files: row.file_count,
    rowsRead: Number(row.rows_read),
    rowsIngested: Number(row.rows_ingested),
    rowsQuarantined: Number(row.rows_quarantined),
    isComplete: row.is_complete,
    incompleteReason: row.incomplete_reason,
    status,
  };
}

export async function storedDelivery(wh: Warehouse, deliveryId: string): Promise<StoredDelivery | undefined> {
  return wh.row<StoredDelivery>(
    `select delivery_id, export_scope, billing_month, dialect, source_path, file_count, rows_read, rows_ingested,
            rows_quarantined, is_complete, incomplete_reason
     from delivery where delivery_id = $1`,
    [deliveryId],
    { stage: STAGE },
  );
}

/** Record which delivery the path holds now: a later read finding other content there replaces it. */
export async function recordSource(wh: Warehouse, sourcePath: string, deliveryId: string): Promise<void> {
  await wh.runFile('ingest/delivery_source.sql', { source_path: sourcePath, delivery_id: deliveryId });
}

/** Whether any stored delivery has a file of these bytes. */
export async function isStoredFile(wh: Warehouse, sha256: string): Promise<boolean> {
  const row = await wh.row<{ found: boolean }>(
    'select count(*) > 0 as found from ingest_file where sha256 = $sha256',
    { sha256 },
    { stage: STAGE },
  );
  return row?.found ?? false;
}

/**
 * The fingerprints of files recorded as ingested whose path, size and mtime still match, so their bytes need not
 * be read again; null as soon as one file does not match (the delivery is then read and hashed as usual).
 */
export async function recognisedFiles(
  wh: Warehouse,
  paths: readonly { path: string }[],
): Promise<{ path: string; sha256: string }[] | null> {
  const found: { path: string; sha256: string }[] = [];
  for (const { path } of paths) {
    const stamp = await fileStamp(path);
    if (!stamp) return null;
    const row = await wh.row<{ sha256: string }>(
      `select any_value(sha256) as sha256 from ingest_file
       where source_file = $1 and byte_count = cast($2 as bigint) and modified_ns = cast($3 as bigint)
       having count(distinct sha256) = 1`,
      [path, stamp.size, stamp.modifiedNs],
      { stage: STAGE },
    );
    if (!row) return null;
    found.push({ path, sha256: row.sha256 });
  }
  return found;
}

// Who a delivery is (its content-hash id, export series, month, run, submission time), known from its manifest or
// its path before any row is read, and whether a manifest delivery arrived whole (its counts against what was read).
import { stableId } from './hash.ts';
import { manifestScope, type PlannedDelivery } from './inputs.ts';
import type { FileCounts, PreparedFile } from './file-ingest.ts';
import { parseExportPath } from './layout.ts';

/** Who the delivery is and where it sits in time, known before any row is read. */
export interface DeliveryIdentity {
  deliveryId: string;
  /** Null for a loose file without the export layout: delivery.sql files it under its billing account's series. */
  exportScope: string | null;
  exportName: string | null;
  datasetType: string | null;
  dataVersion: string | null;
  billingMonth: string | null;
  runId: string | null;
  submittedAt: string | null;
  expectedBlobCount: number | null;
  expectedRowCount: number | null;
}

export function identify(
  planned: PlannedDelivery,
  files: readonly Pick<PreparedFile, 'path' | 'sha256'>[],
): DeliveryIdentity {
  if (planned.kind === 'manifest') {
    const m = planned.manifest;
    const layout = parseExportPath(m.path);
    const exportScope = manifestScope(m);
    const billingMonth = m.startMonth ?? layout?.billingMonth ?? null;
    const contents = planned.blobs.map(
      (b) => `${b.blobName}=${files.find((f) => f.path === b.path)?.sha256 ?? 'missing'}`,
    );
    return {
      deliveryId: stableId(['manifest', exportScope, billingMonth ?? '', m.runId ?? '', ...contents]),
      exportScope,
      exportName: m.exportName ?? layout?.exportName ?? null,
      datasetType: m.datasetType,
      dataVersion: m.dataVersion,
      billingMonth,
      runId: m.runId,
      submittedAt: m.submittedAt,
      expectedBlobCount: m.blobCount,
      expectedRowCount: m.dataRowCount,
    };
  }
  const layout = planned.layout;
  return {
    // A loose file is identified by its content alone: the same bytes found under another path are the same delivery.
    deliveryId: stableId(['loose', ...files.map((f) => f.sha256)]),
    exportScope: planned.scope ?? (layout ? `export:${layout.exportName.toLowerCase()}` : null),
    exportName: layout?.exportName ?? null,
    datasetType: null,
    dataVersion: null,
    billingMonth: layout?.billingMonth ?? null,
    runId: layout?.runId ?? null,
    submittedAt: layout?.exportTime ?? null,
    expectedBlobCount: null,
    expectedRowCount: null,
  };
}

/** Why a manifest delivery is incomplete: counts that disagree with what was read, blobs not found. */
export function completeness(
  planned: PlannedDelivery,
  files: readonly PreparedFile[],
  counts: Map<string, FileCounts>,
): string[] {
  if (planned.kind !== 'manifest') return [];
  const m = planned.manifest;
  const reasons: string[] = [];
  for (const blob of planned.blobs) {
    if (!blob.path) {
      reasons.push(`blob ${blob.blobName} not found`);
      continue;
    }
    const file = files.find((f) => f.path === blob.path);
    const read = counts.get(blob.path);
    if (blob.expectedRows !== null && read && read.rowsRead !== blob.expectedRows) {
      reasons.push(
        `blob ${blob.blobName}: manifest dataRowCount ${blob.expectedRows}, read ${read.rowsRead} data rows`,
      );
    }
    if (blob.expectedBytes !== null && file && file.byteCount !== blob.expectedBytes) {
      reasons.push(`blob ${blob.blobName}: manifest byteCount ${blob.expectedBytes}, file has ${file.byteCount} bytes`);
    }
  }
  if (m.blobCount !== null && m.blobCount !== planned.blobs.length) {
    reasons.push(`manifest blobCount ${m.blobCount}, but blobs[] lists ${planned.blobs.length}`);
  }
  const rowsRead = [...counts.values()].reduce((sum, c) => sum + c.rowsRead, 0);
  if (m.dataRowCount !== null && m.dataRowCount !== rowsRead && reasons.length === 0) {
    reasons.push(`manifest dataRowCount ${m.dataRowCount}, read ${rowsRead} data rows`);
  }
  const bytes = files.reduce((sum, f) => sum + f.byteCount, 0);
  if (m.byteCount !== null && m.byteCount !== bytes && reasons.length === 0) {
    reasons.push(`manifest byteCount ${m.byteCount}, files have ${bytes} bytes`);
  }
  return reasons;
}

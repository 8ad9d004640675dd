// Parses a Cost Management export manifest.json (spec/export-formats.md §2). Every count and most fields are
// optional: older manifests (API 2023-07-01-preview) have no manifestVersion, byteCount or dataRowCount.
import { readFile } from 'node:fs/promises';
import { InputError, errorMessage } from '../errors.ts';

export interface ManifestBlob {
  blobName: string;
  byteCount: number | null;
  dataRowCount: number | null;
}

export interface Manifest {
  path: string;
  manifestVersion: string | null;
  byteCount: number | null;
  blobCount: number | null;
  dataRowCount: number | null;
  exportName: string | null;
  /** exportConfig.resourceId: `<scope>/providers/Microsoft.CostManagement/exports/<name>`. */
  resourceId: string | null;
  datasetType: string | null;
  dataVersion: string | null;
  runId: string | null;
  /** runInfo.submittedTime as 'YYYY-MM-DD HH:MM:SS[.ffffff]' UTC, or null. */
  submittedAt: string | null;
  /** YYYY-MM of runInfo.startDate, or null. */
  startMonth: string | null;
  blobs: ManifestBlob[];
}

type Json = Record<string, unknown>;

function objectAt(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function count(path: string, field: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new InputError(`${path}: manifest field ${field} is not a non-negative integer: ${JSON.stringify(value)}`);
}

// submittedTime carries 7 fractional digits and a Z; DuckDB timestamps keep microseconds.
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]00:?00)?$/;

function utcTimestamp(path: string, field: string, value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const match = ISO_TIME.exec(raw);
  if (!match?.[1] || !match[2])
    throw new InputError(`${path}: manifest field ${field} is not an ISO-8601 UTC time: ${raw}`);
  const seconds = match[2].length === 5 ? `${match[2]}:00` : match[2];
  const fraction = match[3] ? `.${match[3].slice(0, 6)}` : '';
  return `${match[1]} ${seconds}${fraction}`;
}

export async function readManifest(path: string): Promise<Manifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${path}: cannot read manifest: ${errorMessage(error)}`);
  }
  const root = objectAt(parsed);
  if (!Array.isArray(root.blobs)) throw new InputError(`${path}: manifest has no blobs[] list`);
  const exportConfig = objectAt(root.exportConfig);
  const runInfo = objectAt(root.runInfo);
  const blobs = root.blobs.map((entry: unknown, i: number): ManifestBlob => {
    const blob = objectAt(entry);
    const blobName = text(blob.blobName);
    if (blobName === null) throw new InputError(`${path}: manifest blobs[${i}] has no blobName`);
    return {
      blobName,
      byteCount: count(path, `blobs[${i}].byteCount`, blob.byteCount),
      dataRowCount: count(path, `blobs[${i}].dataRowCount`, blob.dataRowCount),
    };
  });
  const startDate = text(runInfo.startDate);
  return {
    path,
    manifestVersion: text(root.manifestVersion),
    byteCount: count(path, 'byteCount', root.byteCount),
    blobCount: count(path, 'blobCount', root.blobCount),
    dataRowCount: count(path, 'dataRowCount', root.dataRowCount),
    exportName: text(exportConfig.exportName),
    resourceId: text(exportConfig.resourceId),
    datasetType: text(exportConfig.type),
    dataVersion: text(exportConfig.dataVersion),
    runId: text(runInfo.runId)?.toLowerCase() ?? null,
    submittedAt: utcTimestamp(path, 'runInfo.submittedTime', runInfo.submittedTime),
    startMonth: startDate && /^\d{4}-\d{2}/.test(startDate) ? startDate.slice(0, 7) : null,
    blobs,
  };
}

/** Cost Management's own "is this a manifest" test: the completion signal is a file named manifest.json. */
export function isManifestPath(path: string): boolean {
  return path.toLowerCase().endsWith('manifest.json');
}

// Parses a Cost Management export manifest.json (spec/export-formats.md §2). Every count and most fields are
// optional: older manifests (API 2023-07-01-preview) have no manifestVersion, byteCount or dataRowCount. A field
// that is present with the wrong type is refused, naming it, rather than read as absent; so is a blob name that
// would lead out of the export folder ('..' segments, absolute paths).
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
  /**
   * exportConfig.granularity: 'Daily' rows (one per usage day) or 'Monthly' rows (one per resource and meter for the
   * whole month: the diff compares those at month level). Null when the manifest does not say (read as daily: the
   * rows' own charge periods still tell a month-long FOCUS row).
   */
  granularity: 'daily' | 'monthly' | null;
  runId: string | null;
  /** runInfo.submittedTime as 'YYYY-MM-DD HH:MM:SS[.ffffff]' UTC, or null. */
  submittedAt: string | null;
  /** YYYY-MM of runInfo.startDate, or null. */
  startMonth: string | null;
  blobs: ManifestBlob[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const shown = (value: unknown): string => {
  // JSON.stringify gives undefined for undefined and functions, whatever its declared type says.
  const text = (JSON.stringify(value) as string | undefined) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** An optional object field: absent or null is {}, anything else but an object is refused. */
function objectAt(path: string, field: string, value: unknown): Json {
  if (value === undefined || value === null) return {};
  if (isObject(value)) return value;
  throw new InputError(`${path}: manifest field ${field} is not an object: ${shown(value)}`);
}

/** An optional text field: absent, null or blank is null, anything else but a string is refused. */
function text(path: string, field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw new InputError(`${path}: manifest field ${field} is not a string: ${shown(value)}`);
  return value.trim() === '' ? null : value.trim();
}

function count(path: string, field: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new InputError(`${path}: manifest field ${field} is not a non-negative integer: ${shown(value)}`);
}

// submittedTime carries 7 fractional digits and a Z; DuckDB timestamps keep microseconds.
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]00:?00)?$/;

function utcTimestamp(path: string, field: string, value: unknown): string | null {
  const raw = text(path, field, value);
  if (raw === null) return null;
  const match = ISO_TIME.exec(raw);
  if (!match?.[1] || !match[2])
    throw new InputError(`${path}: manifest field ${field} is not an ISO-8601 UTC time: ${raw}`);
  const seconds = match[2].length === 5 ? `${match[2]}:00` : match[2];
  const fraction = match[3] ? `.${match[3].slice(0, 6)}` : '';
  return `${match[1]} ${seconds}${fraction}`;
}

/** YYYY-MM of runInfo.startDate, the delivery's billing month. */
function monthOf(path: string, value: unknown): string | null {
  const raw = text(path, 'runInfo.startDate', value);
  if (raw === null) return null;
  const match = /^(\d{4})-(0[1-9]|1[0-2])-\d{2}/.exec(raw);
  if (!match) throw new InputError(`${path}: manifest field runInfo.startDate is not an ISO-8601 date: ${raw}`);
  return `${match[1]}-${match[2]}`;
}

/**
 * Why a blob name cannot be followed, or null. Blob names are container-relative ('dir/Export/…/part_0_0001.csv');
 * '..' segments, absolute paths (/x, \x, C:) and NUL would lead out of the export folder the user named.
 */
export function unsafeBlobName(blobName: string): string | null {
  if (blobName.includes('\0')) return 'it contains a NUL character';
  if (/^[/\\]/.test(blobName) || /^[A-Za-z]:/.test(blobName)) return 'it is an absolute path';
  if (blobName.split(/[/\\]/).some((segment) => segment.trim() === '..')) return "it has a '..' segment";
  return null;
}

/** Offset of the first character JSON.parse cannot take (text.length when the text ends early). */
function jsonErrorOffset(source: string): number {
  // A prefix is still viable when JSON.parse fails only because it ends: then the error is at its end.
  const viable = (length: number): boolean => {
    try {
      JSON.parse(source.slice(0, length));
      return true;
    } catch (error) {
      const message = errorMessage(error);
      const at = /at position (\d+)/.exec(message);
      return message.startsWith('Unexpected end') || (at !== null && Number(at[1]) >= length);
    }
  };
  let low = 0;
  let high = source.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (viable(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

function notJson(path: string, source: string): InputError {
  const offset = jsonErrorOffset(source);
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const what = offset >= source.length ? 'the file ends early' : `unexpected ${shown(source.charAt(offset))}`;
  return new InputError(`${path}: line ${line}: manifest is not valid JSON at column ${column}: ${what}`);
}

/** The manifest in `source` (the text of the file at `path`, which messages name). */
export function parseManifest(path: string, source: string): Manifest {
  const body = source.startsWith('\ufeff') ? source.slice(1) : source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw notJson(path, body);
  }
  if (!isObject(parsed)) throw new InputError(`${path}: manifest is not a JSON object: ${shown(parsed)}`);
  const root = parsed;
  if (root.blobs === undefined || root.blobs === null) throw new InputError(`${path}: manifest has no blobs[] list`);
  if (!Array.isArray(root.blobs)) {
    throw new InputError(`${path}: manifest field blobs is not a list: ${shown(root.blobs)}`);
  }
  const exportConfig = objectAt(path, 'exportConfig', root.exportConfig);
  const runInfo = objectAt(path, 'runInfo', root.runInfo);
  const seen = new Map<string, number>();
  const blobs = (root.blobs as unknown[]).map((entry, i): ManifestBlob => {
    if (!isObject(entry)) throw new InputError(`${path}: manifest blobs[${i}] is not an object: ${shown(entry)}`);
    const blobName = text(path, `blobs[${i}].blobName`, entry.blobName);
    if (blobName === null) throw new InputError(`${path}: manifest blobs[${i}] has no blobName`);
    const unsafe = unsafeBlobName(blobName);
    if (unsafe) {
      throw new InputError(`${path}: manifest blobs[${i}].blobName ${shown(blobName)} is refused: ${unsafe}`);
    }
    const first = seen.get(blobName);
    if (first !== undefined) {
      throw new InputError(`${path}: manifest blobs[${i}].blobName repeats blobs[${first}]: ${shown(blobName)}`);
    }
    seen.set(blobName, i);
    return {
      blobName,
      byteCount: count(path, `blobs[${i}].byteCount`, entry.byteCount),
      dataRowCount: count(path, `blobs[${i}].dataRowCount`, entry.dataRowCount),
    };
  });
  return {
    path,
    manifestVersion: text(path, 'manifestVersion', root.manifestVersion),
    byteCount: count(path, 'byteCount', root.byteCount),
    blobCount: count(path, 'blobCount', root.blobCount),
    dataRowCount: count(path, 'dataRowCount', root.dataRowCount),
    exportName: text(path, 'exportConfig.exportName', exportConfig.exportName),
    resourceId: text(path, 'exportConfig.resourceId', exportConfig.resourceId),
    datasetType: text(path, 'exportConfig.type', exportConfig.type),
    dataVersion: text(path, 'exportConfig.dataVersion', exportConfig.dataVersion),
    granularity: granularityOf(path, exportConfig.granularity),
    runId: text(path, 'runInfo.runId', runInfo.runId)?.toLowerCase() ?? null,
    submittedAt: utcTimestamp(path, 'runInfo.submittedTime', runInfo.submittedTime),
    startMonth: monthOf(path, runInfo.startDate),
    blobs,
  };
}

/** exportConfig.granularity: the export REST enum is Daily | Monthly (compared case-insensitively); else refused. */
function granularityOf(path: string, value: unknown): 'daily' | 'monthly' | null {
  const given = text(path, 'exportConfig.granularity', value);
  if (given === null) return null;
  const lower = given.toLowerCase();
  if (lower === 'daily' || lower === 'monthly') return lower;
  throw new InputError(`${path}: manifest field exportConfig.granularity is not Daily or Monthly: ${shown(given)}`);
}

export async function readManifest(path: string): Promise<Manifest> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`${path}: cannot read manifest: ${errorMessage(error)}`);
  }
  return parseManifest(path, source);
}

/** Cost Management's own "is this a manifest" test: the completion signal is a file named manifest.json. */
export function isManifestPath(path: string): boolean {
  return path.toLowerCase().endsWith('manifest.json');
}

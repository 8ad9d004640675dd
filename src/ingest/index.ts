// The ingest stage: reads Cost Management exports (EA, MCA, FOCUS; CSV, CSV.gz, Parquet; with or without
// manifest.json) into delivery, ingest_file, billing_line and quarantine. Each delivery is ingested in one
// transaction and identified by a content hash, so re-ingesting it changes nothing. Which delivery counts for
// a month is decided by the current_delivery view (sql/ingest/model_delivery.sql), not here.
// Long because the delivery lifecycle (find, group, stage, check, commit, record) reads in order here; splitting the
// grouping of loose files into its own module is open work.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Row, Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import {
  fileStamp,
  finishDelivery,
  prepareFile,
  resolveUnits,
  stageFile,
  startDelivery,
  type FileCounts,
  type PreparedFile,
} from './file-ingest.ts';
import { stableId } from './hash.ts';
import { manifestScope, planDeliveries, type PlannedDelivery } from './inputs.ts';
import { parseExportPath } from './layout.ts';
import type { Dialect } from './dialects.ts';

export interface IngestOptions {
  onProgress?: (message: string) => void;
  /** Folders never read as exports (the run's --out, when it lies inside --exports). */
  exclude?: readonly string[];
  /** Hash every file's bytes again even when its path, size and mtime match a file already ingested (--rehash). */
  rehash?: boolean;
}

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

export interface IngestReport {
  files: number;
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
  /** Ingested rows with a descriptive column that could not be read (kept; see descriptive_field_problem). */
  rowsWithDescriptiveProblems: number;
  deliveriesReplaced: number;
  deliveries: DeliverySummary[];
  billingMonths: string[];
  /** Plain-language warnings for the run summary (also printed as 'ingest: warning: …' lines). */
  warnings: string[];
}

const STAGE = 'ingest';
const PRICING_UNITS_CSV = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'data',
  'finops-toolkit',
  'PricingUnits.csv',
);

/** Who the delivery is and where it sits in time, known before any row is read. */
interface DeliveryIdentity {
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

interface StoredDelivery extends Row {
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

const formatCount = (n: number): string => n.toLocaleString('en-US');

async function ensurePricingUnits(wh: Warehouse): Promise<void> {
  const row = await wh.row<{ n: string }>('select count(*) as n from pricing_unit', undefined, { stage: STAGE });
  if (row?.n === '0') await wh.runFile('ingest/pricing_unit.sql', { path: PRICING_UNITS_CSV });
}

function identify(planned: PlannedDelivery, files: readonly Pick<PreparedFile, 'path' | 'sha256'>[]): DeliveryIdentity {
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
function completeness(
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

function summaryOf(row: StoredDelivery, status: DeliverySummary['status']): DeliverySummary {
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

async function storedDelivery(wh: Warehouse, deliveryId: string): Promise<StoredDelivery | undefined> {
  return wh.row<StoredDelivery>(
    `select delivery_id, export_scope, billing_month, dialect, source_path, file_count, rows_read, rows_ingested,
            rows_quarantined, is_complete, incomplete_reason
     from delivery where delivery_id = $1`,
    [deliveryId],
    { stage: STAGE },
  );
}

/** Record which delivery the path holds now: a later read finding other content there replaces it. */
async function recordSource(wh: Warehouse, sourcePath: string, deliveryId: string): Promise<void> {
  await wh.runFile('ingest/delivery_source.sql', { source_path: sourcePath, delivery_id: deliveryId });
}

/** What became of one planned delivery: stored (or found stored), or read and found to hold nothing to store. */
type DeliveryOutcome = { summary: DeliverySummary } | { emptyFiles: number } | null;

/**
 * The fingerprints of files recorded as ingested whose path, size and mtime still match, so their bytes need not
 * be read again; null as soon as one file does not match (the delivery is then read and hashed as usual).
 */
async function recognisedFiles(
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

async function ingestDelivery(
  wh: Warehouse,
  planned: PlannedDelivery,
  progress: (message: string) => void,
  rehash: boolean,
): Promise<DeliveryOutcome> {
  const paths =
    planned.kind === 'manifest'
      ? planned.blobs.flatMap((b) => (b.path && b.format ? [{ path: b.path, format: b.format }] : []))
      : planned.files;
  if (planned.kind === 'manifest' && planned.blobs.length === 0) {
    // Cost Management's "no data" run (FinOps hubs skip these too): nothing to ingest, nothing replaced.
    progress(`ingest: ${planned.sourcePath}: manifest lists no data files, skipped`);
    return null;
  }
  if (paths.length === 0) {
    throw new InputError(`${planned.sourcePath}: none of the manifest's blobs was found next to it`);
  }
  const recognised = rehash ? null : await recognisedFiles(wh, paths);
  if (recognised) {
    const known = await storedDelivery(wh, identify(planned, recognised).deliveryId);
    if (known) {
      await recordSource(wh, planned.sourcePath, known.delivery_id);
      progress(`ingest: ${planned.sourcePath}: already ingested (unchanged: path, size and mtime match; not re-read)`);
      return { summary: summaryOf(known, 'already_ingested') };
    }
  }
  const files: PreparedFile[] = [];
  for (const { path, format } of paths) files.push(await prepareFile(wh, path, format));
  const dialects = new Set(files.map((f) => f.columns.dialect));
  const dialect = files[0]?.columns.dialect;
  if (!dialect || dialects.size > 1) {
    throw new InputError(`${planned.sourcePath}: the delivery mixes export dialects: ${[...dialects].join(', ')}`);
  }

  const identity = identify(planned, files);
  const existing = await storedDelivery(wh, identity.deliveryId);
  if (existing) {
    // Same bytes (touched, copied, or read with --rehash): remember the new mtime so the next run need not hash them.
    for (const file of files) {
      await wh.run(
        `update ingest_file set modified_ns = cast($1 as bigint)
         where delivery_id = $2 and source_file = $3 and sha256 = $4`,
        [file.modifiedNs, existing.delivery_id, file.path, file.sha256],
        { stage: STAGE },
      );
    }
    await recordSource(wh, planned.sourcePath, existing.delivery_id);
    progress(`ingest: ${planned.sourcePath}: already ingested`);
    return { summary: summaryOf(existing, 'already_ingested') };
  }

  try {
    await startDelivery(wh);
    const counts = new Map<string, FileCounts>();
    for (const [i, file] of files.entries()) {
      const monthly = planned.kind === 'manifest' && planned.manifest.granularity === 'monthly';
      const result = await stageFile(wh, file, i === 0, { monthly });
      counts.set(file.path, result);
      progress(
        `ingest: ${file.path}: ${formatBytes(file.byteCount)}, ${formatCount(result.rowsRead)} rows` +
          (result.rowsQuarantined > 0 ? ` (${formatCount(result.rowsQuarantined)} quarantined)` : ''),
      );
    }
    await resolveUnits(wh);
    const reasons = completeness(planned, files, counts);
    const total = [...counts.values()];
    const exportScope = identity.exportScope ?? (await looseSeries(wh, planned.sourcePath, dialect));
    await refuseLooseOverlap(wh, planned.sourcePath, exportScope);
    if (identity.billingMonth === null && total.every((c) => c.rowsRead === 0)) {
      // A header-only file (Microsoft's EA_NoRows.csv) with no path or manifest naming its month: it bills nothing
      // in no month, so there is no delivery to store. (Older recons stored one with billing month 'unknown'.)
      progress(`ingest: ${planned.sourcePath}: no data rows and no billing month: nothing to ingest`);
      return { emptyFiles: files.length };
    }
    // The warehouse changes only here, in one transaction per delivery: all of it lands or none of it.
    await wh.transaction(STAGE, async () => {
      await wh.runFile('ingest/billing_line.sql', { delivery_id: identity.deliveryId });
      await wh.runFile('ingest/quarantine.sql', { delivery_id: identity.deliveryId });
      await wh.runFile('ingest/descriptive_field_problem.sql', { delivery_id: identity.deliveryId });
      for (const file of files) {
        const c = counts.get(file.path);
        await wh.runFile('ingest/ingest_file.sql', {
          delivery_id: identity.deliveryId,
          source_file: file.path,
          file_format: file.format,
          byte_count: file.byteCount,
          sha256: file.sha256,
          rows_read: c?.rowsRead ?? 0,
          rows_ingested: c?.rowsIngested ?? 0,
          rows_quarantined: c?.rowsQuarantined ?? 0,
          modified_ns: file.modifiedNs,
        });
      }
      await wh.runFile('ingest/delivery.sql', {
        delivery_id: identity.deliveryId,
        export_scope: exportScope,
        export_name: identity.exportName,
        dataset_type: identity.datasetType,
        data_version: identity.dataVersion,
        dialect,
        billing_month: identity.billingMonth,
        run_id: identity.runId,
        submitted_at: identity.submittedAt,
        file_count: files.length,
        byte_count: files.reduce((sum, f) => sum + f.byteCount, 0),
        rows_read: total.reduce((sum, c) => sum + c.rowsRead, 0),
        rows_ingested: total.reduce((sum, c) => sum + c.rowsIngested, 0),
        rows_quarantined: total.reduce((sum, c) => sum + c.rowsQuarantined, 0),
        expected_blob_count: identity.expectedBlobCount,
        expected_row_count: identity.expectedRowCount,
        is_complete: reasons.length === 0,
        incomplete_reason: reasons.length > 0 ? reasons.join('; ') : null,
        source_path: planned.sourcePath,
      });
      await recordSource(wh, planned.sourcePath, identity.deliveryId);
    });
    if (reasons.length > 0)
      progress(`ingest: ${planned.sourcePath}: incomplete delivery, not used: ${reasons.join('; ')}`);
  } finally {
    await finishDelivery(wh);
  }
  const stored = await storedDelivery(wh, identity.deliveryId);
  if (!stored) throw new Error(`delivery ${identity.deliveryId} vanished after its transaction committed`);
  return { summary: summaryOf(stored, 'ingested') };
}

/** The series a loose file without the export layout joins: its billing account's (loose_series.sql). */
async function looseSeries(wh: Warehouse, sourcePath: string, dialect: Dialect): Promise<string> {
  const row = await wh.rowsFromFile<{ export_scope: string }>('ingest/loose_series.sql', {
    dialect,
    source_path: sourcePath,
  });
  return row[0]?.export_scope ?? `file:${sourcePath}`;
}

/** A loose download billing what an export already bills (or the reverse) is refused, naming both files. */
async function refuseLooseOverlap(wh: Warehouse, sourcePath: string, exportScope: string): Promise<void> {
  const [overlap] = await wh.rowsFromFile<{
    source_file: string;
    billing_resource_id: string;
    meter_id: string | null;
    usage_date: string;
  }>('ingest/loose_overlap.sql', { export_scope: exportScope });
  if (!overlap) return;
  throw new InputError(
    `${sourcePath}: bills the same usage as ${overlap.source_file} (${overlap.billing_resource_id}, meter ` +
      `${overlap.meter_id ?? '(none)'}, ${overlap.usage_date}): one is a loose download of the other's export; ` +
      'give recon only one of them (or put the download in its export run folder)',
  );
}

/** The months the deliveries bill: each one's own and every month its lines fall in (30 Sep in an October file). */
async function billedMonths(wh: Warehouse, deliveries: readonly DeliverySummary[]): Promise<string[]> {
  const rows = await wh.rows<{ billing_month: string }>(
    `select distinct billing_month from delivery_day
     where list_contains(from_json($1, '["varchar"]'), delivery_id)`,
    [JSON.stringify(deliveries.map((d) => d.deliveryId))],
    { stage: STAGE },
  );
  return [...new Set([...deliveries.map((d) => d.billingMonth), ...rows.map((r) => r.billing_month)])].sort();
}

/** Remove the empty, month-less deliveries older recons stored for header-only files (they crashed every run). */
async function repairBrokenDeliveries(wh: Warehouse, progress: (message: string) => void): Promise<void> {
  const broken = await wh.rowsFromFile<{ delivery_id: string; source_path: string }>('ingest/broken_delivery.sql');
  if (broken.length === 0) return;
  await wh.transaction(STAGE, async () => {
    const ids = JSON.stringify(broken.map((b) => b.delivery_id));
    for (const table of ['ingest_file', 'quarantine', 'delivery_source', 'delivery']) {
      await wh.run(`delete from ${table} where list_contains(from_json($1, '["varchar"]'), delivery_id)`, [ids], {
        stage: STAGE,
      });
    }
  });
  for (const b of broken) {
    progress(
      `ingest: removed a stored delivery of ${b.source_path} with no data rows and no billing month (left by an older recon)`,
    );
  }
}

interface ShortfallRow extends Row {
  export_scope: string;
  billing_month: string;
  newest_source: string;
  kept_source: string;
  newest_days: string;
  month_days: string;
  kept_days: string;
  first_day: string;
  last_day: string;
}

/** Month-to-date exports only grow: name the newest delivery that lacks days and the one kept for them. */
async function shortfallWarnings(wh: Warehouse, deliveryIds: readonly string[]): Promise<string[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await wh.rowsFromFile<ShortfallRow>('ingest/delivery_shortfall.sql', {
    delivery_ids: JSON.stringify(deliveryIds),
  });
  return rows.map((r) => {
    const span = r.first_day === r.last_day ? r.first_day : `${r.first_day} to ${r.last_day}`;
    return (
      `${r.billing_month}: the newest delivery ${r.newest_source} bills ${r.newest_days} of the ${r.month_days} usage ` +
      `days known for ${r.export_scope}; a month-to-date export only grows, so ${span} (${r.kept_days} days) ` +
      `still count from ${r.kept_source}`
    );
  });
}

export async function ingestExports(
  wh: Warehouse,
  inputs: readonly string[],
  options: IngestOptions = {},
): Promise<IngestReport> {
  const progress = options.onProgress ?? (() => undefined);
  const plan = await planDeliveries(inputs, { exclude: options.exclude ?? [] });
  for (const note of plan.notes) progress(`ingest: ${note}`);
  await ensurePricingUnits(wh);
  await repairBrokenDeliveries(wh, progress);
  const deliveries: DeliverySummary[] = [];
  let emptyFiles = 0;
  for (const delivery of plan.deliveries) {
    const outcome = await ingestDelivery(wh, delivery, progress, options.rehash ?? false);
    if (outcome && 'summary' in outcome) deliveries.push(outcome.summary);
    else if (outcome) emptyFiles += outcome.emptyFiles;
  }
  const warnings = [
    ...plan.warnings,
    ...(await shortfallWarnings(
      wh,
      deliveries.map((d) => d.deliveryId),
    )),
  ];
  for (const warning of warnings) progress(`ingest: warning: ${warning}`);
  const replaced = await wh.rowsFromFile<{ n: string }>('ingest/replaced_delivery_count.sql', {
    scopes: JSON.stringify(deliveries.map((d) => d.exportScope)),
    months: JSON.stringify(deliveries.map((d) => d.billingMonth)),
  });
  const described = await wh.row<{ n: string }>(
    `select count(distinct (delivery_id, source_file, source_line)) as n from descriptive_field_problem
     where list_contains($ids::varchar[], delivery_id)`,
    { ids: JSON.stringify(deliveries.map((d) => d.deliveryId)) },
    { stage: STAGE },
  );
  const sum = (pick: (d: DeliverySummary) => number): number => deliveries.reduce((s, d) => s + pick(d), 0);
  return {
    files: sum((d) => d.files) + emptyFiles,
    rowsRead: sum((d) => d.rowsRead),
    rowsIngested: sum((d) => d.rowsIngested),
    rowsQuarantined: sum((d) => d.rowsQuarantined),
    rowsWithDescriptiveProblems: Number(described?.n ?? 0),
    deliveriesReplaced: Number(replaced[0]?.n ?? 0),
    deliveries,
    billingMonths: await billedMonths(wh, deliveries),
    warnings,
  };
}

/** Bytes for a progress line: 1,234 B · 12.3 KiB · 45.6 MiB · 1.2 GiB. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatCount(bytes)} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

// One planned delivery from files to warehouse: recognise it (unchanged files), read and stage its files (and skip
// it when the same content is stored already), check it is whole and does not repeat a loose download, then store it
// in one transaction.
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { formatBytes, formatCount } from '../output/format.ts';
import type { Dialect } from './dialects.ts';
import { completeness, identify, type DeliveryIdentity } from './delivery-identity.ts';
import {
  isStoredFile,
  recognisedFiles,
  recordSource,
  STAGE,
  storedDelivery,
  summaryOf,
  type DeliverySummary,
} from './delivery-record.ts';
import {
  describeFile,
  finishDelivery,
  prepareFile,
  readFileBytes,
  resolveUnits,
  stageFile,
  startDelivery,
  type FileBytes,
  type FileCounts,
  type PreparedFile,
} from './file-ingest.ts';
import type { FileFormat, PlannedDelivery } from './inputs.ts';

/** What became of one planned delivery: stored (or found stored), or read and found to hold nothing to store. */
export type DeliveryOutcome = { summary: DeliverySummary } | { emptyFiles: number } | null;

export async function ingestDelivery(
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
  const [firstPath] = paths;
  if (firstPath === undefined) {
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
  let identity: DeliveryIdentity;
  try {
    await startDelivery(wh);
    const staging: StagingOptions = {
      monthly: planned.kind === 'manifest' && planned.manifest.granularity === 'monthly',
      progress,
    };
    const first = await readFileBytes(firstPath.path, firstPath.format);
    // A stored delivery's id is its files' hashes: when the first file's bytes are new, so is the delivery, and each
    // file is staged while the next is read. Otherwise the same bytes may be stored already (files touched or copied,
    // --rehash): every file is read first, and staged only if the delivery turns out to be new.
    const staged = (await isStoredFile(wh, first.sha256)) ? null : await readAndStage(wh, first, paths, staging);
    const files = staged?.files ?? (await readFiles(wh, first, paths));
    const dialects = new Set(files.map((f) => f.columns.dialect));
    const dialect = files[0]?.columns.dialect;
    if (!dialect || dialects.size > 1) {
      throw new InputError(`${planned.sourcePath}: the delivery mixes export dialects: ${[...dialects].join(', ')}`);
    }

    identity = identify(planned, files);
    const existing = await storedDelivery(wh, identity.deliveryId);
    if (existing) {
      // Same bytes (touched, copied, or read with --rehash): remember the new mtime so the next run need not hash
      // them.
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
    const { counts } = staged ?? (await stageFiles(wh, files, staging));

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

interface StagingOptions {
  monthly: boolean;
  progress: (message: string) => void;
}

interface Staged {
  files: PreparedFile[];
  counts: Map<string, FileCounts>;
}

/**
 * Reads and stages the delivery's files in order, each file's bytes read in JS (readFileBytes: the hash and the line
 * map) while DuckDB stages the file before it, so the two overlap instead of adding up. DuckDB's own statements (a
 * Parquet file's schema, the staging) stay one at a time on the connection. `first` is the first file's bytes.
 */
async function readAndStage(
  wh: Warehouse,
  first: FileBytes,
  paths: readonly { path: string; format: FileFormat }[],
  options: StagingOptions,
): Promise<Staged> {
  const staged: Staged = { files: [], counts: new Map() };
  let reading: Promise<FileBytes> | undefined = Promise.resolve(first);
  for (let index = 0; reading !== undefined; index++) {
    const file = await describeFile(wh, await reading);
    const next = paths[index + 1];
    reading = next === undefined ? undefined : readFileBytes(next.path, next.format);
    reading?.catch(() => undefined); // awaited next turn; a staging error thrown first must not leave it unhandled
    await stageOne(wh, file, staged, options);
  }
  return staged;
}

/** Reads every file of the delivery, one after the other, staging none. `first` is the first file's bytes. */
async function readFiles(
  wh: Warehouse,
  first: FileBytes,
  paths: readonly { path: string; format: FileFormat }[],
): Promise<PreparedFile[]> {
  const files = [await describeFile(wh, first)];
  for (const { path, format } of paths.slice(1)) files.push(await prepareFile(wh, path, format));
  return files;
}

/** Stages files already read, in order. */
async function stageFiles(wh: Warehouse, files: readonly PreparedFile[], options: StagingOptions): Promise<Staged> {
  const staged: Staged = { files: [], counts: new Map() };
  for (const file of files) await stageOne(wh, file, staged, options);
  return staged;
}

async function stageOne(wh: Warehouse, file: PreparedFile, staged: Staged, options: StagingOptions): Promise<void> {
  const result = await stageFile(wh, file, staged.files.length === 0, { monthly: options.monthly });
  staged.files.push(file);
  staged.counts.set(file.path, result);
  options.progress(
    `ingest: ${file.path}: ${formatBytes(file.byteCount)}, ${formatCount(result.rowsRead)} rows` +
      (result.rowsQuarantined > 0 ? ` (${formatCount(result.rowsQuarantined)} quarantined)` : ''),
  );
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

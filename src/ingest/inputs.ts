// Turns the --exports arguments (files, manifest.json files, folders searched recursively) into deliveries:
// each manifest with its blobs resolved to local files, and the data files no manifest references.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError, errorMessage } from '../errors.ts';
import { parseExportPath, type ExportPathLayout } from './layout.ts';
import { isManifestPath, readManifest, type Manifest } from './manifest.ts';

export type FileFormat = 'csv' | 'csv.gz' | 'parquet';

export function formatOf(path: string): FileFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.csv.gz')) return 'csv.gz';
  if (lower.endsWith('.parquet')) return 'parquet';
  return null;
}

export interface PlannedBlob {
  blobName: string;
  /** Local file, or null when it was not found. */
  path: string | null;
  format: FileFormat | null;
  expectedBytes: number | null;
  expectedRows: number | null;
}

export interface ManifestDelivery {
  kind: 'manifest';
  sourcePath: string;
  manifest: Manifest;
  blobs: PlannedBlob[];
}

export interface LooseDelivery {
  kind: 'loose';
  sourcePath: string;
  files: { path: string; format: FileFormat }[];
  layout: ExportPathLayout | null;
}

export type PlannedDelivery = ManifestDelivery | LooseDelivery;

async function kindOf(path: string): Promise<'file' | 'folder'> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'folder';
    if (info.isFile()) return 'file';
  } catch (error) {
    throw new InputError(`${path}: cannot read export input: ${errorMessage(error)}`);
  }
  throw new InputError(`${path}: export input is neither a file nor a folder`);
}

async function listFiles(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`${folder}: cannot read folder: ${errorMessage(error)}`);
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Where a manifest's blob is on disk. blobName is container-relative ('dir/Export/20250301-20250331/<run>/part_0_0001.csv',
 * sometimes with stray spaces); the local copy may hold the container, the export root or just the run folder.
 * Try the longest tail of the blob path first, under the manifest's folder and then each folder above it up to
 * `root`, the --exports folder it was found in: nothing outside what the user named is read. (readManifest has
 * already refused '..' segments and absolute paths.)
 */
async function resolveBlob(manifestPath: string, blobName: string, root: string): Promise<string | null> {
  const segments = blobName
    .split('/')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const folders: string[] = [];
  for (let folder = dirname(manifestPath); folders.length < 8; folder = dirname(folder)) {
    folders.push(folder);
    if (folder === root || dirname(folder) === folder) break;
  }
  for (let drop = 0; drop < segments.length; drop++) {
    const tail = segments.slice(drop);
    for (const folder of folders) {
      const candidate = join(folder, ...tail);
      if (await isFile(candidate)) return candidate;
    }
  }
  return null;
}

async function planManifest(path: string, root: string): Promise<ManifestDelivery> {
  const manifest = await readManifest(path);
  const blobs: PlannedBlob[] = [];
  for (const blob of manifest.blobs) {
    const format = formatOf(blob.blobName);
    if (format === null) {
      throw new InputError(`${path}: blob ${blob.blobName} is not a .csv, .csv.gz or .parquet file`);
    }
    const local = await resolveBlob(path, blob.blobName, root);
    // Two blob names that end alike can find one local file; reading it twice would count its rows twice.
    const twin = local === null ? undefined : blobs.find((b) => b.path === local);
    if (twin) {
      throw new InputError(`${path}: blobs ${twin.blobName} and ${blob.blobName} both resolve to ${local ?? ''}`);
    }
    blobs.push({
      blobName: blob.blobName,
      path: local,
      format,
      expectedBytes: blob.byteCount,
      expectedRows: blob.dataRowCount,
    });
  }
  return { kind: 'manifest', sourcePath: path, manifest, blobs };
}

export async function planDeliveries(inputs: readonly string[]): Promise<PlannedDelivery[]> {
  // Each manifest with the input it came from: its blobs are looked for only under that input.
  const manifests = new Map<string, string>();
  const dataFiles = new Set<string>();
  for (const input of inputs) {
    const path = resolve(input);
    if ((await kindOf(path)) === 'folder') {
      for (const file of await listFiles(path)) {
        if (isManifestPath(file)) manifests.set(file, path);
        else if (formatOf(file) !== null) dataFiles.add(file);
      }
    } else if (isManifestPath(path)) manifests.set(path, dirname(path));
    else if (formatOf(path) !== null) dataFiles.add(path);
    else throw new InputError(`${input}: unknown export file type (expected .csv, .csv.gz, .parquet or manifest.json)`);
  }

  const deliveries: PlannedDelivery[] = [];
  const referenced = new Set<string>();
  for (const [path, root] of [...manifests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const planned = await planManifest(path, root);
    for (const blob of planned.blobs) if (blob.path) referenced.add(blob.path);
    deliveries.push(planned);
  }

  // Loose files: one delivery each, except that the partitions of one run folder of the export layout are
  // one delivery (a run without its manifest still wrote its data as several part files).
  const groups = new Map<string, { files: { path: string; format: FileFormat }[]; layout: ExportPathLayout | null }>();
  for (const path of [...dataFiles].sort()) {
    if (referenced.has(path)) continue;
    const format = formatOf(path);
    if (format === null) continue;
    const layout = parseExportPath(path);
    const key = layout ? `run:${layout.runFolder}` : `file:${path}`;
    const group = groups.get(key) ?? { files: [], layout };
    group.files.push({ path, format });
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const first = group.files[0];
    if (!first) continue;
    const sourcePath = group.files.length === 1 ? first.path : dirname(first.path);
    deliveries.push({ kind: 'loose', sourcePath, files: group.files, layout: group.layout });
  }
  return deliveries;
}
